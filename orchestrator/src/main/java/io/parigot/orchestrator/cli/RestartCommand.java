package io.parigot.orchestrator.cli;

import io.parigot.control.v1.RestartRequest;
import io.parigot.control.v1.RestartResponse;
import io.parigot.control.v1.ServiceStatus;
import io.parigot.control.v1.StatusRequest;
import java.time.Duration;
import java.util.Optional;
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
  /**
   * How long the service may take to be ready again at least: its stop, and a slow start. One
   * whose stop_grace_period and startup_timeout add up to more gets those and {@link #MARGIN}.
   */
  private static final Duration WAIT = Duration.ofSeconds(60);
  private static final Duration MARGIN = Duration.ofSeconds(15);
  private static final long POLL_MILLIS = 50;

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
      // as long as the supervisor gives it: a service may take its whole startup_timeout
      Duration own = Duration.ofMillis(restarted.getReadyWithinMillis()).plus(MARGIN);
      Duration wait = own.compareTo(WAIT) > 0 ? own : WAIT;
      long deadline = System.nanoTime() + wait.toNanos();
      while (System.nanoTime() - deadline < 0) {
        Optional<ServiceStatus> service = client.stub().status(StatusRequest.getDefaultInstance())
            .getServicesList().stream().filter(s -> s.getName().equals(name)).findFirst();
        if (service.isEmpty()) {
          break;
        }
        ServiceStatus s = service.get();
        if (s.getState().equals("ready") && s.getPid() != 0 && s.getPid() != stopped) {
          System.out.println("service \"" + name + "\" is ready (pid " + s.getPid() + ")");
          return 0;
        }
        if (s.getState().equals("failed") || s.getState().equals("exited")) {
          System.err.println("parigot: service \"" + name + "\" did not come back: it "
              + s.getState() + " with code " + s.getExitCode() + "; see parigot logs " + name);
          return 1;
        }
        Thread.sleep(POLL_MILLIS);
      }
      System.err.println("parigot: service \"" + name + "\" was not ready again within "
          + wait.toSeconds() + " s; see parigot ps and parigot logs " + name);
      return 1;
    }
  }
}
