package io.parigot.orchestrator.cli;

import io.parigot.control.v1.StartRequest;
import io.parigot.control.v1.StartedService;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;

/** {@code parigot start NAME...}: starts services that are not running, and waits for them. */
@Command(name = "start", mixinStandardHelpOptions = true,
    description = "Starts services that are not running (stopped by parigot stop, exited, or "
        + "failed), not as restarts of their policy. Returns once they are ready.")
final class StartCommand implements Callable<Integer> {
  @Mixin
  DeploymentOption deployment;

  @Parameters(arity = "1..*", paramLabel = "NAME",
      description = "The services, as named in deploy.yaml.")
  List<String> names;

  @Override
  public Integer call() throws InterruptedException {
    try (ControlClient client = new ControlClient(deployment.running())) {
      List<StartedService> started = client.stub().start(StartRequest.newBuilder()
          .addAllNames(names).build()).getServicesList();
      for (StartedService s : started) {
        System.out.println(s.getWasRunning()
            ? "service \"" + s.getName() + "\" is running already (pid " + s.getPid() + ")"
            : "starting service \"" + s.getName() + "\"");
      }
      ServiceWatch watch = new ServiceWatch(client, deployment);
      int code = 0;
      for (StartedService s : started) {
        if (!s.getWasRunning()) {
          code = Math.max(code, watch.awaitReady(s.getName(), s.getPid(),
              Duration.ofMillis(s.getReadyWithinMillis())));
        }
      }
      return code;
    }
  }
}
