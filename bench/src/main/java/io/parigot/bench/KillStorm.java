package io.parigot.bench;

import com.google.protobuf.StringValue;
import io.parigot.sdk.Context;
import io.parigot.sdk.Future;
import io.parigot.sdk.Parigot;
import io.parigot.sdk.Promise;
import io.parigot.sdk.Remote;
import io.parigot.sdk.ServiceError;
import io.parigot.sdk.ServiceRef;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * A program that wedges its requirement {@code args[0]} times: each call sleeps 1 s on the
 * service's loop, so the service is killed for its budget and restarted; the program waits for
 * it to answer again before the next. Prints {@code KILLS n=.. caller_p50_us=.. caller_p99_us=..},
 * the time from each call to its budget error, less the 50 ms budget.
 */
public final class KillStorm {
  private final Context context;
  private final Remote target;
  private final List<Long> late = new ArrayList<>();

  private KillStorm(Context context) {
    this.context = context;
    this.target = context.locate(ServiceRef.of(Echo.serviceName(1), BenchErr::forNumber));
  }

  public static void main(String[] args) {
    int kills = Integer.parseInt(args[0]);
    Context program = Parigot.program("kill-storm")
        .require(ServiceRef.of(Echo.serviceName(1), BenchErr::forNumber));
    program.launch().onSuccess(ready -> {
      KillStorm storm = new KillStorm(program);
      storm.warmUp(300).compose(w -> storm.kill(kills)).onSuccess(done -> {
        long[] sorted = storm.late.stream().mapToLong(Long::longValue).sorted().toArray();
        System.out.println("KILLS n=" + sorted.length + " caller_p50_us="
            + LocateStorm.percentile(sorted, 50) + " caller_p99_us="
            + LocateStorm.percentile(sorted, 99));
        program.exit(0);
      });
    });
    program.run();
  }

  private Future<Void> warmUp(int calls) {
    if (calls == 0) {
      return Future.done();
    }
    return call("warm").recover(e -> Future.succeeded(null)).compose(r -> warmUp(calls - 1));
  }

  private Future<Void> kill(int left) {
    if (left == 0) {
      return Future.done();
    }
    long start = System.nanoTime();
    return call(TrivialService.WEDGE).<Void>map(r -> {
      throw new IllegalStateException("the wedged call succeeded");
    }).recover(error -> {
      if (!(error instanceof ServiceError e && e.isBudgetExceeded())) {
        return Future.failed(error);
      }
      late.add((System.nanoTime() - start) / 1000 - 50_000);
      // the restarted JVM warms up (its first calls have a longer budget) before the next wedge
      return untilAnswered().compose(back -> warmUp(220));
    }).compose(back -> kill(left - 1));
  }

  private Future<Void> untilAnswered() {
    Promise<Void> answered = Promise.promise();
    retry(answered);
    return answered.future();
  }

  private void retry(Promise<Void> answered) {
    call("ping").onComplete(done -> {
      if (done.succeeded()) {
        answered.tryComplete(null);
      } else {
        context.runAfter(Duration.ofMillis(20), () -> retry(answered));
      }
    });
  }

  private Future<StringValue> call(String text) {
    return target.unary(Echo.method(1), StringValue.of(text));
  }
}
