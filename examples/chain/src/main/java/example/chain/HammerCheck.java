package example.chain;

import example.chain.v1.Counter;
import example.chain.v1.CounterClient;
import example.chain.v1.StatsRequest;
import example.chain.v1.StatsResponse;
import io.parigot.sdk.Context;
import io.parigot.sdk.Parigot;
import io.parigot.sdk.Timer;
import java.time.Duration;

/**
 * The program of hammer.yaml: waits until every caller's additions reached the counter, then
 * checks the counter's state is exact and its code ran on one thread. Exits 0 when it is.
 * Argument: the number of callers.
 */
public final class HammerCheck {
  private static final Duration LIMIT = Duration.ofSeconds(60);

  private HammerCheck() {}

  public static void main(String[] args) {
    int callers = Integer.parseInt(args[0]);
    long expectedCalls = (long) callers * Caller.ADDS;
    long expectedTotal = callers * Caller.SUM;
    Context check = Parigot.program("hammer-check").require(Counter.SERVICE);
    check.launch().onSuccess(launched -> {
      CounterClient counter = CounterClient.locate(check);
      long deadline = System.nanoTime() + LIMIT.toNanos();
      Timer[] poll = new Timer[1];
      boolean[] reported = {false};
      poll[0] = check.every(Duration.ofMillis(20), () -> counter.stats(
          StatsRequest.getDefaultInstance()).onSuccess(stats -> {
            boolean allIn = stats.getCalls() >= expectedCalls && stats.getTotal() >= expectedTotal;
            if ((allIn || System.nanoTime() > deadline) && !reported[0]) {
              reported[0] = true;  // polls already in flight still answer
              poll[0].cancel();
              report(check, stats, expectedCalls, expectedTotal);
            }
          }));
    }).onFailure(error -> check.log().warn("launch failed: " + error.getMessage()));
    check.run();
  }

  private static void report(Context check, StatsResponse stats, long calls, long total) {
    boolean exact = stats.getCalls() == calls && stats.getTotal() == total
        && stats.getCallbacks() == 2 * calls && stats.getThreads() == 1;
    check.log().info("counter: " + stats.getCalls() + " calls (expected " + calls + "), total "
        + stats.getTotal() + " (expected " + total + "), " + stats.getCallbacks()
        + " callbacks, ran on " + stats.getThreads() + " thread(s): " + (exact ? "exact" : "WRONG"));
    check.exit(exact ? 0 : 1);
  }
}
