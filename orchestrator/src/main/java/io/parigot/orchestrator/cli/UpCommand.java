package io.parigot.orchestrator.cli;

import io.parigot.agent.LocalAgent;
import io.parigot.deploy.DeployFile;
import io.parigot.deploy.DeployFileException;
import io.parigot.deploy.Deployment;
import io.parigot.deploy.JavaRuntime;
import io.parigot.deploy.ServiceSelection;
import io.parigot.orchestrator.control.ControlPlaneServer;
import io.parigot.orchestrator.control.StateDirectory;
import io.parigot.orchestrator.supervise.Supervisor;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import sun.misc.Signal;

/** {@code parigot up}: starts a deployment and shows its output until it ends. */
@Command(name = "up", mixinStandardHelpOptions = true,
    description = {
        "Starts every service of a deployment, each in its own JVM, and shows their output, "
            + "each line prefixed with the service's name (unless --no-log-prefix).",
        "Given SERVICE names, starts only those and, transitively, the services that export "
            + "what their requires: in the file names; the others are left out. The first "
            + "argument is FILE when it is an existing file or directory, or its name ends in "
            + "\".yaml\" or \".yml\"; otherwise every argument is a SERVICE, and FILE the "
            + "default.",
        "When the program (the service marked program: true) exits, everything stops and "
            + "parigot exits with the program's exit code. Without a program (or with none among "
            + "those started), the deployment runs until Ctrl-C, SIGTERM, SIGHUP or `parigot "
            + "down`: SIGTERM to every service, then SIGKILL after a grace period; a second "
            + "Ctrl-C kills at once."})
final class UpCommand implements Callable<Integer> {
  @Parameters(index = "0", arity = "0..1", paramLabel = "FILE",
      description = "The deployment file (default: deploy.yaml), or a directory that holds "
          + "one.")
  Path file;

  @Parameters(index = "1..*", arity = "0..*", paramLabel = "SERVICE",
      description = "Start only these services and what they require, as the file's "
          + "requires: say.")
  List<String> names = new ArrayList<>();

  // as ps, kill, logs and down take it, and as their hints and up -d's last line write it
  @Option(names = "--file", paramLabel = "FILE", description = "The same as FILE, as ps, kill, "
      + "logs and down take it.")
  Path fileOption;

  @Option(names = {"-d", "--detach"}, description = "Run in the background: return once the "
      + "deployment is ready. Its output goes to .parigot/ (see `parigot logs`); stop it with "
      + "`parigot down`.")
  boolean detach;

  @Option(names = "--no-archive", description = "Start services without class-data archives. "
      + "By default the first run of each service records one, an AOT cache on JDK 25 and newer, "
      + "in .parigot/cds/; later runs start faster from it.")
  boolean noArchive;

  @Option(names = "--no-log-prefix", description = "Print each line of a service's output as "
      + "the service wrote it, without its name (parigot's own lines keep theirs). Not with -d, "
      + "which shows no output: give it to `parigot logs`.")
  boolean noLogPrefix;

  /** The control plane {@link #startEarly} opens; null when it could not. */
  private static CompletableFuture<ControlPlaneServer> early;

  /**
   * Opens the control plane before the command line is parsed, for {@code parigot up}, on a
   * thread of its own while this one reads the command line and deploy.yaml (the other core is
   * idle until the first service starts): its registry accepts services at once, and the CLI's
   * gRPC server starts on a thread of its own once the deployment is ready. {@link #call} takes
   * it over; a run that does not use it (a detached start, {@code --help}) closes it.
   */
  static void startEarly() {
    CompletableFuture<ControlPlaneServer> opening = new CompletableFuture<>();
    Thread thread = new Thread(() -> {
      // The JDK services run on by default, which reading deploy.yaml asks for: the first
      // Runtime.version() parses the JDK's version with a regular expression, milliseconds of a
      // cold JVM that the main thread would spend on its way to the first service
      JavaRuntime.current();
      try {
        opening.complete(ControlPlaneServer.open());
      } catch (IOException | RuntimeException e) {
        opening.complete(null); // call() opens it again and says why it cannot
      }
      Supervisor.prepareLaunches();
    }, "parigot-control-open");
    thread.setDaemon(true);
    thread.start();
    early = opening;
  }

