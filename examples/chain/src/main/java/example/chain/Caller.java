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
 * One of many callers that hammer the counter at once: adds 1, 2, ... {@link #ADDS}, {@link
 * #WINDOW} calls in flight at a time, then exits. Each caller adds {@link #SUM}.
 */
public final class Caller {
  /** The number of additions each caller makes. */
  public static final int ADDS = 500;
  /** What each caller adds in all: 1 + 2 + ... + ADDS. */
  public static final long SUM = (long) ADDS * (ADDS + 1) / 2;

  /** Additions each caller has in flight at once. */
  static final int WINDOW = 2;

  private Caller() {}

  /** Adds {@code amount}, then {@code amount + WINDOW}, ... up to {@link #ADDS}, one by one. */
  private static Future<Void> addFrom(CounterClient counter, int amount) {
    if (amount > ADDS) {
      return Future.done();
    }
    return counter.add(AddRequest.newBuilder().setAmount(amount).build())
        .compose(added -> addFrom(counter, amount + WINDOW));
  }

  public static void main(String[] args) {
    Context caller = Parigot.program("caller").require(Counter.SERVICE);
    caller.launch().compose(launched -> {
      CounterClient counter = CounterClient.locate(caller);
      // WINDOW additions in flight at a time: a caller that sent all 500 at once would queue
      // them behind each other far past their 50 ms budget, and have them shed
      List<Future<Void>> lanes = new ArrayList<>();
      for (int lane = 1; lane <= WINDOW; lane++) {
        lanes.add(addFrom(counter, lane));
      }
      return Future.all(lanes);
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
