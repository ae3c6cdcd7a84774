package example.reports;

import example.reports.v1.BlockRequest;
import example.reports.v1.BlockResponse;
import example.reports.v1.GenerateRequest;
import example.reports.v1.Report;
import example.reports.v1.Reports;
import example.reports.v1.ReportsClient;
import example.reports.v1.WaitRequest;
import io.parigot.sdk.Context;
import io.parigot.sdk.Future;
import io.parigot.sdk.Parigot;
import io.parigot.sdk.Promise;
import io.parigot.sdk.ServiceError;
import java.time.Duration;

/**
 * The program of the reports example. {@code report TITLE MILLIS} has a report rendered through
 * an operation and prints it. The other scenarios exercise the budget for the tests, print what
 * they saw and a line {@code DONE}, then stay up so that {@code parigot ps} can be asked:
 * {@code block}, {@code await-slow}, {@code steady}, {@code overload}.
 */
public final class Caller {
  private final Context context;
  private ReportsClient reports;

  private Caller(Context context) {
    this.context = context;
  }

  public static void main(String[] args) {
    Context context = Parigot.program("caller").require(Reports.SERVICE);
    Caller caller = new Caller(context);
    context.launch().onSuccess(ready -> {
      caller.reports = ReportsClient.locate(context);
      caller.run(args);
    });
    context.run();
  }

  private void run(String[] args) {
    String scenario = args.length == 0 ? "report" : args[0];
    switch (scenario) {
      case "report" -> report(args.length > 1 ? args[1] : "Q3",
          args.length > 2 ? Integer.parseInt(args[2]) : 2000);
      case "block" -> settle().compose(s -> warmUp(500)).compose(w -> settle())
          .onSuccess(settled -> block());
      case "await-slow" -> settle().compose(s -> warmUp(500)).compose(w -> settle())
          .onSuccess(settled -> awaitSlow());
      case "steady" -> settle().compose(s -> warmUp(500)).onSuccess(warm -> steady());
      case "overload" -> overload();
      default -> {
        System.err.println("unknown scenario " + scenario);
        context.exit(2);
      }
    }
  }

  /**
   * Quick calls first, and a few that fail: the first calls of a fresh JVM run gRPC's code in
   * the interpreter on both sides (milliseconds a hop, and its failure path loads classes), and a
   * scenario that times the budget times the budget, not the JIT.
   */
  private Future<Integer> warmUp(int calls) {
    Future<Integer> warm = sequential(calls, 0, 0);
    for (int i = 0; i < 50; i++) {
      // a warm-up call past its budget (a machine busy with a build) is no failure of the scenario
      warm = warm.compose(failed -> reports.awaitSlow(WaitRequest.newBuilder().setMillis(0)
          .build()).map(done -> failed).recover(late -> Future.succeeded(failed)));
      // a typed error runs gRPC's failure path, which a budget error takes too
      warm = warm.compose(failed -> reports.generate(GenerateRequest.getDefaultInstance())
          .map(never -> failed).recover(expected -> Future.succeeded(failed)));
    }
    return warm;
  }

  /**
   * Lets the JVMs finish what they are busy with (start-up, then compiling what the warm-up
   * made hot): on two cores, a timing taken while four JVMs compile is a timing of the JIT.
   */
  private Future<Void> settle() {
    Promise<Void> settled = Promise.promise();
    context.runAfter(Duration.ofSeconds(2), () -> settled.tryComplete(null));
    return settled.future();
  }

  private void report(String title, int millis) {
    long start = System.nanoTime();
    reports.generate(GenerateRequest.newBuilder().setTitle(title).setMillis(millis).build())
        .compose(started -> {
          System.out.println("rendering \"" + title + "\" as " + started.getOperationId());
          return context.locate(Reports.SERVICE).awaitOperation(started.getOperationId(),
              Report.parser());
        })
        .onSuccess(report -> {
          System.out.println("report \"" + report.getTitle() + "\" ready: " + report.getPages()
              + " pages in " + millisSince(start) + " ms");
          context.exit(0);
        })
        .onFailure(error -> {
          System.out.println("the report failed: " + error.getMessage());
          context.exit(1);
        });
  }

