package io.parigot.orchestrator.cli;

import io.parigot.control.v1.RestartRequest;
import io.parigot.control.v1.RestartResponse;
import java.time.Duration;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;

/** {@code parigot restart NAME}: stops a service's JVM and starts it again, and waits for it. */
@Command(name = "restart", mixinStandardHelpOptions = true,
    description = "Stops a service (SIGTERM, SIGKILL after the grace period) and starts it "
        + "again, whatever its restart policy; one that had exited is started again. Returns "
        + "once it is ready.")
final class RestartCommand implements Callable<Integer> {
  @Mixin
  DeploymentOption deployment;

  @Parameters(index = "0", paramLabel = "NAME", description = "The service, as named in deploy.yaml.")
  String name;

  @Override
  public Integer call() throws InterruptedException {
    try (ControlClient client = new ControlClient(deployment.running())) {
      RestartResponse restarted = client.stub().restart(RestartRequest.newBuilder()
          .setName(name).build());
      long stopped = restarted.getStoppedPid();
      System.out.println(stopped == 0 ? "starting service \"" + name + "\" again"
          : "restarting service \"" + name + "\" (pid " + stopped + ")");
      return new ServiceWatch(client, deployment).awaitReady(name, stopped,
          Duration.ofMillis(restarted.getReadyWithinMillis()));
    }
  }
}
