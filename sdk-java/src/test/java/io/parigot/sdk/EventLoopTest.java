package io.parigot.sdk;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class EventLoopTest {
  /**
   * A cancelled timer is no timer: a call that was answered cancels its give-up timer (the
   * warm-up call before ready has one of 20 s), and a program whose only call then failed
   * unseen must hear of it after the loop's 2 s of nothing to do, not once that timer is due.
   */
  @Test
  void aCancelledTimerDoesNotKeepTheLoopFromBeingIdle() throws Exception {
    EventLoop loop = new EventLoop(() -> "idle");
    CountDownLatch idle = new CountDownLatch(1);
    loop.whenIdle(idle::countDown);
    Thread thread = new Thread(loop::run, "idle-loop");
    thread.start();
    try {
      loop.execute(() -> loop.schedule(TimeUnit.SECONDS.toNanos(60), 0, () -> { }).cancel());

      assertTrue(idle.await(EventLoop.IDLE_MILLIS + 3_000, TimeUnit.MILLISECONDS),
          "the loop did not run its idle task while only a cancelled timer was set");
    } finally {
      loop.stop();
      thread.join(5_000);
    }
  }
}
