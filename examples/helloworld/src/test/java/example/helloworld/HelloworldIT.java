package example.helloworld;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.parigot.it.ParigotCli;
import io.parigot.it.ParigotCli.Result;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** helloworld under the real {@code parigot up}, and the ways a bad deployment must fail. */
class HelloworldIT {
  private static final Duration LIMIT = Duration.ofSeconds(90);
  private static final Duration GRACE = Duration.ofSeconds(2);
  private static final Path EXAMPLE = Path.of("").toAbsolutePath();
  private static final String JAR = EXAMPLE.resolve("target/helloworld.jar").toString();
  private static final Path JDKS = Path.of("/usr/lib/jvm");
  private static final Pattern JAVA_VERSION =
      Pattern.compile("(?m)^JAVA_VERSION=\"(?:1\\.)?(\\d+)");
  private static final String TEST_CLASSES = EXAMPLE.resolve("target/test-classes").toString();

  @Test
  void helloPrintsBonjourWorldAndExitsZero() throws Exception {
    Result run = ParigotCli.run(EXAMPLE, LIMIT, "up", "deploy.yaml");

    assertEquals(0, run.exitCode(), run.output());
    assertTrue(run.output().lines().anyMatch(l -> l.matches("hello +\\| bonjour, world")),
        "expected the line 'hello   | bonjour, world' in:\n" + run.output());
    run.assertPrinted("deployment \"helloworld\" is ready");
    // the program's end stops greeting with SIGTERM: its exit hook runs first
    assertTrue(run.output().lines().anyMatch(
        l -> l.matches("greeting +\\| greeting: stopping after 1 greeting")),
        "expected greeting's exit hook line in:\n" + run.output());
    ParigotCli.assertNoJvmLeft(JAR, GRACE);
  }

  /**
   * A deploy.yaml's values take variables of parigot's environment or of the .env beside it:
   * set, the deployment runs on them; unset, with no default, the file is refused at the value,
   * and nothing starts.
   */
  @Test
  void aVariableOfTheEnvironmentIsReadInTheFileAndAnUnsetOneIsRefused(@TempDir Path dir)
      throws Exception {
    Files.writeString(dir.resolve("deploy.yaml"), Files.readString(EXAMPLE.resolve("deploy.yaml"))
        .replace("[target/helloworld.jar]", "[\"${HELLO_JAR}\"]"));

    Result run = ParigotCli.run(dir, LIMIT, Map.of("HELLO_JAR", JAR), "up", "deploy.yaml");
    assertEquals(0, run.exitCode(), run.output());
    assertTrue(run.output().lines().anyMatch(l -> l.matches("hello +\\| bonjour, world")),
        run.output());

    Result unset = ParigotCli.run(dir, LIMIT, "up", "deploy.yaml");
    assertEquals(2, unset.exitCode(), unset.output());
    unset.assertPrinted("deploy.yaml:6:17: services.greeting.classpath: ${HELLO_JAR}: HELLO_JAR "
        + "is not set in parigot's environment nor in the .env beside the file; set it (export "
        + "HELLO_JAR=..., or HELLO_JAR=... in .env), or give a default: ${HELLO_JAR:-default}");
    assertTrue(!unset.output().contains("is ready"), unset.output());

    // the .env beside the file gives it; this run (not to start one more) also shows the
    // services' lines without their names, under --no-log-prefix, and parigot's own with it
    Files.writeString(dir.resolve(".env"), "HELLO_JAR=" + JAR + "\n");
    Result dotEnv = ParigotCli.run(dir, LIMIT, "up", "--no-log-prefix", "deploy.yaml");
    assertEquals(0, dotEnv.exitCode(), dotEnv.output());
    assertTrue(dotEnv.output().lines().anyMatch(l -> l.equals("bonjour, world")),
        dotEnv.output());
    assertTrue(dotEnv.output().lines().anyMatch(
        l -> l.equals("parigot | program \"hello\" exited with code 0")), dotEnv.output());
    assertTrue(dotEnv.output().lines().noneMatch(l -> l.startsWith("hello ")), dotEnv.output());
    ParigotCli.assertNoJvmLeft(JAR, GRACE);
  }

  /**
   * ps, down and logs where there is no deploy.yaml say so, rather than suggest a parigot up that
   * would fail the same way, or ask whether the deployment has run.
   */
  @Test
  void psDownAndLogsWhereThereIsNoDeployYamlSaySo(@TempDir Path dir) throws Exception {
    for (String verb : new String[] {"ps", "down"}) {
      Result run = ParigotCli.run(dir, LIMIT, verb);

      assertEquals(1, run.exitCode(), run.output());
      run.assertPrinted("no deployment is running for deploy.yaml (nothing alive in " + dir
          + "/.parigot). There is no deploy.yaml in " + dir + " either: run this in the "
          + "directory of the deployment's file, or name it with --file FILE");
      assertTrue(!run.output().contains("Start one with"), run.output());
    }
    for (String[] verb : new String[][] {{"logs"}, {"logs", "-f"}}) {
      Result run = ParigotCli.run(dir, LIMIT, verb);

      assertEquals(1, run.exitCode(), run.output());
      run.assertPrinted("no logs in " + dir + "/.parigot/logs. There is no deploy.yaml in " + dir
          + " either: run this in the directory of the deployment's file, or name it with "
          + "--file FILE");
    }
  }

  /**
   * A command line the real CLI cannot read is one line naming the verb and where to look, with
   * no usage after it, and exit code 2.
   */
  @Test
  void aCommandLineParigotCannotReadIsSaidInOneLine(@TempDir Path dir) throws Exception {
    Result unknown = ParigotCli.run(dir, LIMIT, "ps", "--jsn");
    assertEquals(2, unknown.exitCode(), unknown.output());
    assertEquals("parigot ps: unknown option '--jsn'; did you mean --json? "
        + "(see parigot ps --help)\n", unknown.output());

    Result notANumber = ParigotCli.run(dir, LIMIT, "logs", "-n", "x");
    assertEquals(2, notANumber.exitCode(), notANumber.output());
    assertEquals("parigot logs: --tail (-n) takes a number of lines, 0 or more, not 'x' "
        + "(see parigot logs --help)\n", notANumber.output());
  }

