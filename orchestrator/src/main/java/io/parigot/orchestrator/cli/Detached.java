package io.parigot.orchestrator.cli;

import io.parigot.control.v1.ServiceStatus;
import io.parigot.control.v1.StatusRequest;
import io.parigot.control.v1.StatusResponse;
import io.parigot.deploy.Deployment;
import io.parigot.deploy.ServiceSpec;
import io.parigot.orchestrator.control.PidReuse;
import io.parigot.orchestrator.control.StateDirectory;
import io.parigot.orchestrator.supervise.Supervisor;
import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import sun.misc.Signal;

/**
 * {@code parigot up -d}: runs the orchestrator as a background process of its own session, its
 * output in {@code .parigot/orchestrator.log}, and returns once the deployment is ready (exit 0)
 * or has failed (its exit code).
 */
final class Detached {
  static final String ENV = "PARIGOT_DETACHED";

  private Detached() {}

  static boolean isDetachedChild() {
    return System.getenv(ENV) != null;
  }

  /** The orchestrator's own log in the state directory, once it has claimed it. */
  static final String LOG = "orchestrator.log";
  /** How long {@code up -d} watches a ready deployment's program before it leaves it running. */
  static final Duration PROGRAM_SETTLE = Duration.ofSeconds(1);
  /**
   * How long {@code up -d} waits, once the program has ended, for the deployment to stop: the
   * services' stop grace (longer on a first run on JDK 25, which writes AOT caches as they
   * exit), and on a first run the recording of their class-data archives, with a margin.
   */
  static final Duration STOPPING_LIMIT =
      Supervisor.ARCHIVE_GRACE.plus(Supervisor.DUMPS_LIMIT).plusSeconds(30);

  /**
   * In a detached orchestrator that has just claimed {@code state}: its output, so far going to
   * the log of the up -d that started it, goes on as {@code orchestrator.log}.
   */
  static void claimed(StateDirectory state) {
    String log = System.getenv(ENV);
    if (log == null || log.isEmpty() || !Files.isRegularFile(Path.of(log))) {
      return;
    }
    try {
      // renamed under the open file: what the JVM writes next lands in it all the same
      Files.move(Path.of(log), state.root().resolve(LOG), StandardCopyOption.REPLACE_EXISTING,
          StandardCopyOption.ATOMIC_MOVE);
    } catch (IOException e) {
      // its output stays where it is; parigot logs shows the services' all the same
    }
  }

  /**
   * In an orchestrator about to let go of {@code state}: a detached one records the code it ends
   * with, which ps, logs -f and down tell once its run has ended in the background (one that
   * cannot be written is said in orchestrator.log, with the code).
   */
  static void ending(StateDirectory state, int code, Console console) {
    if (!isDetachedChild()) {
      return;
    }
    try {
      state.recordExitCode(code);
    } catch (IOException e) {
      console.warn("could not record the deployment's exit code " + code + " in "
          + state.root() + ": " + e.getMessage());
    }
  }

  /** How the log of an up -d whose orchestrator has not claimed the directory yet begins. */
  private static final String STARTING = "orchestrator-";
  /** How long a verb waits for the claim of an up -d's orchestrator (its JVM is starting). */
  static final Duration CLAIM_LIMIT = Duration.ofSeconds(20);

  /**
   * Waits for the claim of the deployment an up -d is starting here: from the up -d's start
   * until its orchestrator's JVM has claimed the state directory (a second or two) there is no
   * control.json yet, and ps, down or logs typed then would say that nothing runs (and tell of
   * the run before), then find it running a moment later. The deployment running here, or
   * empty when no up -d is starting one (any longer: its orchestrator was refused or ended
   * before its claim), or after {@code limit}.
   */
  static Optional<StateDirectory.Running> awaitClaim(StateDirectory state, Duration limit)
      throws InterruptedException {
    long deadline = System.nanoTime() + limit.toNanos();
    Optional<StateDirectory.Running> running = state.running();
    while (running.isEmpty() && isStarting(state) && System.nanoTime() < deadline) {
      Thread.sleep(50);
      running = state.running();
    }
    return running;
  }

