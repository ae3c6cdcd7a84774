package io.parigot.orchestrator.cli;

import io.parigot.control.v1.StopRequest;
import io.parigot.control.v1.StoppedService;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;

/** {@code parigot stop NAME...}: stops services and keeps them stopped until parigot start. */
@Command(name = "stop", mixinStandardHelpOptions = true,
    description = "Stops services (SIGTERM, SIGKILL after the grace period) and keeps them "
        + "stopped, whatever their restart policy, until parigot start; the deployment goes on. "
        + "Returns once their JVMs have exited.")
final class StopCommand implements Callable<Integer> {
  @Mixin
  DeploymentOption deployment;

  @Parameters(arity = "1..*", paramLabel = "NAME",
      description = "The services, as named in deploy.yaml.")
  List<String> names;

  @Override
  public Integer call() throws InterruptedException {
    try (ControlClient client = new ControlClient(deployment.running())) {
      List<StoppedService> stopped = client.stub().stop(StopRequest.newBuilder()
          .addAllNames(names).build()).getServicesList();
      for (StoppedService s : stopped) {
        if (s.getStoppedPid() == 0) {
          System.out.println(s.getState().equals("restarting")
              ? "stopped service \"" + s.getName() + "\" (its restart was due; it is cancelled)"
              : "service \"" + s.getName() + "\" is not running ("
                  + PsCommand.shownState(s.getState(), s.getExitCode()) + ")");
        }
      }
      ServiceWatch watch = new ServiceWatch(client, deployment);
      int code = 0;
      for (StoppedService s : stopped) {
        if (s.getStoppedPid() != 0) {
          code = Math.max(code, watch.awaitStopped(s.getName(), s.getStoppedPid(),
              Duration.ofMillis(s.getExitWithinMillis())));
        }
      }
      return code;
    }
  }
}