  /** What docs/quickstart.md shows of a running deployment, on the greeting.yaml it uses. */
  @Test
  void theQuickStartsRunningDeploymentAnswersPsAndStopsWithDownAfterItsExitHooks()
      throws Exception {
    try {
      Result up = ParigotCli.run(EXAMPLE, LIMIT, "up", "-d", "greeting.yaml");
      assertEquals(0, up.exitCode(), up.output());
      Result ps = ParigotCli.run(EXAMPLE, LIMIT, "ps");
      assertEquals(0, ps.exitCode(), ps.output());
      assertTrue(ps.output().lines().anyMatch(l -> l.matches("greeting +ready .*")),
          "expected greeting ready in:\n" + ps.output());

      Result down = ParigotCli.run(EXAMPLE, LIMIT, "down");

      assertEquals(0, down.exitCode(), down.output());
      Result logs = ParigotCli.run(EXAMPLE, LIMIT, "logs", "greeting");
      logs.assertPrinted("greeting: stopping after 0 greetings");
      // -t: the time each line arrived, recorded by the orchestrator beside the log
      Result stamped = ParigotCli.run(EXAMPLE, LIMIT, "logs", "-t", "greeting");
      assertTrue(stamped.output().lines().anyMatch(l -> l.matches("\\d{4}-\\d\\d-\\d\\dT"
          + "\\d\\d:\\d\\d:\\d\\d\\.\\d{3}Z greeting: stopping after 0 greetings")),
          "expected a timestamped line in:\n" + stamped.output());
      // every service's lines (here greeter's one service) as the service wrote them
      Result unprefixed = ParigotCli.run(EXAMPLE, LIMIT, "logs", "--no-log-prefix");
      assertTrue(unprefixed.exitCode() == 0 && unprefixed.output().lines()
          .anyMatch(l -> l.equals("greeting: stopping after 0 greetings")),
          "expected the line without its prefix in:\n" + unprefixed.output());
    } finally {
      ParigotCli.run(EXAMPLE, LIMIT, "down");
      ParigotCli.assertNoJvmLeft(JAR, GRACE);
    }
  }

  /**
   * Ctrl-C on an {@code up -d} still waiting for a slow service: the deployment runs in its own
   * session and goes on, so up -d says that it does and how to stop it, instead of ending in
   * silence as if it had cancelled the start.
   */
  @Test
  void ctrlCOnUpDetachedStillWaitingSaysTheDeploymentGoesOn(@TempDir Path dir) throws Exception {
    write(dir, """
        name: slow
        services:
          greeting:
            classpath: [%s, %s]
            main: example.helloworld.fixtures.SlowToStart
            args: [example.helloworld.GreetingService]
            jvm_options: [-Dstart.millis=8000]
        """.formatted(TEST_CLASSES, JAR));
    Path output = dir.resolve("up.out");
    Process up = ParigotCli.start(dir, output, "up", "-d", "deploy.yaml");
    try {
      assertTrue(ParigotCli.waitFor(LIMIT, () -> Files.exists(dir.resolve(".parigot/control.json"))),
          "the orchestrator did not start");

      new ProcessBuilder("kill", "-INT", String.valueOf(up.pid())).inheritIO().start().waitFor();

      assertTrue(up.waitFor(20, TimeUnit.SECONDS), "up -d did not end on SIGINT");
      String said = Files.readString(output);
      assertEquals(130, up.exitValue(), said);
      assertTrue(said.contains("parigot: stopped waiting; deployment \"slow\" goes on in the "
          + "background (orchestrator pid "), said);
      assertTrue(said.contains("see `parigot ps`, stop it with `parigot down`"), said);
      Result ps = ParigotCli.run(dir, LIMIT, "ps");
      assertEquals(0, ps.exitCode(), ps.output());
      assertTrue(ps.output().lines().anyMatch(l -> l.startsWith("greeting ")), ps.output());
    } finally {
      ParigotCli.killTree(up.toHandle());
      ParigotCli.run(dir, LIMIT, "down");
      ParigotCli.assertNoJvmLeft(dir.toString(), GRACE);
      ParigotCli.assertNoJvmLeft(JAR, GRACE);
    }
  }

  /**
   * {@code up -d} run from elsewhere than the deployment's directory: the commands it suggests
   * name the file, as {@code ps}, {@code logs} and {@code down} need from there, and work pasted.
   */
  @Test
  void upDetachedFromAnotherDirectorySuggestsCommandsThatFindTheDeployment(@TempDir Path dir)
      throws Exception {
    Path app = Files.createDirectories(dir.resolve("my app"));
    Files.writeString(app.resolve("greeting.yaml"), Files.readString(
        EXAMPLE.resolve("greeting.yaml")).replace("target/helloworld.jar", JAR));
    try {
      Result up = ParigotCli.run(dir, LIMIT, "up", "-d", "my app/greeting.yaml");

      assertEquals(0, up.exitCode(), up.output());
      up.assertPrinted("See it with `parigot ps --file 'my app/greeting.yaml'`, its output with "
          + "`parigot logs --file 'my app/greeting.yaml'`; stop it with "
          + "`parigot down --file 'my app/greeting.yaml'`.");
      Result ps = ParigotCli.run(dir, LIMIT, "ps", "--file", "my app/greeting.yaml");
      assertEquals(0, ps.exitCode(), ps.output());
      assertTrue(ps.output().lines().anyMatch(l -> l.matches("greeting +ready .*")), ps.output());
      Result down = ParigotCli.run(dir, LIMIT, "down", "--file", "my app/greeting.yaml");
      assertEquals(0, down.exitCode(), down.output());
    } finally {
      ParigotCli.run(app, LIMIT, "down", "--file", "greeting.yaml");
      ParigotCli.assertNoJvmLeft(dir.toString(), GRACE);
      ParigotCli.assertNoJvmLeft(JAR, GRACE);
    }
  }

