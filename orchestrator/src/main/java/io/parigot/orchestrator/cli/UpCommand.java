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

  @Override
  public Integer call() throws IOException, InterruptedException {
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
      return Detached.start(file, deployment, state, noArchive ? List.of("--no-archive") : List.of());
    }
    byte[] secret = new byte[24];
    new SecureRandom().nextBytes(secret);
    String cliToken = HexFormat.of().formatHex(secret);
    try (LocalAgent agent = new LocalAgent();
        ControlPlaneServer server = ControlPlaneServer.start(cliToken)) {
      state.claim(deployment.name(), server.port(), cliToken);
      Console console = new Console(deployment, state, System.out, Console.wantsColor());
      Supervisor supervisor = new Supervisor(deployment, agent, console, server.address(),
          state.root(), !noArchive);
      server.serve(supervisor, () -> {
        console.say("stopping (parigot down)");
        supervisor.stop(0);
      });
      handleSignals(supervisor, console);
      int code = supervisor.start().join();
      supervisor.close();
      console.close();
      return code;
    } finally {
      state.release();
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
