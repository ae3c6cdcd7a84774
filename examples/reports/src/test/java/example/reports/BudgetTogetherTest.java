package example.reports;

import static org.junit.jupiter.api.Assertions.assertEquals;

import example.reports.v1.Reports;
import example.reports.v1.ReportsClient;
import example.reports.v1.WaitRequest;
import example.reports.v1.WaitResponse;
import io.parigot.junit.ParigotExtension;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * {@code budget(...)} gives every service a budget of its own instead of parigot's 50 ms: a
 * suite on a machine too loaded to hold them to 50 ms. AwaitSlow waits 400 ms on Slow, past 50
 * ms (and past 200, warming up), and is answered, at both hops.
 */
class BudgetTogetherTest {
  @RegisterExtension
  static final ParigotExtension parigot = ParigotExtension.builder()
      .service("slow", SlowService::main)
      .service("reports", ReportsService::main)
      .require(Reports.SERVICE)
      .budget(Duration.ofSeconds(3))
      .build();

  @Test
  void aCallSlowerThanFiftyMillisecondsIsAnsweredWithinTheSuitesBudget() {
    WaitResponse answer = parigot.call(ctx -> ReportsClient.locate(ctx)
        .awaitSlow(WaitRequest.newBuilder().setMillis(400).build()));

    assertEquals(WaitResponse.getDefaultInstance(), answer);
  }
}