  /**
   * helloworld's program is ready a moment before it is done: {@code up -d} tells the deployment
   * that ended, with the program's output and exit code, not one that runs; a down after it
   * says, in one line, that nothing runs. In a directory of its own, as a first run: after the
   * program's end the orchestrator spends a second or two recording the services' class-data
   * archives, and that is still the deployment ending, not running.
   */
  @Test
  void upDetachedOfAProgramThatEndsAtOnceShowsItsOutputAndCode(@TempDir Path dir)
      throws Exception {
    write(dir, Files.readString(EXAMPLE.resolve("deploy.yaml"))
        .replace("target/helloworld.jar", JAR));
    try {
      Result up = ParigotCli.run(dir, LIMIT, "up", "-d", "deploy.yaml");
      assertEquals(0, up.exitCode(), up.output());
      up.assertPrinted("| bonjour, world");
      up.assertPrinted("recording the class-data archives of 2 services");
      up.assertPrinted("the deployment ended with code 0");

      Result down = ParigotCli.run(dir, LIMIT, "down");

      assertEquals(1, down.exitCode(), down.output());
      down.assertPrinted("no deployment is running");
      assertFalse(down.output().contains("\tat ") || down.output().contains("Exception"),
          "no stack trace:\n" + down.output());
    } finally {
      // an up -d that failed may have left its orchestrator running (it mentions dir, not JAR)
      ParigotCli.run(dir, LIMIT, "down");
      ParigotCli.assertNoJvmLeft(dir.toString(), GRACE);
      ParigotCli.assertNoJvmLeft(JAR, GRACE);
    }
  }

  /**
   * The program has called exit and printed what it had to, but its JVM takes a while to end (a
   * shutdown hook of its own; on JDK 25 a first run's AOT cache): {@code up -d} tells the
   * deployment that ends, not one that runs.
   */
  @Test
  void upDetachedOfAProgramSlowToExitShowsItsOutputAndCode(@TempDir Path dir) throws Exception {
    write(dir, """
        name: slowhello
        services:
          greeting:
            classpath: [%1$s]
            main: example.helloworld.GreetingService
          hello:
            classpath: [%2$s, %1$s]
            main: example.helloworld.fixtures.SlowToExit
            args: [example.helloworld.Hello]
            jvm_options: [-Dhook.millis=2500]
            program: true
        """.formatted(JAR, TEST_CLASSES));
    try {
      Result up = ParigotCli.run(dir, LIMIT, "up", "-d", "deploy.yaml");

      assertEquals(0, up.exitCode(), up.output());
      up.assertPrinted("| bonjour, world");
      up.assertPrinted("program \"hello\" exited with code 0");
      up.assertPrinted("the deployment ended with code 0");
    } finally {
      ParigotCli.run(dir, LIMIT, "down");
      ParigotCli.assertNoJvmLeft(dir.toString(), GRACE);
    }
  }

  /**
   * A service under {@code up -d} gets parigot's environment as under {@code up}: not a
   * NO_COLOR=1 the user never set (the detached orchestrator's output is a file, which it
   * colours no more than any output that is no terminal).
   */
  @Test
  void upDetachedGivesTheServicesNoVariableOfItsOwn(@TempDir Path dir) throws Exception {
    assumeTrue(System.getenv("NO_COLOR") == null, "NO_COLOR is set in this environment");
    write(dir, """
        name: env
        services:
          greeting:
            classpath: [%1$s]
            main: example.helloworld.GreetingService
          hello:
            classpath: [%2$s, %1$s]
            main: example.helloworld.fixtures.ShowsEnvironment
            args: [example.helloworld.Hello]
            jvm_options: [-Dshow.env=NO_COLOR]
            program: true
        """.formatted(JAR, TEST_CLASSES));
    try {
      Result up = ParigotCli.run(dir, LIMIT, "up", "-d", "deploy.yaml");

      assertEquals(0, up.exitCode(), up.output());
      up.assertPrinted("| bonjour, world");
      up.assertPrinted("| NO_COLOR is unset");
    } finally {
      ParigotCli.run(dir, LIMIT, "down");
      ParigotCli.assertNoJvmLeft(dir.toString(), GRACE);
    }
  }

  /** Closing the terminal of a foreground up: the services stop as for SIGTERM, hooks and all. */
  @Test
  void sighupStopsTheDeploymentGracefully(@TempDir Path dir) throws Exception {
    greetingAlone(dir);
    try {
      Result up = ParigotCli.run(dir, LIMIT, "up", "-d", "deploy.yaml");
      assertEquals(0, up.exitCode(), up.output());
      Result ps = ParigotCli.run(dir, LIMIT, "ps", "--json");
      Matcher pid = Pattern.compile("\"orchestrator_pid\" *: *(\\d+)").matcher(ps.output());
      assertTrue(pid.find(), ps.output());
      long orchestrator = Long.parseLong(pid.group(1));

      new ProcessBuilder("kill", "-HUP", pid.group(1)).inheritIO().start().waitFor();

      // ended, not reaped: it outlived its up -d, and whoever adopted it may never reap it
      assertTrue(ParigotCli.waitFor(LIMIT, () -> !ParigotCli.runs(orchestrator)), "still running");
      String log = Files.readString(dir.resolve(".parigot/orchestrator.log"));
      assertTrue(log.contains("stopping (SIGHUP)"), log);
      assertFalse(log.contains("restarting"), log);
      ParigotCli.run(dir, LIMIT, "logs", "greeting")
          .assertPrinted("greeting: stopping after 0 greetings");
    } finally {
      ParigotCli.run(dir, LIMIT, "down");
      ParigotCli.assertNoJvmLeft(dir.toString(), GRACE);
      ParigotCli.assertNoJvmLeft(JAR, GRACE);
    }
  }

