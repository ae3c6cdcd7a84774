package example.reports;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import example.reports.v1.Reports;
import example.reports.v1.ReportsClient;
import example.reports.v1.WaitRequest;
import io.parigot.junit.ParigotExtension;
import io.parigot.sdk.ServiceError;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * A method whose body returns in time with a future that is still pending when its budget runs
 * out: the caller gets the budget error, and the service's own log says what happened.
 */
class PendingFutureTogetherTest {
  @RegisterExtension
  static final ParigotExtension parigot = ParigotExtension.builder()
      .service("slow", SlowService::main)
      .service("reports", ReportsService::main)
      .require(Reports.SERVICE)
      .build();

  @Test
  void theServiceSaysWhichMethodLeftItsFuturePendingPastTheBudget() throws Exception {
    PrintStream err = System.err;
    ByteArrayOutputStream captured = new ByteArrayOutputStream();
    System.setErr(new PrintStream(captured, true, StandardCharsets.UTF_8));
    String log;
    try {
      // AwaitSlow waits on Slow, which answers after 2 s: far past any budget
      ServiceError error = assertThrows(ServiceError.class, () -> parigot.call(ctx ->
          ReportsClient.locate(ctx).awaitSlow(WaitRequest.newBuilder().setMillis(2000).build())));
      assertTrue(error.isBudgetExceeded(), error.getMessage());
      // the caller is answered first, the warning follows it
      long deadline = System.nanoTime() + 5_000_000_000L;
      do {
        log = captured.toString(StandardCharsets.UTF_8);
        if (log.contains("reports: warning: method reports.v1.Reports/AwaitSlow")) {
          break;
        }
        Thread.sleep(10);
      } while (System.nanoTime() < deadline);
    } finally {
      System.setErr(err);
    }

    assertTrue(log.contains("reports: warning: method reports.v1.Reports/AwaitSlow returned a "
        + "future that was still pending when its "), log);
    assertTrue(log.contains("ran out; its caller got the budget error (its overrun 1; told at "
        + "the 1st, 10th, 100th, ... of each method)."), log);
    assertTrue(log.contains("reports:   The future waits on something slower than the budget "
        + "(a slow service, a timer) or on nothing at all (a Promise that is never completed)."),
        log);
    assertTrue(log.contains("reports:   Return an operation id for long work "
        + "(docs/sdk.md#long-running-work)."), log);
  }
}
