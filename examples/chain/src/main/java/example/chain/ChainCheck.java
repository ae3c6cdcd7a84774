package example.chain;

import example.chain.v1.AskRequest;
import example.chain.v1.AskResponse;
import example.chain.v1.Front;
import example.chain.v1.FrontClient;
import example.chain.v1.PingRequest;
import io.parigot.sdk.Context;
import io.parigot.sdk.Future;
import io.parigot.sdk.Parigot;

/**
 * The program of deploy.yaml: asks Front a question that Back answers slowly, and pings Front
 * meanwhile. Exits 0 when the answer is "a(b(x))" and every ping was answered before it: Front
 * kept serving while it waited on Back.
 */
public final class ChainCheck {
  static final int PINGS = 10;
  static final int BACK_DELAY_MILLIS = 2000;

  private ChainCheck() {}

  public static void main(String[] args) {
    Context check = Parigot.program("chain-check").require(Front.SERVICE);
    check.launch().onSuccess(launched -> {
      FrontClient front = FrontClient.locate(check);
      long start = System.nanoTime();
      int[] pinged = {0};
      Future<AskResponse> ask = front.ask(AskRequest.newBuilder()
          .setQuestion("x").setDelayMillis(BACK_DELAY_MILLIS).build());
      ping(front, pinged);
      ask.onSuccess(answer -> {
        int before = pinged[0];
        check.log().info("answer " + answer.getAnswer() + " after "
            + (System.nanoTime() - start) / 1_000_000 + " ms; " + before + " of " + PINGS
            + " pings answered meanwhile");
        check.exit(answer.getAnswer().equals("a(b(x))") && before == PINGS ? 0 : 1);
      }).onFailure(error -> {
        check.log().error("the question failed", error);
        check.exit(1);
      });
    }).onFailure(error -> check.log().warn("launch failed: " + error.getMessage()));
    check.run();
  }

  private static void ping(FrontClient front, int[] pinged) {
    front.ping(PingRequest.getDefaultInstance()).onSuccess(pong -> {
      if (++pinged[0] < PINGS) {
        ping(front, pinged);
      }
    });
  }
}