  /**
   * A service stopped with SIGTERM whose exit takes long (a shutdown hook of its own) still
   * ends with its orchestrator: SIGKILL to the orchestrator leaves no JVM 2 s later.
   */
  @Test
  void aServiceInALongExitStillEndsWithItsOrchestrator(@TempDir Path dir) throws Exception {
    write(dir, """
        name: slow
        services:
          greeting:
            classpath: [%s, %s]
            main: example.helloworld.fixtures.SlowToExit
            args: [example.helloworld.GreetingService]
            restart: "no"
        """.formatted(TEST_CLASSES, JAR));
    try {
      Result up = ParigotCli.run(dir, LIMIT, "up", "-d", "deploy.yaml");
      assertEquals(0, up.exitCode(), up.output());
      Result ps = ParigotCli.run(dir, LIMIT, "ps", "--json");
      Matcher orchestrator = Pattern.compile("\"orchestrator_pid\" *: *(\\d+)")
          .matcher(ps.output());
      Matcher greeting = Pattern.compile("\"pid\" *: *(\\d+)").matcher(ps.output());
      assertTrue(orchestrator.find() && greeting.find(), ps.output());
      Path log = dir.resolve(".parigot/logs/greeting.log");

      new ProcessBuilder("kill", "-TERM", greeting.group(1)).inheritIO().start().waitFor();
      assertTrue(ParigotCli.waitFor(LIMIT, () -> read(log).contains("slow hook: started")
          && read(log).contains("greeting: stopping after 0 greetings")), read(log));
      ProcessHandle.of(Long.parseLong(orchestrator.group(1))).orElseThrow().destroyForcibly();

      ParigotCli.assertNoJvmLeft(dir.toString(), GRACE);
    } finally {
      ParigotCli.assertNoJvmLeft(dir.toString(), GRACE);
    }
  }

  /**
   * A service with a longer stop_grace_period than the 5 s default gets it: its 6 s shutdown
   * hook finishes before the SIGKILL, which would have come after 5 s.
   */
  @Test
  void aStopGracePeriodGivesAStoppingServiceThatLong(@TempDir Path dir) throws Exception {
    write(dir, """
        name: patient
        services:
          greeting:
            classpath: [%s, %s]
            main: example.helloworld.fixtures.SlowToExit
            args: [example.helloworld.GreetingService]
            jvm_options: [-Dhook.millis=6000]
            stop_grace_period: 15s
        """.formatted(TEST_CLASSES, JAR));
    try {
      Result up = ParigotCli.run(dir, LIMIT, "up", "-d", "deploy.yaml");
      assertEquals(0, up.exitCode(), up.output());

      Result down = ParigotCli.run(dir, LIMIT, "down");

      assertEquals(0, down.exitCode(), down.output());
      String log = read(dir.resolve(".parigot/logs/greeting.log"));
      assertTrue(log.contains("slow hook: started") && log.contains("slow hook: done"), log);
    } finally {
      ParigotCli.run(dir, LIMIT, "down");
      ParigotCli.assertNoJvmLeft(dir.toString(), GRACE);
    }
  }

  private static String read(Path file) {
    try {
      return Files.isRegularFile(file) ? Files.readString(file) : "";
    } catch (IOException e) {
      return "";
    }
  }

  /** A script's {@code up -d && run-tests} must not go on when nothing became ready. */
  @Test
  void upDetachedStoppedByDownBeforeReadyIsAFailure(@TempDir Path dir) throws Exception {
    write(dir, """
        name: stopped
        services:
          greeting:
            classpath: [%s, %s]
            main: example.helloworld.fixtures.SlowToStart
            args: [example.helloworld.GreetingService]
            jvm_options: [-Dstart.millis=20000]
        """.formatted(TEST_CLASSES, JAR));
    Path output = dir.resolve("up.txt");
    Process up = ParigotCli.start(dir, output, "up", "-d", "deploy.yaml");
    try {
      assertTrue(ParigotCli.waitFor(LIMIT, () -> ParigotCli.jvmsMentioning(
          "fixtures.SlowToStart").size() == 1), "greeting did not start");

      Result down = ParigotCli.run(dir, LIMIT, "down");

      assertEquals(0, down.exitCode(), down.output());
      assertTrue(up.waitFor(LIMIT.toSeconds(), TimeUnit.SECONDS));
      String said = Files.readString(output);
      assertEquals(1, up.exitValue(), said);
      assertTrue(said.contains("parigot: the deployment stopped before every service was ready"),
          said);
    } finally {
      ParigotCli.killTree(up.toHandle());
      ParigotCli.run(dir, LIMIT, "down");
      ParigotCli.assertNoJvmLeft("fixtures.SlowToStart", GRACE);
    }
  }

  /** helloworld with its program not marked as one: its exit ends nothing, and is told why. */
  @Test
  void aProgramNotMarkedProgramIsToldOfWhenItExits(@TempDir Path dir) throws Exception {
    write(dir, Files.readString(EXAMPLE.resolve("deploy.yaml"))
        .replace("target/helloworld.jar", JAR).replace("    program: true\n", ""));
    try {
      Result up = ParigotCli.run(dir, LIMIT, "up", "-d", "deploy.yaml");
      assertEquals(0, up.exitCode(), up.output());
      Path log = dir.resolve(".parigot/orchestrator.log");

      assertTrue(ParigotCli.waitFor(LIMIT, () -> read(log).contains("service \"hello\" exited "
          + "with code 0 (restart: on-failure); it exports nothing: if it is the deployment's "
          + "program, mark it `program: true` at deploy.yaml:8:3, and its exit ends the "
          + "deployment")), read(log));
    } finally {
      ParigotCli.run(dir, LIMIT, "down");
      ParigotCli.assertNoJvmLeft(JAR, GRACE);
    }
  }

  @Test
  void twoUpsAtTheSameMomentInOneDirectoryRunOneDeployment(@TempDir Path dir) throws Exception {
    greetingAlone(dir);
    ExecutorService both = Executors.newFixedThreadPool(2);
    try {
      Callable<Result> up = () -> ParigotCli.run(dir, LIMIT, "up", "-d", "deploy.yaml");
      Future<Result> first = both.submit(up);
      Future<Result> second = both.submit(up);
      List<Result> ups = List.of(first.get(), second.get());

      String said = ups.get(0).output() + "\n---\n" + ups.get(1).output();
      assertEquals(1, ups.stream().filter(r -> r.exitCode() == 0).count(), said);
      Result refused = ups.stream().filter(r -> r.exitCode() != 0).findFirst().orElseThrow();
      assertEquals(2, refused.exitCode(), said);
      assertTrue(refused.output().contains("is already running from")
          || refused.output().contains("another orchestrator is starting"), said);
      Result ps = ParigotCli.run(dir, LIMIT, "ps", "--json");
      assertEquals(0, ps.exitCode(), ps.output());
      long orchestrators = ProcessHandle.allProcesses().filter(p -> p.info().arguments()
          .map(a -> Arrays.asList(a).contains(dir.resolve("deploy.yaml").toString()))
          .orElse(false)).count();
      assertEquals(1, orchestrators, "one orchestrator runs the deployment");
    } finally {
      both.shutdownNow();
      ParigotCli.run(dir, LIMIT, "down");
      ParigotCli.assertNoJvmLeft(dir.toString(), GRACE);
      ParigotCli.assertNoJvmLeft(JAR, GRACE);
    }
  }

