package io.parigot.sdk;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.function.LongSupplier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledOnOs;
import org.junit.jupiter.api.condition.OS;

/**
 * A method body whose thread is runnable but gets no CPU (a machine busy with a build) is not
 * wedged: the watchdog does not kill its service for it, up to ten budgets. A body that blocks,
 * or that spins with a CPU, is killed. The scheduler's word is faked here, as a loaded machine
 * cannot be made on cue; the last test reads the real one.
 */
class WatchdogStarvedTest {
  private static final Duration BUDGET = Duration.ofMillis(50);

  /** A thread in state {@code state} whose wait for a CPU is {@code waited}. */
  private static ThreadSched sched(char state, LongSupplier waited) {
    return new ThreadSched() {
      @Override public char state() {
        return state;
      }

      @Override public long waitedNanos() {
        return waited.getAsLong();
      }
    };
  }

  /** Runs a body of {@code millis} (or until killed) under {@code sched}; what was told. */
  private static WatchdogHeldUpTest.Told body(ThreadSched sched, long millis) throws Exception {
    WatchdogHeldUpTest.Told told = new WatchdogHeldUpTest.Told();
    BudgetWatchdog watchdog = new BudgetWatchdog("busy", told, BUDGET, new Log(() -> "busy"),
        new EventLoop(() -> "busy"), () -> sched);
    BudgetWatchdog.Call call = watchdog.arrive("test.v1.Busy/Work", BUDGET, null, () -> { });
    assertTrue(call.begin());
    long start = System.nanoTime();
    while (told.wedges.isEmpty() && System.nanoTime() - start < millis * 1_000_000) {
      Thread.sleep(2);
    }
    call.bodyReturned();
    Thread.sleep(100); // a kill would be told by now
    return told;
  }

  @Test
  void aBodyThatWaitsForACpuIsAnOverrunNotAKill() throws Exception {
    long start = System.nanoTime();
    WatchdogHeldUpTest.Told told = body(sched('R', () -> System.nanoTime() - start), 200);

    assertEquals(List.of(), told.wedges, "the service was killed");
    assertEquals(List.of("test.v1.Busy/Work"), told.overruns);
  }

  @Test
  void aBodyThatSpinsWithACpuIsKilledHalfABudgetLater() throws Exception {
    WatchdogHeldUpTest.Told told = body(sched('R', () -> 0), 2_000);

    assertEquals(1, told.wedges.size(), "the spinning body was not killed");
    long ran = told.wedges.get(0).ran().toMillis();
    assertTrue(ran >= 75 && ran < 1_000, "killed after " + ran + " ms");
  }

  @Test
  void aBodyBlockedOffTheCpuIsKilledAtItsBudget() throws Exception {
    WatchdogHeldUpTest.Told told = body(sched('S', () -> 0), 2_000);

    assertEquals(1, told.wedges.size(), "the sleeping body was not killed");
    long ran = told.wedges.get(0).ran().toMillis();
    assertTrue(ran >= 50 && ran < 1_000, "killed after " + ran + " ms");
  }

  @Test
  void aBodyThatNeverGetsACpuIsKilledAfterTenBudgets() throws Exception {
    long start = System.nanoTime();
    WatchdogHeldUpTest.Told told = body(sched('R', () -> System.nanoTime() - start), 3_000);

    assertEquals(1, told.wedges.size(), "the body was let run for ever");
    long ran = told.wedges.get(0).ran().toMillis();
    assertTrue(ran >= 500 && ran < 2_000, "killed after " + ran + " ms");
  }

  @Test
  @EnabledOnOs(OS.LINUX)
  void linuxSaysWhetherAThreadIsRunnableAndHowLongItWaited() throws Exception {
    ThreadSched self = ThreadSched.ofCurrentThread();
    assertNotNull(self);
    assertEquals('R', self.state());
    assertTrue(self.waitedNanos() >= 0, "" + self.waitedNanos());

    CompletableFuture<ThreadSched> napper = new CompletableFuture<>();
    Thread nap = new Thread(() -> {
      napper.complete(ThreadSched.ofCurrentThread());
      try {
        Thread.sleep(10_000);
      } catch (InterruptedException e) {
        // told to stop
      }
    });
    nap.start();
    try {
      ThreadSched other = napper.join();
      long deadline = System.nanoTime() + 5_000_000_000L;
      while (other.state() != 'S' && System.nanoTime() < deadline) {
        Thread.sleep(5);
      }
      assertEquals('S', other.state());
    } finally {
      nap.interrupt();
      nap.join();
    }
  }
}
