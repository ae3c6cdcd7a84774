package example.reports;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import example.reports.v1.DelayRequest;
import example.reports.v1.DelayResponse;
import example.reports.v1.Slow;
import example.reports.v1.SlowClient;
import io.parigot.junit.ParigotExtension;
import io.parigot.sdk.Context;
import io.parigot.sdk.Future;
import io.parigot.sdk.Parigot;
import io.parigot.sdk.ServiceError;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * A loop blocked outside any method body (here a timer that sleeps): the calls queued behind it
 * fail with the budget error, and the service's log says where the loop is stuck.
 */
class StuckLoopTogetherTest {
  /** Answers at once, and leaves behind a timer that blocks its loop for {@code millis}. */
  static final class SleepyTimerService implements Slow {
    private Context context;

    @Override
    public Future<Void> ready(Context context) {
      this.context = context;
      return Future.done();
    }

    @Override
    public Future<DelayResponse> delay(DelayRequest request) {
      context.runAfter(Duration.ZERO, () -> sleep(request.getMillis()));
      return Future.succeeded(DelayResponse.getDefaultInstance());
    }

    private static void sleep(int millis) {
      try {
        Thread.sleep(millis); // the mistake: blocking the loop, in a timer
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }

    public static void main(String[] args) {
      Parigot.service(Slow.bind(new SleepyTimerService())).run();
    }
  }

  @RegisterExtension
  static final ParigotExtension parigot = ParigotExtension.builder()
      .service("slow", SleepyTimerService::main)
      .require(Slow.SERVICE)
      .build();

  @Test
  void theServiceSaysWhereItsLoopIsStuck() throws Exception {
    PrintStream err = System.err;
    ByteArrayOutputStream captured = new ByteArrayOutputStream();
    System.setErr(new PrintStream(captured, true, StandardCharsets.UTF_8));
    String log;
    try {
      parigot.call(ctx -> SlowClient.locate(ctx).delay(DelayRequest.newBuilder()
          .setMillis(1500).build()));
      ServiceError error = assertThrows(ServiceError.class, () -> parigot.call(ctx ->
          SlowClient.locate(ctx).delay(DelayRequest.getDefaultInstance())));
      assertTrue(error.isBudgetExceeded(), error.getMessage());
      long deadline = System.nanoTime() + 5_000_000_000L;
      do {
        log = captured.toString(StandardCharsets.UTF_8);
        if (log.contains("Never block the loop")) {
          break;
        }
        Thread.sleep(10);
      } while (System.nanoTime() < deadline);
    } finally {
      System.setErr(err);
    }

    assertTrue(log.contains("slow: warning: the event loop has been in one task for "), log);
    assertTrue(log.contains("ms, and it is no method body (a timer, a future callback, ready "
        + "or an exit hook): reports.v1.Slow/Delay waited behind it past its "), log);
    assertTrue(log.contains("slow:   It is at: java.lang.Thread.sleep("), log);
    assertTrue(log.contains("at example.reports.StuckLoopTogetherTest$SleepyTimerService.sleep("
        + "StuckLoopTogetherTest.java:"), log);
    assertTrue(log.contains("slow:   Never block the loop: do blocking work in an operation "
        + "(docs/sdk.md#long-running-work)."), log);
    // told once for the one stuck task, however many calls waited behind it
    assertTrue(log.indexOf("the event loop has been in one task")
        == log.lastIndexOf("the event loop has been in one task"), log);
  }
}