  /**
   * A first run stopped while a service was still starting had loaded a fraction of its classes:
   * no archive is made of them, and the next run that gets ready records a whole one.
   */
  @Test
  void aRunStoppedBeforeReadyRecordsNoArchiveAndTheNextRunDoes(@TempDir Path dir)
      throws Exception {
    // in a jar: a class directory on the classpath rules an archive out
    Path slow = dir.resolve("slow.jar");
    String entry = "example/helloworld/fixtures/SlowToStart.class";
    try (JarOutputStream jar = new JarOutputStream(Files.newOutputStream(slow))) {
      jar.putNextEntry(new JarEntry(entry));
      jar.write(Files.readAllBytes(Path.of(TEST_CLASSES, entry)));
    }
    write(dir, """
        name: early
        services:
          greeting:
            classpath: [%2$s, %1$s]
            main: example.helloworld.fixtures.SlowToStart
            args: [example.helloworld.GreetingService]
            jvm_options: [-Dstart.millis=2500]
          hello:
            classpath: [%1$s]
            main: example.helloworld.Hello
            program: true
        """.formatted(JAR, slow));
    Path cds = dir.resolve(".parigot/cds");
    Path output = dir.resolve("first.txt");
    Process first = ParigotCli.start(dir, output, "up", "deploy.yaml");
    try {
      assertTrue(ParigotCli.waitFor(LIMIT, () -> ParigotCli.jvmsMentioning(
          "fixtures.SlowToStart").size() == 1), "greeting did not start");
      Thread.sleep(500); // greeting sleeps before its launch; hello waits for it
      first.destroy(); // SIGTERM, as Ctrl-C would
      assertTrue(first.waitFor(LIMIT.toSeconds(), TimeUnit.SECONDS));
      String said = Files.readString(output);
      assertFalse(said.contains("recording the class-data archive"), said);
      assertFalse(archiveOf(cds, "greeting", "jsa").isPresent(), said);

      Result second = ParigotCli.run(dir, LIMIT, "up", "deploy.yaml");

      assertEquals(0, second.exitCode(), second.output());
      second.assertPrinted("recording the class-data archive"); // hello's may be done already
      assertTrue(archiveOf(cds, "greeting", "jsa").isPresent(), second.output());
    } finally {
      ParigotCli.killTree(first.toHandle());
      ParigotCli.assertNoJvmLeft(dir.toString(), GRACE);
    }
  }

  @Test
  void theFirstRunRecordsAClassDataArchivePerServiceAndTheNextStartsFromIt(@TempDir Path dir)
      throws Exception {
    write(dir, """
        name: archived
        services:
          greeting:
            classpath: [%1$s]
            main: example.helloworld.GreetingService
            jvm_options: [-Xlog:cds=info]
          hello:
            classpath: [%1$s]
            main: example.helloworld.Hello
            program: true
        """.formatted(JAR));
    Path cds = dir.resolve(".parigot/cds");

    Result first = ParigotCli.run(dir, LIMIT, "up", "deploy.yaml");
    assertEquals(0, first.exitCode(), first.output());
    // the services list their classes; the orchestrator dumps each archive once it exited, and
    // waits for those left (hello's may be done by the time greeting has stopped)
    first.assertPrinted("recording the class-data archive");
    for (String service : new String[] {"greeting", "hello"}) {
      assertTrue(archiveOf(cds, service, "jsa").isPresent(), service + " has no archive in "
          + cds + "; the run printed:\n" + first.output());
    }
    assertFalse(archiveOf(cds, "greeting", "classlist").isPresent(),
        "the class list is left once its archive is dumped");

    Result second = ParigotCli.run(dir, LIMIT, "up", "deploy.yaml");
    assertEquals(0, second.exitCode(), second.output());
    assertTrue(second.output().lines().anyMatch(l -> l.startsWith("greeting")
        && l.contains("Opened archive") && l.contains("cds/greeting-")),
        "greeting did not start from its archive:\n" + second.output());
    second.assertPrinted("bonjour, world");
    assertFalse(second.output().contains("recording the class-data"), second.output());

    // an archive cut short (a full disk, a copy gone wrong) is not used but recorded again
    Result third = cutShortAndRunAgain(dir, archiveOf(cds, "greeting", "jsa").orElseThrow(),
        "Opened archive");
    third.assertPrinted("recording the class-data archive of 1 service");
    ParigotCli.assertNoJvmLeft(JAR, GRACE);
    ParigotCli.assertNoJvmLeft(cds.toString(), GRACE);
  }