  /**
   * The command for {@code parigot up} or {@code parigot up FILE}, with no option, or null for
   * any other command line. Building picocli's model of even one verb is, on a cold JVM, half the
   * time from the command to the first service's start; this, the way the command is run all
   * day, reads the same as picocli would. Anything else (an option, {@code --help}, an
   * {@code @file}, a second argument) goes to picocli.
   */
  static UpCommand withoutOptions(String... args) {
    if (args.length == 0 || args.length > 2 || !args[0].equals("up")) {
      return null;
    }
    String file = args.length == 2 ? args[1] : "deploy.yaml";
    if (file.isEmpty() || file.startsWith("-") || file.startsWith("@")) {
      return null;
    }
    UpCommand up = new UpCommand();
    try {
      up.file = Path.of(file);
    } catch (InvalidPathException e) {
      return null; // picocli says what is wrong with it
    }
    return up;
  }

  /** {@link #call}, its failure reported as picocli reports one: the stack trace, exit code 1. */
  int callAsPicocliWould() {
    try {
      return call();
    } catch (FileSystemException e) {
      return ParigotCommand.cannotWrite(e, new PrintWriter(System.err, true));
    } catch (Exception e) {
      e.printStackTrace();
      return 1;
    }
  }

  @Override
  public Integer call() throws IOException, InterruptedException {
    CompletableFuture<ControlPlaneServer> opening = early;
    early = null;
    try {
      return run(opening);
    } finally {
      ControlPlaneServer plane = opening == null ? null : opening.join();
      if (plane != null) {
        plane.close();
      }
      // a run that records its archive has used its class list by now; one that ended early
      // (a bad deploy.yaml, a deployment already running) leaves none behind
      OrchestratorArchive.toRecord().ifPresent(OrchestratorArchive::forget);
    }
  }

  /** The control plane {@link #startEarly} opened, or one opened now when it did not. */
  private static ControlPlaneServer plane(CompletableFuture<ControlPlaneServer> opening)
      throws IOException {
    ControlPlaneServer plane = opening == null ? null : opening.join();
    return plane != null ? plane : ControlPlaneServer.open();
  }

  /**
   * The deploy.yaml that {@code verb}'s FILE and {@code --file} name (deploy.yaml when neither
   * does; a directory's deploy.yaml), or null after saying on stderr why there is none.
   */
  static Path deployFile(String verb, Path file, Path fileOption) {
    if (fileOption != null) {
      // the same file written two ways (deploy.yaml and ./deploy.yaml) is one file
      if (file != null && !file.toAbsolutePath().normalize()
          .equals(fileOption.toAbsolutePath().normalize())) {
        System.err.println("parigot: " + verb + " was given two deployment files, " + file
            + " and --file " + fileOption + "; give one.");
        return null;
      }
      file = fileOption;
    }
    if (file == null) {
      file = Path.of("deploy.yaml");
    }
    if (file.toString().isEmpty()) {
      System.err.println("parigot: " + DeploymentOption.EMPTY_FILE);
      return null;
    }
    if (Files.isDirectory(file)) {
      if (!Files.isRegularFile(file.resolve("deploy.yaml"))) {
        System.err.println("parigot: " + MissingDeployFile.inDirectory(verb, file));
        return null;
      }
      file = file.resolve("deploy.yaml"); // as ps, logs and down take a directory
    }
    if (!Files.isRegularFile(file)) {
      System.err.println("parigot: " + MissingDeployFile.atPath(verb, file));
      return null;
    }
    return file;
  }

