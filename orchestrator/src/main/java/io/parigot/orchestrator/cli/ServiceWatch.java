package io.parigot.orchestrator.cli;

import io.parigot.control.v1.ServiceStatus;
import io.parigot.control.v1.StatusRequest;
import java.time.Duration;
import java.util.Optional;
import java.util.function.Predicate;

/**
 * How restart, start and stop wait for a service of the running deployment: they ask its status
 * (what ps shows) every 50 ms until the service is ready, or its JVM has exited, and say so.
 */
final class ServiceWatch {
  /**
   * How long a service may take to be ready at least: a stop, and a slow start. One whose own
   * settings (stop_grace_period, startup_timeout) add up to more gets those and {@link #MARGIN}.
   */
  private static final Duration READY_WAIT = Duration.ofSeconds(60);
  private static final Duration MARGIN = Duration.ofSeconds(15);
  private static final long POLL_MILLIS = 50;

  private final ControlClient client;
  /** The deployment as the user named it, which the commands suggested name too. */
  private final DeploymentOption deployment;

  ServiceWatch(ControlClient client, DeploymentOption deployment) {
    this.client = client;
    this.deployment = deployment;
  }

  /**
   * Waits until {@code name} is ready in a JVM other than {@code replacedPid} (0 for none) and
   * prints so, exit code 0; 1, said on stderr, when it ended (failed or exited) or was not ready
   * within {@code readyWithin} and {@link #MARGIN}, {@link #READY_WAIT} at least.
   */
  int awaitReady(String name, long replacedPid, Duration readyWithin)
      throws InterruptedException {
    // as long as the supervisor gives it: a service may take its whole startup_timeout
    Duration own = readyWithin.plus(MARGIN);
    Duration wait = own.compareTo(READY_WAIT) > 0 ? own : READY_WAIT;
    Optional<ServiceStatus> settled = poll(name, wait, s -> s.getState().equals("ready")
        && s.getPid() != 0 && s.getPid() != replacedPid
        || s.getState().equals("failed") || s.getState().equals("exited"));
    if (settled.isPresent() && settled.get().getState().equals("ready")) {
      System.out.println("service \"" + name + "\" is ready (pid " + settled.get().getPid() + ")");
      return 0;
    }
    if (settled.isPresent()) {
      ServiceStatus s = settled.get();
      System.err.println(deployment.fromHere("parigot: service \"" + name + "\" did not come "
          + "back: it " + s.getState() + " with code " + s.getExitCode() + "; see parigot logs "
          + name));
      return 1;
    }
    System.err.println(deployment.fromHere("parigot: service \"" + name + "\" was not ready "
        + "again within " + wait.toSeconds() + " s; see parigot ps and parigot logs " + name));
    return 1;
  }

  /**
   * Waits until the JVM {@code pid} of {@code name} has exited and prints so, exit code 0; 1,
   * said on stderr, when it still runs after {@code exitWithin} and {@link #MARGIN}.
   */
  int awaitStopped(String name, long pid, Duration exitWithin) throws InterruptedException {
    Duration wait = exitWithin.plus(MARGIN);
    if (poll(name, wait, s -> s.getPid() != pid).isEmpty()) {
      System.err.println(deployment.fromHere("parigot: service \"" + name + "\" (pid " + pid
          + ") still runs after " + wait.toSeconds() + " s; see parigot ps and parigot logs "
          + name));
      return 1;
    }
    System.out.println("stopped service \"" + name + "\" (pid " + pid + ")");
    return 0;
  }

  /** The status of {@code name} once it is {@code settled}; empty when it is not within wait. */
  private Optional<ServiceStatus> poll(String name, Duration wait,
      Predicate<ServiceStatus> settled) throws InterruptedException {
    long deadline = System.nanoTime() + wait.toNanos();
    while (System.nanoTime() - deadline < 0) {
      Optional<ServiceStatus> service = client.stub().status(StatusRequest.getDefaultInstance())
          .getServicesList().stream().filter(s -> s.getName().equals(name)).findFirst();
      if (service.isEmpty()) {
        return Optional.empty(); // not a service of this deployment: there is nothing to wait for
      }
      if (settled.test(service.get())) {
        return service;
      }
      Thread.sleep(POLL_MILLIS);
    }
    return Optional.empty();
  }
}