  @Test
  void onJdk25TheFirstRunRecordsAnAotCachePerServiceAndTheNextStartsFromIt(@TempDir Path dir)
      throws Exception {
    Optional<Path> jdk = jdkHome(25);
    assumeTrue(jdk.isPresent(), "no JDK 25 or newer under " + JDKS + " (a release file with "
        + "JAVA_VERSION 25 or more): the AOT cache needs JDK 25's -XX:AOTCacheOutput");
    write(dir, """
        name: cached
        java: %2$s
        services:
          greeting:
            classpath: [%1$s]
            main: example.helloworld.GreetingService
            jvm_options: [-Xlog:aot=info]
          hello:
            classpath: [%1$s]
            main: example.helloworld.Hello
            program: true
        """.formatted(JAR, jdk.get()));
    Path cds = dir.resolve(".parigot/cds");

    Result first = ParigotCli.run(dir, LIMIT, "up", "deploy.yaml");
    assertEquals(0, first.exitCode(), first.output());
    first.assertPrinted("1 service records its AOT cache as it exits");
    for (String service : new String[] {"greeting", "hello"}) {
      assertTrue(archiveOf(cds, service, "aot").isPresent(), service + " has no AOT cache in " + cds
          + "; the run printed:\n" + first.output());
    }
    // the training run's own report of the cache it writes is not the user's business
    assertFalse(first.output().contains("AOTCache creation is complete")
        || first.output().contains("Picked up JAVA_TOOL_OPTIONS"), first.output());

    Result second = ParigotCli.run(dir, LIMIT, "up", "deploy.yaml");
    assertEquals(0, second.exitCode(), second.output());
    assertTrue(second.output().lines().anyMatch(l -> l.startsWith("greeting")
        && l.contains("Opened AOT cache") && l.contains("cds/greeting-")),
        "greeting did not start from its AOT cache:\n" + second.output());
    second.assertPrinted("bonjour, world");

    // a cache cut short (a full disk, a copy gone wrong) is not used but recorded again
    cutShortAndRunAgain(dir, archiveOf(cds, "greeting", "aot").orElseThrow(), "Opened AOT cache");
    ParigotCli.assertNoJvmLeft(JAR, GRACE);
    ParigotCli.assertNoJvmLeft(cds.toString(), GRACE);
  }

  /**
   * JDK 24 and newer warn, at every start, of gRPC's netty and protobuf using sun.misc.Unsafe and
   * native access: the {@code parigot} script starts the orchestrator as its services are
   * started, with the options that allow both quietly, and so does {@code up -d} its detached
   * orchestrator.
   */
  @Test
  void onJdk24OrNewerTheCliPrintsNoWarningOfTheJdksAndAMovedCheckoutStartsDetached(@TempDir Path dir) throws Exception {
    Optional<Path> jdk = jdkHome(24);
    assumeTrue(jdk.isPresent(), "no JDK 24 or newer under " + JDKS);
    Path work = Files.createDirectories(dir.resolve("work"));
    write(work, """
        name: quiet
        services:
          greeting:
            classpath: [%1$s]
            main: example.helloworld.GreetingService
            archive: false
          hello:
            classpath: [%1$s]
            main: example.helloworld.Hello
            program: true
            archive: false
        """.formatted(JAR));
    Map<String, String> env = Map.of("JAVA_HOME", jdk.get().toString(), "NO_COLOR", "1");
    Path checkout = dir.resolve("checkout");
    try {
      Result up = ParigotCli.runScript(checkout, work, LIMIT, env, "up", "deploy.yaml");
      assertEquals(0, up.exitCode(), up.output());
      up.assertPrinted("bonjour, world");
      up.assertPrinted("recording the orchestrator's class-data archive");
      // the checkout moves: its orchestrator archive, recorded at the old path, is not used
      // (on JDK 25 up -d from it could not find its own jar)
      Path moved = Files.move(checkout, dir.resolve("moved"));
      Result detached = ParigotCli.runScript(moved, work, LIMIT, env, "up", "-d", "deploy.yaml");
      assertEquals(0, detached.exitCode(), detached.output());
      Result ps = ParigotCli.runScript(moved, work, LIMIT, env, "ps");
      for (Result run : List.of(up, detached, ps)) {
        assertFalse(run.output().contains("WARNING"), run.output());
      }
      String orchestratorLog = Files.readString(work.resolve(".parigot/orchestrator.log"));
      assertTrue(orchestratorLog.contains("bonjour, world"), orchestratorLog);
      assertFalse(orchestratorLog.contains("WARNING"), orchestratorLog);
    } finally {
      ParigotCli.run(work, LIMIT, "down");
    }
    ParigotCli.assertNoJvmLeft(JAR, GRACE);
  }

  /**
   * {@code parigot restart} of a service whose start takes longer than a minute, within its
   * {@code startup_timeout}, waits for it as the supervisor does, rather than give up at 60 s
   * and say the service was not ready again while it was coming up as its settings allow.
   */
  @Test
  void restartWaitsAsLongAsTheServicesStartupTimeout(@TempDir Path dir) throws Exception {
    // a JDK whose java takes 61 s to start once the mark is there: this service's second start
    Path jdk = Files.createDirectories(dir.resolve("slow-jdk/bin")).getParent();
    Path home = Path.of(System.getProperty("java.home"));
    Files.copy(home.resolve("release"), jdk.resolve("release"));
    Path mark = dir.resolve("slow");
    Path java = jdk.resolve("bin/java");
    Files.writeString(java, "#!/bin/sh\n[ -f '" + mark + "' ] && sleep 61\nexec '"
        + home.resolve("bin/java") + "' \"$@\"\n");
    java.toFile().setExecutable(true);
    write(dir, """
        name: slow
        services:
          greeting:
            classpath: [%s]
            main: example.helloworld.GreetingService
            java: %s
            archive: false
            startup_timeout: 100s
        """.formatted(JAR, jdk));
    try {
      Result up = ParigotCli.run(dir, LIMIT, "up", "-d");
      assertEquals(0, up.exitCode(), up.output());
      Files.createFile(mark);

      Result restart = ParigotCli.run(dir, Duration.ofSeconds(150), "restart", "greeting");

      assertEquals(0, restart.exitCode(), restart.output());
      restart.assertPrinted("service \"greeting\" is ready (pid ");
      assertTrue(restart.took().toSeconds() >= 61, restart.took().toString());
    } finally {
      ParigotCli.run(dir, LIMIT, "down");
    }
    ParigotCli.assertNoJvmLeft(JAR, GRACE);
  }

  /**
   * A JAVA_HOME that names no JDK (a typo, a JDK since removed) is bad input, said so by the
   * script, not bash's "No such file or directory" of a line of it, exit 127.
   */
  @Test
  void aJavaHomeWithNoJavaIsSaidSoByTheScript(@TempDir Path dir) throws Exception {
    Path missing = dir.resolve("no-such-jdk");

    Result ps = ParigotCli.runScript(dir.resolve("checkout"), dir, LIMIT,
        Map.of("JAVA_HOME", missing.toString()), "ps");

    assertEquals(2, ps.exitCode(), ps.output());
    assertEquals("parigot: JAVA_HOME is " + missing + ", which has no bin/java; set it to a JDK "
        + "17 or newer, or unset it to run the java on the PATH.\n", ps.output());
  }