  private void block() {
    long start = System.nanoTime();
    reports.block(BlockRequest.newBuilder().setMillis(200).build()).onComplete(done -> {
      System.out.println("block: " + outcome(done.succeeded(), done.cause()) + " after "
          + millisSince(start) + " ms");
      untilAnswered(System.nanoTime());
    });
  }

  /** Calls a fast method every 100 ms until the (restarted) service answers it. */
  private void untilAnswered(long since) {
    reports.block(BlockRequest.newBuilder().setMillis(1).build()).onComplete(done -> {
      if (done.succeeded()) {
        System.out.println("block: the service answers again after " + millisSince(since)
            + " ms");
        System.out.println("DONE");
      } else {
        context.runAfter(Duration.ofMillis(100), () -> untilAnswered(since));
      }
    });
  }

  private void awaitSlow() {
    long start = System.nanoTime();
    reports.awaitSlow(WaitRequest.newBuilder().setMillis(200).build()).onComplete(done -> {
      System.out.println("await-slow: " + outcome(done.succeeded(), done.cause()) + " after "
          + millisSince(start) + " ms");
      reports.block(BlockRequest.newBuilder().setMillis(1).build()).onComplete(next -> {
        System.out.println("await-slow: next call " + outcome(next.succeeded(), next.cause()));
        System.out.println("DONE");
      });
    });
  }

  private void steady() {
    sequential(1000, 20, 0).onSuccess(slowFailures -> {
      System.out.println("steady: 1000 sequential calls of 20 ms: " + slowFailures + " failed");
      concurrent(10_000, 8, 1).onSuccess(fastFailures -> {
        System.out.println("steady: 10000 calls of 1 ms from 8 callers: " + fastFailures
            + " failed");
        System.out.println("DONE");
      });
    });
  }

  private void overload() {
    long start = System.nanoTime();
    concurrent(160, 16, 30).onSuccess(failures -> {
      System.out.println("overload: 160 calls of 30 ms from 16 callers: " + failures
          + " failed with the budget error, in " + millisSince(start) + " ms");
      System.out.println("DONE");
    });
  }

  /** {@code count} calls one after another; the future gives how many failed. */
  private Future<Integer> sequential(int count, int millis, int failedSoFar) {
    if (count == 0) {
      return Future.succeeded(failedSoFar);
    }
    return reports.block(BlockRequest.newBuilder().setMillis(millis).build())
        .map(ok -> 0)
        .recover(error -> {
          System.out.println("steady: a call failed"
              + (error instanceof ServiceError e && e.isBudgetExceeded() ? "" : " otherwise")
              + ": " + error.getMessage());
          return Future.succeeded(1);
        })
        .compose(failed -> sequential(count - 1, millis, failedSoFar + failed));
  }

  /** {@code count} calls with {@code width} outstanding at any time; gives how many failed. */
  private Future<Integer> concurrent(int count, int width, int millis) {
    Promise<Integer> all = Promise.promise();
    int[] state = {0, 0, 0}; // started, finished, failed
    Runnable[] next = new Runnable[1];
    next[0] = () -> {
      if (state[0] == count) {
        return;
      }
      state[0]++;
      reports.block(BlockRequest.newBuilder().setMillis(millis).build()).onComplete(done -> {
        state[1]++;
        if (done.failed()) {
          state[2]++;
          if (!(done.cause() instanceof ServiceError e && e.isBudgetExceeded())) {
            System.out.println("a call failed otherwise: " + done.cause().getMessage());
          }
        }
        if (state[1] == count) {
          all.tryComplete(state[2]);
        } else {
          next[0].run();
        }
      });
    };
    for (int i = 0; i < width; i++) {
      next[0].run();
    }
    return all.future();
  }

  private static String outcome(boolean succeeded, Throwable cause) {
    if (succeeded) {
      return "succeeded";
    }
    String kind = cause instanceof ServiceError e && e.isBudgetExceeded()
        ? "failed with the budget error" : "failed";
    return kind + " (" + cause.getMessage() + ")";
  }

  private static long millisSince(long start) {
    return (System.nanoTime() - start) / 1_000_000;
  }
}