  /** Whether an up -d that is still there has started a deployment here and not seen it claimed. */
  static boolean isStarting(StateDirectory state) {
    // its log keeps its own name until the orchestrator's claim renames it orchestrator.log
    try (Stream<Path> files = Files.list(state.root())) {
      return files.anyMatch(Detached::isLogOfALiveUpDashD);
    } catch (IOException | UncheckedIOException e) {
      return false; // no state directory (yet)
    }
  }

  private static boolean isLogOfALiveUpDashD(Path file) {
    String name = file.getFileName().toString();
    if (!name.startsWith(STARTING) || !name.endsWith(".log")) {
      return false;
    }
    String digits = name.substring(STARTING.length(), name.length() - ".log".length());
    if (digits.isEmpty() || !digits.chars().allMatch(Character::isDigit)) {
      return false;
    }
    long pid;
    try {
      pid = Long.parseLong(digits);
    } catch (NumberFormatException e) {
      return false;
    }
    if (!StateDirectory.isRunning(pid)) {
      return false;
    }
    // the log of an up -d killed before its orchestrator's claim stays; a process that has its
    // pid since (after a reboot, say) started after the log was last written, and is not it
    try {
      return !PidReuse.startedAfter(pid, Files.getLastModifiedTime(file).toInstant());
    } catch (IOException e) {
      return false; // renamed by the claim since: the deployment is there to find
    }
  }

  /**
   * The command that runs {@code verb} on the deployment of {@code file}: ps, logs and down find
   * the one running in the current directory, so {@code --file} is needed from anywhere else.
   */
  static String verb(String verb, Path file) {
    Path directory = file.toAbsolutePath().normalize().getParent();
    return directory.equals(Path.of("").toAbsolutePath())
        ? "parigot " + verb : "parigot " + verb + " --file " + Shell.quote(file);
  }

  static int start(Path file, Deployment deployment, StateDirectory state, List<String> options,
      List<String> names) throws IOException, InterruptedException {
    Files.createDirectories(state.root());
    // a log of this start's own until the orchestrator has claimed the state directory, when
    // it becomes orchestrator.log: an up -d started at the same moment from this directory,
    // refused there, neither cuts off the log of the one that runs nor prints it as its own
    Path log = state.root().resolve(STARTING + ProcessHandle.current().pid() + ".log");
    List<String> command = new ArrayList<>();
    if (new File("/usr/bin/setsid").canExecute()) {
      command.add("/usr/bin/setsid"); // its own session: the terminal's Ctrl-C does not reach it
    }
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    command.addAll(Supervisor.FAST_START); // a control plane needs no C2 and no parallel GC
    command.addAll(Supervisor.quietOnThisJdk());
    command.addAll(OrchestratorArchive.jvmOptions());
    command.add("-jar");
    // the class path, which java -jar makes the jar: a class mapped from an archive recorded
    // elsewhere may have no code source
    command.add(OrchestratorArchive.ownJar());
    command.add("up");
    command.addAll(options);
    command.add(file.toAbsolutePath().toString());
    command.addAll(names); // after an existing FILE, every other argument is a service's name
    ProcessBuilder builder = new ProcessBuilder(command)
        .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")))
        .redirectOutput(log.toFile())
        .redirectErrorStream(true);
    // no NO_COLOR: its output is a file, which Console colours no more than any non-terminal,
    // and the services would inherit it from it
    builder.environment().put(ENV, log.toString());
    Process orchestrator = builder.start();
    // the orchestrator runs in a session of its own, out of reach of the terminal's Ctrl-C: a
    // Ctrl-C stops this wait only, and says so rather than leave the user to think it cancelled
    Signal.handle(new Signal("INT"), signal -> {
      if (orchestrator.isAlive()) {
        System.err.println("parigot: stopped waiting; deployment \"" + deployment.name()
            + "\" goes on in the background (orchestrator pid " + orchestrator.pid() + "): see `"
            + verb("ps", file) + "`, stop it with `" + verb("down", file) + "`");
      }
      System.exit(130);
    });
    Duration limit = deployment.services().stream().map(ServiceSpec::startupTimeout)
        .max(Duration::compareTo).orElse(ServiceSpec.DEFAULT_STARTUP_TIMEOUT)
        .plusSeconds(15);
    long deadline = System.nanoTime() + limit.toNanos();
    long readySince = 0; // when every service was first seen ready
    while (System.nanoTime() < deadline) {
      if (!orchestrator.isAlive()) {
        return ended(orchestrator, log, state, deployment);
      }
      Optional<StateDirectory.Running> running = state.running();
      Optional<StatusResponse> status = running.isPresent()
          && running.get().pid() == orchestrator.pid() ? status(running.get()) : Optional.empty();
      if (status.isPresent() && programEnded(status.get())) {
        // its exit ends the deployment: the orchestrator stops the services (and records their
        // archives on a first run), then exits with the program's code
        if (!orchestrator.waitFor(STOPPING_LIMIT.toSeconds(), TimeUnit.SECONDS)) {
          System.err.println("parigot: the program ended but the deployment did not stop within "
              + STOPPING_LIMIT.toSeconds() + " s; it goes on stopping in the background (pid "
              + orchestrator.pid() + "): see `" + verb("ps", file) + "`");
          return 1;
        }
        return ended(orchestrator, log, state, deployment);
      }
      if (status.isPresent() && allReady(status.get())) {
        long now = System.nanoTime();
        if (readySince == 0) {
          readySince = now;
        }
        if (deployment.program().isEmpty() || now - readySince >= PROGRAM_SETTLE.toNanos()) {
          int services = deployment.services().size();
          System.out.println("deployment \"" + deployment.name() + "\" is ready: " + services
              + (services == 1 ? " service" : " services") + ", orchestrator pid "
              + orchestrator.pid() + ". See it with `" + verb("ps", file) + "`, its output with `"
              + verb("logs", file) + "`; stop it with `" + verb("down", file) + "`.");
          return 0;
        }
      } else {
        readySince = 0; // the settle second is one of every service ready
      }
      Thread.sleep(100);
    }
    System.err.println("parigot: the deployment was not ready within " + limit.toSeconds()
        + " s; it goes on in the background (pid " + orchestrator.pid() + "): see `"
        + verb("ps", file) + "`");
    return 1;
  }