  /**
   * A service whose ready crosses the stop of a deployment that failed (another service threw
   * at start, sooner than a parigot service gets ready) is not said to be ready after the
   * deployment was said to have failed: the user would read it as the deployment coming up.
   */
  @Test
  void noServiceIsSaidToBeReadyOnceTheDeploymentHasFailed(@TempDir Path dir) throws Exception {
    write(dir, """
        name: failing
        services:
          greeting:
            classpath: [%2$s]
            main: example.helloworld.GreetingService
          broken:
            classpath: [%1$s]
            main: example.helloworld.fixtures.ThrowingGreeting
        """.formatted(TEST_CLASSES, JAR));

    Result run = ParigotCli.run(dir, LIMIT, "up", "deploy.yaml");

    assertEquals(1, run.exitCode(), run.output());
    List<String> lines = run.output().lines().toList();
    int failed = -1;
    for (int i = 0; i < lines.size(); i++) {
      if (lines.get(i).contains("deployment \"failing\" failed")) {
        failed = i;
      }
    }
    assertTrue(failed >= 0, run.output());
    assertFalse(lines.subList(failed, lines.size()).stream().anyMatch(l -> l.contains(" is ready")),
        run.output());
    ParigotCli.assertNoJvmLeft(JAR, GRACE);
  }

  /**
   * A service past its startup_timeout that never even registered: most often a main that does
   * not start parigot. parigot says that it never registered, not only that it was not ready.
   */
  @Test
  void aServiceThatNeverRegisteredIsSaidToHaveNeverRegistered(@TempDir Path dir)
      throws Exception {
    write(dir, """
        name: silent
        services:
          greeting:
            classpath: [%s, %s]
            main: example.helloworld.fixtures.SlowToStart
            args: [example.helloworld.GreetingService]
            jvm_options: [-Dstart.millis=60000]
            startup_timeout: 1s
        """.formatted(TEST_CLASSES, JAR));

    Result run = ParigotCli.run(dir, LIMIT, "up", "deploy.yaml");

    assertEquals(1, run.exitCode(), run.output());
    run.assertPrinted("service \"greeting\" was not ready within 1 s and never registered with "
        + "the orchestrator: its main does not start parigot (Parigot.service(...).run() or "
        + "Parigot.program(...)), or takes longer than that to get there; killing it");
    ParigotCli.assertNoJvmLeft(JAR, GRACE);
  }

  /** The mistake of a main that makes its service's context and forgets to run it. */
  @Test
  void aServiceWhoseMainReturnsBeforeStartingParigotIsToldSo(@TempDir Path dir) throws Exception {
    write(dir, """
        name: forgetful
        services:
          greeting:
            classpath: [%s, %s]
            main: example.helloworld.fixtures.ForgetsToRun
          hello:
            classpath: [%s]
            main: example.helloworld.Hello
            program: true
        """.formatted(TEST_CLASSES, JAR, JAR));

    Result run = ParigotCli.run(dir, LIMIT, "up", "deploy.yaml");

    assertEquals(1, run.exitCode(), run.output());
    run.assertPrinted("service \"greeting\" failed to start: it exited with code 0: it printed "
        + "nothing; it never registered with the orchestrator: its main ended without starting "
        + "parigot (Parigot.service(...).run() for a service;");
    // and the program waiting for it hears that it exited, not that it crashed
    run.assertPrinted("exited before it was ready (exit code 0)");
    ParigotCli.assertNoJvmLeft(JAR, GRACE);
  }

  @Test
  void aServiceThatThrowsAtStartEndsTheDeploymentWithItsCause(@TempDir Path dir) throws Exception {
    write(dir, """
        name: throwing
        services:
          greeting:
            classpath: [%s, %s]
            main: example.helloworld.fixtures.ThrowingGreeting
          hello:
            classpath: [%s]
            main: example.helloworld.Hello
            program: true
        """.formatted(TEST_CLASSES, JAR, JAR));

    Result run = ParigotCli.run(dir, LIMIT, "up", "deploy.yaml");

    assertEquals(1, run.exitCode(), run.output());
    run.assertPrinted("service \"greeting\" failed to start");
    run.assertPrinted("the greeting table is corrupt");
    ParigotCli.assertNoJvmLeft(JAR, GRACE);
  }

  @Test
  void aRequirementNobodyExportsEndsTheDeploymentNamingIt(@TempDir Path dir) throws Exception {
    write(dir, """
        name: lonely
        services:
          greeting:
            classpath: [%s]
            main: example.helloworld.GreetingService
          lonely:
            classpath: [%s, %s]
            main: example.helloworld.fixtures.LonelyHello
            program: true
        """.formatted(JAR, TEST_CLASSES, JAR));

    Result run = ParigotCli.run(dir, LIMIT, "up", "deploy.yaml");

    assertEquals(1, run.exitCode(), run.output());
    run.assertPrinted("requires farewell.v1.Farewell, but no service in this deployment exports it");
    run.assertPrinted("program \"lonely\" exited with code 1");
    ParigotCli.assertNoJvmLeft(JAR, GRACE);
  }

  /** Two services serving one interface: Locate could not tell which; the deployment stops. */
  @Test
  void twoServicesExportingOneInterfaceStopTheDeploymentNamingBoth(@TempDir Path dir)
      throws Exception {
    write(dir, """
        name: twice
        services:
          greeting:
            classpath: [%1$s]
            main: example.helloworld.GreetingService
          greeting2:
            classpath: [%1$s]
            main: example.helloworld.GreetingService
        """.formatted(JAR));

    Result run = ParigotCli.run(dir, LIMIT, "up", "deploy.yaml");

    assertEquals(1, run.exitCode(), run.output());
    // whichever registered second is told of the first
    Matcher told = Pattern.compile("deploy\\.yaml:(\\d+):3: services \"(greeting2?)\" "
        + "\\(deploy\\.yaml:(\\d+):3\\) and \"(greeting2?)\" both export greeting\\.v1\\.Greeting; "
        + "a deployment runs one service per interface").matcher(run.output());
    assertTrue(told.find(), run.output());
    assertEquals(Set.of("greeting", "greeting2"), Set.of(told.group(2), told.group(4)),
        run.output());
    assertEquals(told.group(4).equals("greeting") ? "3" : "6", told.group(1), run.output());
    assertEquals(told.group(2).equals("greeting") ? "3" : "6", told.group(3), run.output());
    ParigotCli.assertNoJvmLeft(JAR, GRACE);
  }