  private int run(CompletableFuture<ControlPlaneServer> opening)
      throws IOException, InterruptedException {
    if (detach && noLogPrefix) {
      // taken and dropped, it would look like a setting of the deployment's logs, which it is not
      System.err.println("parigot: up -d shows none of the services' output for --no-log-prefix "
          + "to change; nothing was started. Run up -d without it, then parigot logs "
          + "--no-log-prefix.");
      return 2;
    }
    List<String> serviceNames = UpArguments.serviceNames(this);
    if (serviceNames == null) {
      return 2;
    }
    DeploymentOption given = new DeploymentOption(); // FILE as the user gave it, for hints
    given.file = fileOption != null ? fileOption : file;
    file = deployFile("up", file, fileOption);
    if (file == null) {
      return 2;
    }
    StateDirectory state = StateDirectory.of(file.toAbsolutePath().normalize().getParent());
    try {
      state.checkOwner(); // before the trees of deploy.yaml files are kept in it
    } catch (StateDirectory.ForeignOwnerException e) {
      return foreign(e);
    }
    Deployment deployment;
    try {
      deployment = DeployFile.load(file, state.trees());
    } catch (DeployFileException e) {
      System.err.println(e.getMessage());
      System.err.println("parigot: "
          + DeployFileException.nothingStarted(file, e.problems().size()));
      return 2;
    }
    ServiceSelection selection;
    try {
      selection = ServiceSelection.of(deployment, serviceNames);
    } catch (IllegalArgumentException e) {
      System.err.println("parigot: " + e.getMessage());
      return 2;
    }
    deployment = selection.deployment();
    Optional<StateDirectory.Running> already = state.running();
    if (already.isPresent()) {
      return alreadyRunning(already, deployment);
    }
    if (detach && !Detached.isDetachedChild()) {
      OrchestratorArchive.toRecord().ifPresent(OrchestratorArchive::forget);
      return Detached.start(file, deployment, state,
          noArchive ? List.of("--no-archive") : List.of(), serviceNames);
    }
    Console console;
    Supervisor supervisor;
    int code;
    ControlPlaneServer plane = plane(opening);
    try (LocalAgent agent = new LocalAgent()) {
      // the services start before the supervisor is connected to the registry: their calls
      // wait for serve()
      try {
        state.claim(deployment.name(), deployment.file(), plane.port(), plane.cliToken(),
            plane.registryPort());
      } catch (StateDirectory.AlreadyClaimedException e) {
        return alreadyRunning(e.running(), deployment); // another up got here first
      } catch (StateDirectory.ForeignOwnerException e) {
        return foreign(e); // given away since the check above
      }
      if (Detached.isDetachedChild()) {
        Detached.claimed(state);
      }
      console = new Console(deployment, state, System.out, Console.wantsColor(), !noLogPrefix);
      console.suggestFrom(given);
      Console.listLeftOut(state, selection.leftOut());
      supervisor = new Supervisor(deployment, selection.leftOut(), agent, console,
          plane.registryAddress(), state.root(), !noArchive);
      if (selection.isSubset()) {
        console.say(selection.said());
      }
      supervisor.whenReady().thenRun(plane::deploymentReady);
      AtomicBoolean stopSaid = new AtomicBoolean();
      plane.serve(supervisor, () -> stop(supervisor, console, stopSaid, "parigot down", 0));
      plane.started().whenComplete((served, failed) -> {
        if (failed != null) {
          console.warn("the control plane could not start: " + failed.getMessage());
          supervisor.stop(1);
        }
      });
      handleSignals(supervisor, console, stopSaid);
      stopWhenTheOutputsReaderGoes(supervisor, console, given, file);
      code = supervisor.start().join();
      // a first run's services are gone; their class-data archives may still be being dumped
      supervisor.awaitArchives();
      supervisor.close();
      Detached.ending(state, code, console);
    } finally {
      plane.close();
      state.release();
    }
    // every service is gone and the deployment released: only this JVM's own archive is left
    OrchestratorArchive.toRecord().ifPresent(a -> a.record(supervisor.wasReady(), console));
    console.close();
    return code;
  }

  /**
   * Refuses a state directory another user could have put something in, saying what to do;
   * exit code 2.
   */
  private static int foreign(StateDirectory.ForeignOwnerException e) {
    System.err.println("parigot: " + e.found() + " belongs to user " + e.owner()
        + ", not to you (" + e.user() + "): parigot keeps the deployment's state in .parigot/ "
        + "(its token, the services' logs) and writes there as you, so another user's files in "
        + "it could have it overwrite yours. Remove it (rm -rf " + Shell.quote(e.root())
        + ") and run parigot up again, or run the deployment from a directory of your own.");
    return 2;
  }

