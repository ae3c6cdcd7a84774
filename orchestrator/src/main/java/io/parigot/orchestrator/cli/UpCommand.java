package io.parigot.orchestrator.cli;

import io.parigot.agent.LocalAgent;
import io.parigot.orchestrator.control.ControlPlaneServer;
import io.parigot.orchestrator.control.StateDirectory;
import io.parigot.orchestrator.deploy.DeployFile;
import io.parigot.orchestrator.deploy.DeployFileException;
import io.parigot.orchestrator.deploy.Deployment;
import io.parigot.orchestrator.supervise.Supervisor;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.atomic.AtomicInteger;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import sun.misc.Signal;

/** {@code parigot up}: starts a deployment and shows its output until it ends. */
@Command(name = "up", mixinStandardHelpOptions = true,
    description = {
        "Starts every service of a deployment, each in its own JVM, and shows their output, "
            + "each line prefixed with the service's name.",
        "When the program (the service marked program: true) exits, everything stops and "
            + "parigot exits with the program's exit code. Without a program, the deployment runs "
            + "until Ctrl-C or `parigot down`: SIGTERM to every service, then SIGKILL after a "
            + "grace period; a second Ctrl-C kills at once."})
final class UpCommand implements Callable<Integer> {
  @Parameters(index = "0", paramLabel = "FILE", defaultValue = "deploy.yaml",
      description = "The deployment file (default: ${DEFAULT-VALUE}).")
  Path file;

  @Option(names = {"-d", "--detach"}, description = "Run in the background: return once the "
      + "deployment is ready. Its output goes to .parigot/ (see `parigot logs`); stop it with "
      + "`parigot down`.")
  boolean detach;

  @Option(names = "--no-archive", description = "Start services without class-data archives "
      + "(by default each service's first run records one in .parigot/cds/, an AOT cache on JDK "
      + "25 and newer, and later runs start faster from it).")
  boolean noArchive;

  /** The control plane {@link #startEarly} began to start, if it did. */
  private static CompletableFuture<ControlPlane> early;

  /**
   * Begins to start the control plane before the command line is parsed, for {@code parigot up}:
   * picocli's start on a cold JVM takes as long again, and a second core is idle meanwhile.
   * {@link #call} takes it over; a run that does not use it (a detached start, {@code --help})
   * closes it.
   */
  static void startEarly() {
    early = ControlPlane.startInBackground();
  }

  @Override
  public Integer call() throws IOException, InterruptedException {
    // the control plane starts on a thread of its own while the file is read and checked: on a
    // cold JVM each takes a good part of the time to the first service's start
    CompletableFuture<ControlPlane> plane = early != null ? early
        : detach && !Detached.isDetachedChild() ? CompletableFuture.completedFuture(null)
        : ControlPlane.startInBackground();
    early = null;
    try {
      return run(plane);
    } finally {
      plane.handle((started, failed) -> {
        if (started != null) {
          started.server().close();
        }
        return null;
      }).join();
    }
  }

  private int run(CompletableFuture<ControlPlane> plane) throws IOException,
      InterruptedException {
    if (!Files.isRegularFile(file)) {
      System.err.println("parigot: " + file + ": no such file. Give the path of a deploy.yaml.");
      return 2;
    }
    Deployment deployment;
    try {
      deployment = DeployFile.load(file);
    } catch (DeployFileException e) {
      System.err.println(e.getMessage());
      System.err.println("parigot: " + file + " has " + e.problems().size()
          + (e.problems().size() == 1 ? " problem" : " problems") + "; nothing was started.");
      return 2;
    }
    StateDirectory state = StateDirectory.of(deployment.directory());
    Optional<StateDirectory.Running> already = state.running();
    if (already.isPresent()) {
      System.err.println("parigot: deployment \"" + already.get().deployment() + "\" is already "
          + "running from " + deployment.directory() + " (orchestrator pid " + already.get().pid()
          + "). Stop it first: parigot down --file " + file);
      return 2;
    }
    if (detach && !Detached.isDetachedChild()) {
      OrchestratorArchive.toRecord().ifPresent(OrchestratorArchive::forget);
      return Detached.start(file, deployment, state, noArchive ? List.of("--no-archive") : List.of());
    }
    ControlPlane started = ControlPlane.await(plane);
    ControlPlaneServer server = started.server();
    Console console;
    Supervisor supervisor;
    int code;
    try (LocalAgent agent = new LocalAgent()) {
      state.claim(deployment.name(), server.port(), started.cliToken());
      console = new Console(deployment, state, System.out, Console.wantsColor());
      supervisor = new Supervisor(deployment, agent, console, server.address(), state.root(),
          !noArchive);
      server.serve(supervisor, () -> {
        console.say("stopping (parigot down)");
        supervisor.stop(0);
      });
      handleSignals(supervisor, console);
      code = supervisor.start().join();
      // a first run's services are gone; their class-data archives may still be being dumped
      supervisor.awaitArchives();
      supervisor.close();
      server.close();
    } finally {
      state.release();
    }
    // every service is gone and the deployment released: only this JVM's own archive is left
    OrchestratorArchive.toRecord().ifPresent(a -> a.record(supervisor.wasReady(), console));
    console.close();
    return code;
  }

  /** The control-plane server and the token the CLI's calls to it carry. */
  private record ControlPlane(ControlPlaneServer server, String cliToken) {
    static CompletableFuture<ControlPlane> startInBackground() {
      CompletableFuture<ControlPlane> started = new CompletableFuture<>();
      Thread thread = new Thread(() -> {
        try {
          byte[] secret = new byte[24];
          new SecureRandom().nextBytes(secret);
          String token = HexFormat.of().formatHex(secret);
          started.complete(new ControlPlane(ControlPlaneServer.start(token), token));
        } catch (IOException | RuntimeException e) {
          started.completeExceptionally(e);
        }
      }, "parigot-control-start");
      thread.setDaemon(true);
      thread.start();
      return started;
    }

    /** The started control plane; null when none was started or it could not start. */
    static ControlPlane await(CompletableFuture<ControlPlane> plane) throws IOException {
      try {
        return plane.join();
      } catch (CompletionException e) {
        if (e.getCause() instanceof IOException io) {
          throw io;
        }
        throw e;
      }
    }
  }

  /** Ctrl-C stops gracefully, a second Ctrl-C kills at once; SIGTERM stops gracefully. */
  private static void handleSignals(Supervisor supervisor, Console console) {
    AtomicInteger interrupts = new AtomicInteger();
    Signal.handle(new Signal("INT"), signal -> {
      if (interrupts.incrementAndGet() == 1) {
        console.say("stopping (Ctrl-C again to kill at once)");
        supervisor.stop(130);
      } else {
        console.warn("killing every service now");
        supervisor.killNow();
      }
    });
    Signal.handle(new Signal("TERM"), signal -> {
      console.say("stopping (SIGTERM)");
      supervisor.stop(143);
    });
  }
}
