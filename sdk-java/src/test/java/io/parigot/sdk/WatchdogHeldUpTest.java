package io.parigot.sdk;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.grpc.Channel;
import io.grpc.ServerServiceDefinition;
import io.parigot.control.v1.Endpoint;
import io.parigot.control.v1.Location;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;

/**
 * A watchdog that was itself not running when a budget ran out (the JVM stopped by SIGSTOP or a
 * debugger, or the machine stalled) cannot tell how long the body ran: it looks again one budget
 * later instead of killing the service at once. Here its thread is held up for 300 ms, as a
 * stopped JVM's is, while a 50 ms budget runs out.
 */
class WatchdogHeldUpTest {
  private static final Duration BUDGET = Duration.ofMillis(50);

  /** What the watchdog told: overruns and wedges (the service's kills). */
  static final class Told implements Backend {
    final List<String> overruns = new CopyOnWriteArrayList<>();
    final List<BudgetWatchdog.Wedge> wedges = new CopyOnWriteArrayList<>();

    @Override public void budgetOverrun(String method, Duration budget) {
      overruns.add(method);
    }

    @Override public void budgetWedged(BudgetWatchdog.Wedge wedge) {
      wedges.add(wedge);
    }

    @Override public String serviceName(String fallback) {
      return fallback;
    }

    @Override public Endpoint serve(List<ServerServiceDefinition> services) {
      return null;
    }

    @Override public CompletableFuture<Void> register(List<String> exports, List<String> requires,
        Endpoint endpoint) {
      return CompletableFuture.completedFuture(null);
    }

    @Override public CompletableFuture<List<Location>> awaitRequirements() {
      return CompletableFuture.completedFuture(List.of());
    }

    @Override public CompletableFuture<Void> ready() {
      return CompletableFuture.completedFuture(null);
    }

    @Override public Channel channelTo(Location location) {
      throw new UnsupportedOperationException();
    }

    @Override public void exit(int code, String reason) {}

    @Override public void shutdown() {}

    @Override public boolean ownsProcess() {
      return false;
    }
  }

  @Test
  void aBodyThatEndsSoonAfterTheWatchdogCameBackIsAnOverrunNotAKill() throws Exception {
    Told told = new Told();
    BudgetWatchdog watchdog = watchdog(told);

    holdUpTheWatchdog(300);
    BudgetWatchdog.Call call = watchdog.arrive("test.v1.Nap/Nap", BUDGET, null, () -> { });
    assertTrue(call.begin());
    Thread.sleep(320); // the watchdog is back at 300 ms, and looks again at 350
    call.bodyReturned();
    Thread.sleep(150);

    assertEquals(List.of(), told.wedges, "the service was killed");
    assertEquals(List.of("test.v1.Nap/Nap"), told.overruns);
  }

  @Test
  void aBodyStillRunningWhenTheWatchdogLooksAgainIsKilled() throws Exception {
    Told told = new Told();
    BudgetWatchdog watchdog = watchdog(told);

    holdUpTheWatchdog(300);
    BudgetWatchdog.Call call = watchdog.arrive("test.v1.Nap/Nap", BUDGET, null, () -> { });
    assertTrue(call.begin());
    long start = System.nanoTime();
    while (told.wedges.isEmpty() && System.nanoTime() - start < 2_000_000_000L) {
      Thread.sleep(5);
    }
    call.bodyReturned();

    assertEquals(1, told.wedges.size(), "the wedged body was not killed");
    long ranMillis = told.wedges.get(0).ran().toMillis();
    assertTrue(ranMillis >= 340 && ranMillis < 1000, "killed after " + ranMillis + " ms");
  }

  private static BudgetWatchdog watchdog(Told told) {
    return new BudgetWatchdog("nap", told, BUDGET, new Log(() -> "nap"),
        new EventLoop(() -> "nap"));
  }

  /** Keeps the watchdog's thread busy for {@code millis}, as a stopped JVM keeps it. */
  private static void holdUpTheWatchdog(long millis) throws InterruptedException {
    CompletableFuture<Void> holding = new CompletableFuture<>();
    BudgetWatchdog.CLOCK.after(0, () -> {
      holding.complete(null);
      try {
        Thread.sleep(millis);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    });
    holding.join();
  }
}