  /**
   * Refuses to start a second deployment from one directory (they would share .parigot/),
   * naming the one that runs and how to stop it; exit code 2.
   */
  private int alreadyRunning(Optional<StateDirectory.Running> running, Deployment deployment) {
    Path directory = deployment.directory();
    if (running.isEmpty()) {
      System.err.println("parigot: another orchestrator is starting a deployment from "
          + directory + "; nothing was started. Stop it first: parigot down --file "
          + Shell.quote(file));
      return 2;
    }
    StateDirectory.Running other = running.get();
    Path itsFile = other.file().isEmpty() ? file : Path.of(other.file());
    System.err.println("parigot: deployment \"" + other.deployment() + "\" is already running "
        + "from " + directory + " (orchestrator pid " + other.pid()
        + (other.file().isEmpty() ? "" : ", " + itsFile.getFileName()) + "); one directory runs "
        + "one deployment at a time. Stop it first: parigot down --file " + Shell.quote(itsFile));
    return 2;
  }

  /**
   * What read the output has gone ({@code parigot up | head -1}, once head has its line): as a
   * command a shell runs would end on SIGPIPE at its next write, the deployment stops
   * gracefully, exit code 141 (128 plus SIGPIPE). The JVM ignores SIGPIPE, so it is found where
   * a write failed; one to a file on a full disk is no reader gone, and the deployment goes on.
   */
  private static void stopWhenTheOutputsReaderGoes(Supervisor supervisor, Console console,
      DeploymentOption given, Path file) {
    console.whenOutputFails(() -> {
      if (outputIsAPipe()) {
        System.err.println("parigot: what read the output of parigot up has closed it; stopping "
            + "the deployment. The services' output is kept in "
            + given.pathFromHere(given.state().logs()) + "/ (" + Detached.verb("logs", file)
            + ").");
        supervisor.stop(141);
      }
    });
  }

  /** Whether standard output is a pipe or a socket, as Linux's /proc says (elsewhere: no). */
  private static boolean outputIsAPipe() {
    try {
      String target = Files.readSymbolicLink(Path.of("/proc/self/fd/1")).toString();
      return target.startsWith("pipe:") || target.startsWith("socket:");
    } catch (IOException | UnsupportedOperationException | SecurityException e) {
      return false;
    }
  }

  /**
   * Ctrl-C stops gracefully, a second Ctrl-C kills at once; SIGTERM and SIGHUP stop gracefully.
   * Why the deployment stops is said once: another signal, or a {@code parigot down}, while it
   * stops changes nothing but a second Ctrl-C.
   */
  private static void handleSignals(Supervisor supervisor, Console console,
      AtomicBoolean stopSaid) {
    AtomicInteger interrupts = new AtomicInteger();
    Signal.handle(new Signal("INT"), signal -> {
      if (interrupts.incrementAndGet() > 1) {
        console.warn("killing every service now");
        supervisor.killNow();
      } else if (!stop(supervisor, console, stopSaid, "Ctrl-C again to kill at once", 130)) {
        console.say("Ctrl-C again to kill at once"); // stopping already, for another reason
      }
    });
    Signal.handle(new Signal("TERM"),
        signal -> stop(supervisor, console, stopSaid, "SIGTERM", 143));
    // the terminal closed: as docker compose does, stop as gracefully as for SIGTERM (under
    // nohup the signal is ignored, and the JVM then installs no handler for it)
    Signal.handle(new Signal("HUP"),
        signal -> stop(supervisor, console, stopSaid, "SIGHUP", 129));
  }

  /**
   * Stops the deployment with exit code {@code code} (the first one asked for wins), saying
   * {@code stopping (why)} unless a stop was said already; returns whether it said it.
   */
  private static boolean stop(Supervisor supervisor, Console console, AtomicBoolean stopSaid,
      String why, int code) {
    boolean first = stopSaid.compareAndSet(false, true);
    if (first) {
      console.say("stopping (" + why + ")");
    }
    supervisor.stop(code);
    return first;
  }
}
