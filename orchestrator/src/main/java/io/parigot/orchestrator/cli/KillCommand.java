package io.parigot.orchestrator.cli;

import io.parigot.agent.Child;
import io.parigot.control.v1.KillRequest;
import java.util.Iterator;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code parigot kill NAME}: sends a signal to one service. */
@Command(name = "kill", mixinStandardHelpOptions = true,
    description = "Sends a signal to one service's JVM (SIGKILL unless --signal says otherwise). "
        + "The supervisor then restarts it by its restart policy; the program is not "
        + "restarted, and its exit ends the deployment.")
final class KillCommand implements Callable<Integer> {
  @Mixin
  DeploymentOption deployment;

  @Parameters(index = "0", paramLabel = "NAME", description = "The service, as named in deploy.yaml.")
  String name;

  @Option(names = {"-s", "--signal"}, paramLabel = "SIGNAL", defaultValue = "KILL",
      completionCandidates = SignalNames.class,
      description = "TERM, KILL, INT, HUP, QUIT, USR1, USR2, STOP or CONT, with or without SIG, "
          + "or 1, 2, 3, 9 or 15 (default: ${DEFAULT-VALUE}).")
  String signal;

  /** What the completion script offers after {@code --signal}: the names it takes. */
  static final class SignalNames implements Iterable<String> {
    @Override
    public Iterator<String> iterator() {
      return List.of("TERM", "KILL", "INT", "HUP", "QUIT", "USR1", "USR2", "STOP", "CONT")
          .iterator();
    }
  }

  @Override
  public Integer call() {
    if (!Child.isKnownSignal(signal)) {
      // bad usage whether or not anything runs
      System.err.println("parigot: unknown signal '" + signal + "'; use one of " + Child.SIGNALS);
      return 2;
    }
    boolean program;
    try (ControlClient client = new ControlClient(deployment.running())) {
      program = client.stub().kill(KillRequest.newBuilder().setName(name).setSignal(signal)
          .build()).getProgram();
    }
    System.out.println("sent SIG" + Child.signalName(signal) + " to " + (program ? "program"
        : "service") + " \"" + name + "\"");
    return 0;
  }
}
