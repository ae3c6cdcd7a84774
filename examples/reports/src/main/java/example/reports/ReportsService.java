package example.reports;

import example.reports.v1.BlockRequest;
import example.reports.v1.BlockResponse;
import example.reports.v1.DelayRequest;
import example.reports.v1.GenerateRequest;
import example.reports.v1.GenerateResponse;
import example.reports.v1.Report;
import example.reports.v1.ReportErr;
import example.reports.v1.Reports;
import example.reports.v1.Slow;
import example.reports.v1.SlowClient;
import example.reports.v1.WaitRequest;
import example.reports.v1.WaitResponse;
import io.parigot.sdk.Context;
import io.parigot.sdk.Future;
import io.parigot.sdk.Parigot;

/**
 * Renders reports through operations; its Block and Wait methods break the budget on purpose,
 * one by blocking its loop, the other by waiting on a slow service.
 */
public final class ReportsService implements Reports {
  private Context context;
  private SlowClient slow;
  private long calls;

  @Override
  public Future<Void> ready(Context context) {
    this.context = context;
    this.slow = SlowClient.locate(context);
    return Future.done();
  }

  @Override
  public Future<GenerateResponse> generate(GenerateRequest request) {
    if (request.getTitle().isEmpty()) {
      return Future.failed(ReportErr.EMPTY_TITLE);
    }
    // rendering takes longer than any budget: it runs on a worker, and the caller polls the id
    String id = context.operations().start(() -> render(request));
    return Future.succeeded(GenerateResponse.newBuilder().setOperationId(id).build());
  }

  private static Report render(GenerateRequest request) throws InterruptedException {
    Thread.sleep(request.getMillis());
    return Report.newBuilder().setTitle(request.getTitle())
        .setPages(1 + request.getMillis() / 100).build();
  }

  @Override
  public Future<BlockResponse> block(BlockRequest request) {
    calls++;

    try {
      Thread.sleep(request.getMillis()); // never do this on the loop: it is what gets killed
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    return Future.succeeded(BlockResponse.newBuilder().setCalls(calls).build());
  }

  @Override
  public Future<WaitResponse> awaitSlow(WaitRequest request) {
    return slow.delay(DelayRequest.newBuilder().setMillis(request.getMillis()).build())
        .map(done -> WaitResponse.getDefaultInstance());
  }

  public static void main(String[] args) {
    Parigot.service(Reports.bind(new ReportsService())).require(Slow.SERVICE).run();
  }
}
