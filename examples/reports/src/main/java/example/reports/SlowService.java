package example.reports;

import example.reports.v1.DelayRequest;
import example.reports.v1.DelayResponse;
import example.reports.v1.Slow;
import io.parigot.sdk.Context;
import io.parigot.sdk.Future;
import io.parigot.sdk.Parigot;
import io.parigot.sdk.Promise;
import java.time.Duration;

/** Answers late without blocking: a timer on its loop completes the answer. */
public final class SlowService implements Slow {
  private Context context;

  @Override
  public Future<Void> ready(Context context) {
    this.context = context;
    return Future.done();
  }

  @Override
  public Future<DelayResponse> delay(DelayRequest request) {
    Promise<DelayResponse> answer = Promise.promise();
    context.runAfter(Duration.ofMillis(request.getMillis()),
        () -> answer.tryComplete(DelayResponse.getDefaultInstance()));
    return answer.future();
  }

  public static void main(String[] args) {
    Parigot.service(Slow.bind(new SlowService())).run();
  }
}
