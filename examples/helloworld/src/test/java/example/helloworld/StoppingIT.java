package example.helloworld;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.parigot.it.ParigotCli;
import io.parigot.it.ParigotCli.Result;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Stopping what does not stop by itself: a service JVM suspended by SIGSTOP (a debugger, a
 * {@code parigot kill --signal STOP}), and a foreground {@code parigot up} sent one signal after
 * another while it stops.
 */
class StoppingIT {
  private static final Duration LIMIT = Duration.ofSeconds(90);
  private static final Duration GRACE = Duration.ofSeconds(5);
  /** The services' stop_grace_period: what a suspended JVM would sit out before its SIGKILL. */
  private static final Duration LONG_GRACE = Duration.ofSeconds(30);
  private static final Path EXAMPLE = Path.of("").toAbsolutePath();
  private static final String JAR = EXAMPLE.resolve("target/helloworld.jar").toString();
  private static final String TEST_CLASSES = EXAMPLE.resolve("target/test-classes").toString();

  @TempDir
  Path dir;

  @AfterEach
  void stopEverything() throws Exception {
    ParigotCli.run(dir, LIMIT, "down");
    ParigotCli.assertNoJvmLeft(dir.toString(), GRACE);
    ParigotCli.assertNoJvmLeft(JAR, GRACE);
  }

  /** down sends a suspended JVM SIGCONT after its SIGTERM: it runs its exit hooks, and ends. */
  @Test
  void downStopsASuspendedServiceAtOnceWithItsExitHooks() throws Exception {
    upDetachedWithGreetingSuspended();

    Result down = ParigotCli.run(dir, LIMIT, "down");

    assertEquals(0, down.exitCode(), down.output());
    down.assertPrinted("deployment \"greeter\" is down");
    assertTrue(down.took().compareTo(LONG_GRACE) < 0, "down took " + down.took());
    assertTrue(log().contains("greeting: stopping after 0 greetings"), log());
  }

  @Test
  void stopAndRestartOfASuspendedServiceDoNotWaitOutItsGracePeriod() throws Exception {
    upDetachedWithGreetingSuspended();

    Result stop = ParigotCli.run(dir, LIMIT, "stop", "greeting");

    assertEquals(0, stop.exitCode(), stop.output());
    stop.assertPrinted("stopped service \"greeting\"");
    assertTrue(stop.took().compareTo(LONG_GRACE) < 0, "stop took " + stop.took());
    assertEquals(0, ParigotCli.run(dir, LIMIT, "start", "greeting").exitCode());
    suspend("greeting");

    Result restart = ParigotCli.run(dir, LIMIT, "restart", "greeting");

    assertEquals(0, restart.exitCode(), restart.output());
    restart.assertPrinted("service \"greeting\" is ready");
    assertTrue(restart.took().compareTo(LONG_GRACE) < 0, "restart took " + restart.took());
  }

  /**
   * Signals to an up that is stopping (its service runs a 3 s shutdown hook) change nothing: the
   * first one's reason is said once, and its exit code stays.
   */
  @Test
  void aSecondSignalToAStoppingUpSaysNothingMore() throws Exception {
    writeSlowToExit();
    Path output = dir.resolve("up.out");
    Process up = ParigotCli.start(dir, output, "up", "deploy.yaml");
    try {
      awaitPrinted(output, "deployment \"greeter\" is ready");
      signal("TERM", up.pid());
      awaitPrinted(output, "slow hook: started");

      signal("TERM", up.pid());
      signal("HUP", up.pid());
      Result down = ParigotCli.run(dir, LIMIT, "down");

      assertEquals(0, down.exitCode(), down.output());
      assertTrue(up.waitFor(LIMIT.toSeconds(), TimeUnit.SECONDS), read(output));
      String said = read(output);
      assertEquals(143, up.exitValue(), said);
      assertEquals(1, said.split("stopping \\(", -1).length - 1, said);
      assertTrue(said.contains("parigot  | stopping (SIGTERM)"), said);
      assertFalse(said.contains("Exception"), said);
      assertTrue(said.contains("slow hook: done"), "the hook was cut short:\n" + said);
    } finally {
      ParigotCli.killTree(up.toHandle());
    }
  }

  /** A Ctrl-C while up stops for a SIGTERM says what a second one does, and that one kills. */
  @Test
  void aCtrlCWhileStoppingForSigtermStillKillsAtTheSecond() throws Exception {
    writeSlowToExit();
    Path output = dir.resolve("up.out");
    Process up = ParigotCli.start(dir, output, "up", "deploy.yaml");
    try {
      awaitPrinted(output, "deployment \"greeter\" is ready");
      signal("TERM", up.pid());
      awaitPrinted(output, "slow hook: started");

      signal("INT", up.pid());
      awaitPrinted(output, "parigot  | Ctrl-C again to kill at once");
      signal("INT", up.pid());

      assertTrue(up.waitFor(LIMIT.toSeconds(), TimeUnit.SECONDS), read(output));
      String said = read(output);
      assertEquals(143, up.exitValue(), said);
      assertTrue(said.contains("killing every service now"), said);
      assertFalse(said.contains("slow hook: done"), "not killed at once:\n" + said);
    } finally {
      ParigotCli.killTree(up.toHandle());
    }
  }

