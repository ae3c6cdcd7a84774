package example.chain;

import example.chain.v1.AskRequest;
import example.chain.v1.AskResponse;
import example.chain.v1.Back;
import example.chain.v1.ChainErr;
import io.parigot.sdk.Context;
import io.parigot.sdk.Future;
import io.parigot.sdk.Parigot;
import io.parigot.sdk.Promise;
import java.time.Duration;

/** Back: answers "b(question)" after the delay asked for, from a timer: its loop never waits. */
public final class BackService implements Back {
  private Context context;

  @Override
  public Future<Void> ready(Context context) {
    this.context = context;
    return Future.done();
  }

  @Override
  public Future<AskResponse> answer(AskRequest request) {
    if (request.getQuestion().isEmpty()) {
      return Future.failed(ChainErr.EMPTY_QUESTION);
    }
    Promise<AskResponse> answer = Promise.promise();
    context.runAfter(Duration.ofMillis(request.getDelayMillis()), () -> answer.complete(
        AskResponse.newBuilder().setAnswer("b(" + request.getQuestion() + ")").build()));
    return answer.future();
  }

  public static void main(String[] args) {
    Parigot.service(Back.bind(new BackService())).run();
  }
}