  /**
   * The orchestrator has exited: its output, and its exit code, the deployment's; but 1 for a
   * deployment that ended with 0 before it was ever ready and not by its program's clean exit
   * (parigot down stopped it, with or without a program).
   */
  private static int ended(Process orchestrator, Path log, StateDirectory state,
      Deployment deployment) throws IOException {
    int code = orchestrator.exitValue();
    Path said = Files.isRegularFile(log) ? log : state.root().resolve(LOG);
    String output = Files.isRegularFile(said) ? Files.readString(said) : "";
    System.err.print(output);
    if (said.equals(log)) {
      Files.deleteIfExists(log); // it never claimed the directory: nothing of it is left
      System.err.println("parigot: the deployment ended with code " + code);
    } else {
      System.err.println("parigot: the deployment ended with code " + code
          + " (its output is in " + said + ")");
    }
    boolean programEndedWell = deployment.program().map(program -> output.contains(
        "program \"" + program.name() + "\" exited with code 0")).orElse(false);
    if (code == 0 && !programEndedWell
        && !output.contains("deployment \"" + deployment.name() + "\" is ready: ")) {
      System.err.println("parigot: the deployment stopped before every service was ready");
      return 1;
    }
    return code;
  }

  private static Optional<StatusResponse> status(StateDirectory.Running running) {
    try (ControlClient client = new ControlClient(running)) {
      return Optional.of(client.stub().status(StatusRequest.getDefaultInstance()));
    } catch (RuntimeException e) {
      return Optional.empty(); // not answering yet, or no longer
    }
  }

  /**
   * Whether every service has become ready: is ready, or was and has ended cleanly since (a
   * service that does its work and exits 0; a JVM that fails before ready is "failed").
   */
  private static boolean allReady(StatusResponse status) {
    return status.getServicesList().stream().map(ServiceStatus::getState)
        .allMatch(state -> state.equals("ready") || state.equals("exiting")
            || state.equals("exited"));
  }

  /**
   * A program is ready before it does its work, and a short one (helloworld's) is done a moment
   * later: such a deployment is one that ends, with its output and exit code, not one that runs.
   * Ended from its exit call on ({@code exiting}), however long its JVM then takes to end.
   */
  private static boolean programEnded(StatusResponse status) {
    return status.getServicesList().stream().filter(ServiceStatus::getProgram)
        .map(ServiceStatus::getState)
        .anyMatch(state -> !state.equals("starting") && !state.equals("ready")
            && !state.equals("suspended"));
  }

}
