package example.reports;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import example.reports.v1.GenerateRequest;
import example.reports.v1.Report;
import example.reports.v1.Reports;
import example.reports.v1.ReportsClient;
import io.parigot.junit.ParigotExtension;
import io.parigot.sdk.ServiceError;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Long work through an operation, the services together in the test's JVM. */
class OperationsTogetherTest {
  @RegisterExtension
  static final ParigotExtension parigot = ParigotExtension.builder()
      .service("slow", SlowService::main)
      .service("reports", ReportsService::main)
      .require(Reports.SERVICE)
      .build();

  private static Report render(String title, int millis) {
    return parigot.call(ctx -> ReportsClient.locate(ctx)
        .generate(GenerateRequest.newBuilder().setTitle(title).setMillis(millis).build())
        .compose(started -> ctx.locate(Reports.SERVICE)
            .awaitOperation(started.getOperationId(), Report.parser())));
  }

  @Test
  void aReportIsRenderedThroughAnOperation() {
    Report report = render("Q3", 300);

    assertEquals("Q3", report.getTitle());
    assertEquals(4, report.getPages());
  }

  @Test
  void workThatThrowsFailsThePollerAndTheServiceLogsWhereItThrew() {
    PrintStream err = System.err;
    ByteArrayOutputStream captured = new ByteArrayOutputStream();
    ServiceError error;
    System.setErr(new PrintStream(captured, true, StandardCharsets.UTF_8));
    try {
      // Thread.sleep(-1) in render: IllegalArgumentException, a bug and not a typed error
      error = assertThrows(ServiceError.class, () -> render("Q4", -1));
    } finally {
      System.setErr(err);
    }
    String log = captured.toString(StandardCharsets.UTF_8);

    assertTrue(error.isDispatchError(), error.getMessage());
    assertTrue(error.getMessage().contains("IllegalArgumentException"), error.getMessage());
    assertTrue(log.contains("reports: error: operation op-"), log);
    assertTrue(log.contains("failed (its pollers get DISPATCH_ERROR)"), log);
    assertTrue(log.contains("reports: java.lang.IllegalArgumentException"), log);
    assertTrue(log.contains("at example.reports.ReportsService.render(ReportsService.java:"), log);
  }
}
