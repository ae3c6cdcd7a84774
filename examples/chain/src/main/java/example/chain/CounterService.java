package example.chain;

import example.chain.v1.AddRequest;
import example.chain.v1.AddResponse;
import example.chain.v1.Counter;
import example.chain.v1.StatsRequest;
import example.chain.v1.StatsResponse;
import io.parigot.sdk.Context;
import io.parigot.sdk.Future;
import io.parigot.sdk.Parigot;
import io.parigot.sdk.Promise;
import java.time.Duration;
import java.util.HashSet;
import java.util.Set;

/**
 * The counter: plain fields, no lock, no atomic. Every method body, timer callback and future
 * callback notes the thread it runs on; the SDK runs them all on the service's one loop, so the
 * totals stay exact and the set holds one thread, however many callers hammer it.
 */
public final class CounterService implements Counter {
  private final Set<Thread> threads = new HashSet<>();
  private Context context;
  private long total;
  private long calls;
  private long callbacks;

  @Override
  public Future<Void> ready(Context context) {
    this.context = context;
    note();
    return Future.done();
  }

  @Override
  public Future<AddResponse> add(AddRequest request) {
    note();
    calls++;
    Promise<Long> added = Promise.promise();
    context.runAfter(Duration.ZERO, () -> {
      note();
      callbacks++;
      total += request.getAmount();
      added.complete(total);
    });
    return added.future().map(now -> {
      note();
      callbacks++;
      return AddResponse.newBuilder().setTotal(now).build();
    });
  }

  @Override
  public Future<StatsResponse> stats(StatsRequest request) {
    note();
    return Future.succeeded(StatsResponse.newBuilder()
        .setTotal(total).setCalls(calls).setCallbacks(callbacks).setThreads(threads.size())
        .build());
  }

  private void note() {
    threads.add(Thread.currentThread());
  }

  public static void main(String[] args) {
    Parigot.service(Counter.bind(new CounterService())).run();
  }
}
