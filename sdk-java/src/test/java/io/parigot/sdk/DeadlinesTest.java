package io.parigot.sdk;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** The watchdog's clock: tasks run at their deadlines, in order; cancelled ones never. */
class DeadlinesTest {
  private static final long MS = 1_000_000L;

  @Test
  void anEarlierDeadlineAddedLaterWakesTheClock() throws InterruptedException {
    Deadlines clock = new Deadlines("test-clock-early");
    CountDownLatch ran = new CountDownLatch(1);
    clock.after(60_000 * MS, () -> { }); // the clock now sleeps for a minute
    long start = System.nanoTime();
    clock.after(20 * MS, ran::countDown);
    assertTrue(ran.await(10, TimeUnit.SECONDS), "the 20 ms deadline waited for the minute");
    assertTrue(System.nanoTime() - start >= 20 * MS, "it ran before its deadline");
  }

  @Test
  void tasksRunInTheOrderOfTheirDeadlinesAndCancelledOnesNever() throws InterruptedException {
    Deadlines clock = new Deadlines("test-clock-order");
    List<String> ran = new CopyOnWriteArrayList<>();
    CountDownLatch last = new CountDownLatch(1);
    // deadlines at fixed points from one start, not from each add: a test thread held up
    // between two adds (a loaded machine, a GC) must not reorder them
    long start = System.nanoTime();
    clock.after(delayTo(start, 300), () -> {
      ran.add("c");
      last.countDown();
    });
    clock.after(delayTo(start, 100), () -> ran.add("a"));
    clock.after(delayTo(start, 200), () -> ran.add("cancelled")).cancel();
    clock.after(delayTo(start, 150), () -> ran.add("b"));
    assertTrue(last.await(10, TimeUnit.SECONDS));
    assertEquals(List.of("a", "b", "c"), ran);
  }

  /** The delay from now to {@code millis} after {@code start} (a System.nanoTime()). */
  private static long delayTo(long start, long millis) {
    return start + millis * MS - System.nanoTime();
  }

  @Test
  void manyCancelledDeadlinesDoNotStopTheOthers() throws InterruptedException {
    Deadlines clock = new Deadlines("test-clock-many");
    for (int i = 0; i < 20_000; i++) {
      clock.after(60_000 * MS, () -> { }).cancel(); // as answered calls leave theirs
    }
    CountDownLatch ran = new CountDownLatch(1);
    clock.after(10 * MS, ran::countDown);
    assertTrue(ran.await(10, TimeUnit.SECONDS));
  }
}
