package example.chain;

import example.chain.v1.AddRequest;
import example.chain.v1.AddResponse;
import example.chain.v1.Counter;
import example.chain.v1.CounterClient;
import io.parigot.sdk.Context;
import io.parigot.sdk.Future;
import io.parigot.sdk.Parigot;
import java.util.ArrayList;
import java.util.List;

/**
 * One of many callers that hammer the counter at once: adds 1, 2, ... {@link #ADDS}, all calls in
 * flight together, then exits. Each caller adds {@link #SUM}.
 */
public final class Caller {
  /** The number of additions each caller makes. */
  public static final int ADDS = 500;
  /** What each caller adds in all: 1 + 2 + ... + ADDS. */
  public static final long SUM = (long) ADDS * (ADDS + 1) / 2;

  private Caller() {}

  public static void main(String[] args) {
    Context caller = Parigot.program("caller").require(Counter.SERVICE);
    caller.launch().compose(launched -> {
      CounterClient counter = CounterClient.locate(caller);
      List<Future<AddResponse>> adds = new ArrayList<>();
      for (int amount = 1; amount <= ADDS; amount++) {
        adds.add(counter.add(AddRequest.newBuilder().setAmount(amount).build()));
      }
      return Future.all(adds);
    }).onSuccess(all -> {
      caller.log().info(ADDS + " additions answered");
      caller.exit(0);
    }).onFailure(error -> {
      caller.log().error("an addition failed", error);
      caller.exit(1);
    });
    caller.run();
  }
}
