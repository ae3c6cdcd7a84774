package example.chain;

import example.chain.v1.AskRequest;
import example.chain.v1.AskResponse;
import example.chain.v1.Back;
import example.chain.v1.BackClient;
import example.chain.v1.Front;
import example.chain.v1.PingRequest;
import example.chain.v1.PingResponse;
import io.parigot.sdk.Context;
import io.parigot.sdk.Future;
import io.parigot.sdk.Parigot;

/**
 * Front: answers "a(b(question))" by asking Back and composing Back's answer with its own. It
 * returns the composed future at once, so its loop serves pings while Back takes its time.
 */
public final class FrontService implements Front {
  private BackClient back;
  private long pings;

  @Override
  public Future<Void> ready(Context context) {
    back = BackClient.locate(context);
    return Future.done();
  }

  @Override
  public Future<AskResponse> ask(AskRequest request) {
    return back.answer(request).map(answer ->
        AskResponse.newBuilder().setAnswer("a(" + answer.getAnswer() + ")").build());
  }

  @Override
  public Future<PingResponse> ping(PingRequest request) {
    return Future.succeeded(PingResponse.newBuilder().setPings(++pings).build());
  }

  public static void main(String[] args) {
    Parigot.service(Front.bind(new FrontService())).require(Back.SERVICE).run();
  }
}
