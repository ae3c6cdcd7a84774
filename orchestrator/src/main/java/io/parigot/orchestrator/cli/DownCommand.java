package io.parigot.orchestrator.cli;

import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.parigot.control.v1.DownRequest;
import io.parigot.deploy.ServiceSpec;
import io.parigot.orchestrator.control.StateDirectory;
import io.parigot.orchestrator.supervise.Supervisor;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

/** {@code parigot down}: stops the running deployment and waits until it has. */
@Command(name = "down", mixinStandardHelpOptions = true,
    description = "Stops the running deployment: SIGTERM to every service, SIGKILL after the "
        + "grace period. Returns once the orchestrator has exited.")
final class DownCommand implements Callable<Integer> {
  /**
   * How long the orchestrator may take to exit: the services' grace periods (a minute at most),
   * and after a first run the class-data archives it records once they are gone.
   */
  private static final Duration WAIT = Duration.ofSeconds(20).plus(ServiceSpec.MAX_STOP_GRACE)
      .plus(Supervisor.DUMPS_LIMIT);
  /** How often it looks whether the orchestrator has exited. */
  private static final long POLL_MILLIS = 20;

  @Mixin
  DeploymentOption deployment;

  @Override
  public Integer call() throws Exception {
    StateDirectory.Running running = deployment.running();
    try (ControlClient client = new ControlClient(running)) {
      client.stub().down(DownRequest.getDefaultInstance());
    } catch (StatusRuntimeException e) {
      boolean gone = !running.isAlive();
      if (e.getStatus().getCode() != Status.Code.UNAVAILABLE
          || !gone && isSomethingElse(running.pid())) {
        throw e; // not a stopping orchestrator: a stale control.json whose pid was reused, say
      }
      // Its control plane has closed: the orchestrator closes it once every service has
      // stopped (its program ended, or another down), and then only releases its state and
      // exits. Waiting for that exit is what down does anyway.
    }
    // polled, not ProcessHandle.onExit: that waits until the orchestrator's parent has reaped
    // it, which one that never waits for it does not do
    long deadline = System.nanoTime() + WAIT.toNanos();
    while (running.isAlive()) {
      if (System.nanoTime() - deadline >= 0) {
        System.err.println("parigot: the orchestrator (pid " + running.pid() + ") is still "
            + "running after " + WAIT.toSeconds() + " s");
        return 1;
      }
      Thread.sleep(POLL_MILLIS);
    }
    System.out.println("deployment \"" + running.deployment() + "\" is down");
    return 0;
  }

  /**
   * Whether {@code pid} is clearly not a JVM running {@code parigot up}: its command line reads
   * otherwise. A process on its way out has none left to read, and may be the orchestrator.
   */
  private static boolean isSomethingElse(long pid) {
    Optional<ProcessHandle.Info> info = ProcessHandle.of(pid).map(ProcessHandle::info);
    Optional<String[]> args = info.flatMap(ProcessHandle.Info::arguments);
    if (args.isEmpty() || args.get().length == 0) {
      return false;
    }
    return !info.get().command().map(c -> c.endsWith("java")).orElse(true)
        || !java.util.Arrays.asList(args.get()).contains("up");
  }
}