  /** Where the state directory cannot be made (here a file is in the way; or read-only). */
  @Test
  void aStateDirectoryThatCannotBeWrittenIsSaidInOneLine(@TempDir Path dir) throws Exception {
    greetingAlone(dir);
    Files.writeString(dir.resolve(".parigot"), "");
    for (String[] up : List.of(new String[] {"up", "deploy.yaml"},
        new String[] {"up", "-d", "deploy.yaml"})) {
      Result run = ParigotCli.run(dir, LIMIT, up);

      assertEquals(2, run.exitCode(), run.output());
      run.assertPrinted("parigot: cannot write " + dir.resolve(".parigot").toRealPath()
          + ": a file is in the way. parigot keeps a deployment's state in .parigot/");
      assertFalse(run.output().contains("\tat "), run.output());
    }
    ParigotCli.assertNoJvmLeft(dir.toString(), GRACE);
  }

  @Test
  void aMissingJarIsABadInputErrorAndStartsNothing(@TempDir Path dir) throws Exception {
    write(dir, """
        name: missing
        services:
          greeting:
            classpath: [no/such/greeting.jar]
            main: example.helloworld.GreetingService
        """);

    Result run = ParigotCli.run(dir, LIMIT, "up", "deploy.yaml");

    assertEquals(2, run.exitCode(), run.output());
    run.assertPrinted("deploy.yaml:4:");
    run.assertPrinted("no/such/greeting.jar");
    run.assertPrinted("nothing was started");
  }

  @Test
  void aJdkThatIsNotThereIsABadInputErrorAndStartsNothing(@TempDir Path dir) throws Exception {
    write(dir, """
        name: nojdk
        services:
          greeting:
            classpath: [%s]
            main: example.helloworld.GreetingService
            java: /opt/no-such-jdk-25
        """.formatted(JAR));

    Result run = ParigotCli.run(dir, LIMIT, "up", "deploy.yaml");

    assertEquals(2, run.exitCode(), run.output());
    run.assertPrinted("deploy.yaml:6:11: services.greeting.java /opt/no-such-jdk-25 does not exist");
    run.assertPrinted("nothing was started");
  }

  @Test
  void aMissingMainClassIsABadInputError(@TempDir Path dir) throws Exception {
    write(dir, """
        name: noclass
        services:
          greeting:
            classpath: [%s]
            main: example.helloworld.NoSuchGreeting
        """.formatted(JAR));

    Result run = ParigotCli.run(dir, LIMIT, "up", "deploy.yaml");

    assertEquals(2, run.exitCode(), run.output());
    run.assertPrinted("example.helloworld.NoSuchGreeting");
    run.assertPrinted("nothing was started");
  }

  /**
   * The file of {@code service} with {@code extension} that the orchestrator keeps in {@code
   * cds}, if there is one: its class-data archive ({@code jsa}), AOT cache ({@code aot}) or the
   * class list its archive is dumped from ({@code classlist}).
   */
  /**
   * Cuts greeting's archive (or AOT cache) to 4 KB and runs the deployment again: it must start
   * without it ({@code opened} is what the JVM logs when it maps one) and record it again.
   */
  private static Result cutShortAndRunAgain(Path dir, Path archive, String opened)
      throws Exception {
    Files.write(archive, Arrays.copyOf(Files.readAllBytes(archive), 4096));
    Result run = ParigotCli.run(dir, LIMIT, "up", "deploy.yaml");
    assertEquals(0, run.exitCode(), run.output());
    run.assertPrinted("bonjour, world");
    assertFalse(run.output().lines().anyMatch(l -> l.contains(opened)
        && l.contains("cds/greeting-")), run.output());
    assertTrue(Files.size(archive) > 4096, "greeting's " + archive.getFileName()
        + " was not recorded again:\n" + run.output());
    return run;
  }

  private static Optional<Path> archiveOf(Path cds, String service, String extension)
      throws IOException {
    try (Stream<Path> files = Files.list(cds)) {
      return files.filter(f -> f.getFileName().toString().matches(service + "-[0-9a-f]+\\."
          + extension)).findFirst();
    }
  }

  /** The home of the newest JDK under /usr/lib/jvm whose feature release is at least {@code min}. */
  private static Optional<Path> jdkHome(int min) throws IOException {
    if (!Files.isDirectory(JDKS)) {
      return Optional.empty();
    }
    Path best = null;
    int bestFeature = 0;
    try (Stream<Path> homes = Files.list(JDKS)) {
      for (Path home : homes.sorted().toList()) {
        Path release = home.resolve("release");
        if (!Files.isRegularFile(release) || !Files.isExecutable(home.resolve("bin/java"))) {
          continue;
        }
        Matcher m = JAVA_VERSION.matcher(Files.readString(release));
        int feature = m.find() ? Integer.parseInt(m.group(1)) : 0;
        if (feature >= min && feature > bestFeature) {
          best = home;
          bestFeature = feature;
        }
      }
    }
    return Optional.ofNullable(best);
  }

  /** examples/helloworld/greeting.yaml, the greeting service alone, as deploy.yaml in {@code dir}. */
  private static void greetingAlone(Path dir) throws IOException {
    write(dir, Files.readString(EXAMPLE.resolve("greeting.yaml"))
        .replace("[target/helloworld.jar]", "[" + JAR + "]"));
  }

  private static void write(Path dir, String yaml) throws IOException {
    Files.writeString(dir.resolve("deploy.yaml"), yaml);
  }
}