  /**
   * A foreground up of a deploy.yaml in another directory: the commands its lines suggest carry
   * that file, so that they work where up was typed; the lines saying why keep their words.
   */
  @Test
  void theCommandsAnUpOfAnotherDirectorySuggestsCarryItsFile() throws Exception {
    Path shop = Files.createDirectories(dir.resolve("shop"));
    Files.writeString(shop.resolve("deploy.yaml"), """
        name: greeter
        services:
          greeting:
            classpath: [%s]
            main: example.helloworld.GreetingService
        """.formatted(JAR));
    Path output = dir.resolve("up.out");
    Process up = ParigotCli.start(dir, output, "up", "shop/deploy.yaml");
    try {
      awaitPrinted(output, "deployment \"greeter\" is ready");

      Result stop = ParigotCli.run(dir, LIMIT, "stop", "--file", "shop/deploy.yaml", "greeting");

      assertEquals(0, stop.exitCode(), stop.output());
      awaitPrinted(output, "it stays stopped until parigot start --file shop/deploy.yaml "
          + "greeting");
      assertTrue(read(output).contains(") (parigot stop)"), read(output));
    } finally {
      ParigotCli.run(dir, LIMIT, "down", "--file", "shop/deploy.yaml");
      ParigotCli.killTree(up.toHandle());
    }
  }

  /**
   * A down while up -d of a deployment with a program still waits for it to be ready: nothing
   * became ready and the program did not end, so a script's {@code up -d && run-tests} stops.
   */
  @Test
  void upDetachedOfAProgramStoppedByDownBeforeReadyIsAFailure() throws Exception {
    Files.writeString(dir.resolve("deploy.yaml"), """
        name: greeter
        services:
          greeting:
            classpath: [%s, %s]
            main: example.helloworld.fixtures.SlowToStart
            args: [example.helloworld.GreetingService]
            jvm_options: [-Dstart.millis=20000]
          hello:
            classpath: [%2$s]
            main: example.helloworld.Hello
            program: true
        """.formatted(TEST_CLASSES, JAR));
    Path output = dir.resolve("up.out");
    Process up = ParigotCli.start(dir, output, "up", "-d", "deploy.yaml");
    try {
      assertTrue(ParigotCli.waitFor(LIMIT, () -> psState("greeting").equals("starting")),
          () -> psState("greeting"));

      Result down = ParigotCli.run(dir, LIMIT, "down");

      assertEquals(0, down.exitCode(), down.output());
      assertTrue(up.waitFor(LIMIT.toSeconds(), TimeUnit.SECONDS), read(output));
      String said = read(output);
      assertEquals(1, up.exitValue(), said);
      assertTrue(said.contains("parigot: the deployment stopped before every service was ready"),
          said);
    } finally {
      ParigotCli.killTree(up.toHandle());
    }
  }

  /** up -d of greeting alone with a long grace period, then greeting suspended. */
  private void upDetachedWithGreetingSuspended() throws Exception {
    Files.writeString(dir.resolve("deploy.yaml"), """
        name: greeter
        services:
          greeting:
            classpath: [%s]
            main: example.helloworld.GreetingService
            stop_grace_period: %ds
        """.formatted(JAR, LONG_GRACE.toSeconds()));
    Result up = ParigotCli.run(dir, LIMIT, "up", "-d", "deploy.yaml");
    assertEquals(0, up.exitCode(), up.output());
    suspend("greeting");
  }

  /** Greeting under a 3 s shutdown hook, so that its stop lasts that long. */
  private void writeSlowToExit() throws IOException {
    Files.writeString(dir.resolve("deploy.yaml"), """
        name: greeter
        services:
          greeting:
            classpath: [%s, %s]
            main: example.helloworld.fixtures.SlowToExit
            args: [example.helloworld.GreetingService]
            jvm_options: [-Dhook.millis=3000]
            stop_grace_period: %ds
        """.formatted(TEST_CLASSES, JAR, LONG_GRACE.toSeconds()));
  }

  private void suspend(String service) throws Exception {
    Result stop = ParigotCli.run(dir, LIMIT, "kill", "--signal", "STOP", service);
    assertEquals(0, stop.exitCode(), stop.output());
    assertTrue(ParigotCli.waitFor(LIMIT, () -> psState(service).equals("suspended")),
        () -> psState(service));
  }

  private String psState(String service) {
    try {
      Result ps = ParigotCli.run(dir, LIMIT, "ps", "--json", service);
      Matcher state = Pattern.compile("\"state\" *: *\"([^\"]*)\"").matcher(ps.output());
      return state.find() ? state.group(1) : ps.output();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError(e);
    }
  }

  private static void signal(String name, long pid) throws Exception {
    assertEquals(0, new ProcessBuilder("kill", "-s", name, Long.toString(pid)).inheritIO()
        .start().waitFor());
  }

  private static void awaitPrinted(Path output, String text) throws InterruptedException {
    assertTrue(ParigotCli.waitFor(LIMIT, () -> read(output).contains(text)),
        () -> "no \"" + text + "\"; parigot up printed:\n" + read(output));
  }

  private String log() throws IOException {
    return Files.readString(dir.resolve(".parigot/logs/greeting.log"));
  }

  private static String read(Path file) {
    try {
      return Files.exists(file) ? Files.readString(file) : "";
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
