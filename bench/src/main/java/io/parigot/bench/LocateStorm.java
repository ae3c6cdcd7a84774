package io.parigot.bench;

import com.google.protobuf.StringValue;
import io.grpc.ManagedChannel;
import io.grpc.Server;
import io.grpc.ServerServiceDefinition;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import io.grpc.netty.shaded.io.grpc.netty.NettyServerBuilder;
import io.grpc.stub.ClientCalls;
import io.grpc.stub.ServerCalls;
import io.grpc.stub.StreamObserver;
import io.parigot.control.v1.LocateRequest;
import io.parigot.control.ChildContract;
import io.parigot.control.RegistryConnection;
import io.parigot.control.v1.RegistryCall;
import io.parigot.sdk.Context;
import io.parigot.sdk.Parigot;
import io.parigot.sdk.Remote;
import io.parigot.sdk.ServiceRef;
import java.net.InetSocketAddress;
import java.util.Arrays;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A program that measures Locate: once its requirement is ready it sends 1,000 Locate requests
 * to the orchestrator at once, several rounds, and prints the latency of each as percentiles;
 * then the same 1,000-at-once of a trivial unary call to a plain grpc-java server in this JVM,
 * the baseline; and Locate as service code calls it, in the JVM. Output: {@code LOCATE p50_us=..
 * p99_us=.. RAW p50_us=.. p99_us=.. LOCAL p50_ns=.. p99_ns=..}.
 */
public final class LocateStorm {
  private static final int CONCURRENT = 1000;
  private static final int WARMUP_ROUNDS = 5;
  private static final int ROUNDS = 10;

  private LocateStorm() {}

  public static void main(String[] args) {
    ServiceRef target = ServiceRef.of(Echo.serviceName(1));
    Context program = Parigot.program("locate-storm").require(target);
    program.launch().onSuccess(ready -> {
      String local = locally(program, target);
      // the storm blocks; it runs on a worker, and the loop only hears the result
      Thread worker = new Thread(() -> {
        int code = 0;
        try {
          System.out.println(storm() + " " + local);
        } catch (Exception e) {
          e.printStackTrace();
          code = 1;
        }
        int exit = code;
        program.execute(() -> program.exit(exit));
      }, "locate-storm");
      worker.start();
    }).onFailure(e -> program.exit(1));
    program.run();
  }

  /**
   * Locate as service code calls it ({@code context.locate}, what generated clients' {@code
   * locate} does): answered in the JVM from what the name server said at launch. Rounds of
   * 1,000 on the loop, each lookup timed.
   */
  private static String locally(Context program, ServiceRef target) {
    long[] nanos = new long[ROUNDS * CONCURRENT];
    int at = 0;
    for (int round = 0; round < WARMUP_ROUNDS + ROUNDS; round++) {
      for (int i = 0; i < CONCURRENT; i++) {
        long start = System.nanoTime();
        Remote remote = program.locate(target);
        long took = System.nanoTime() - start;
        if (remote == null) {
          throw new IllegalStateException("no remote");
        }
        if (round >= WARMUP_ROUNDS) {
          nanos[at++] = took;
        }
      }
    }
    return "LOCAL p50_ns=" + percentile(nanos, 50) + " p99_ns=" + percentile(nanos, 99);
  }

  private static String storm() throws Exception {
    long[] locate;
    try (RegistryConnection registry = RegistryConnection.open(
        System.getenv(ChildContract.CONTROL_ENV), System.getenv(ChildContract.TOKEN_ENV))) {
      RegistryCall.Builder request = RegistryCall.newBuilder().setLocate(
          LocateRequest.newBuilder().setInterfaceName(Echo.serviceName(1)));
      locate = rounds(done -> registry.call(request.clone()).whenComplete((answer, failure) -> {
        if (failure != null) {
          failure.printStackTrace();
          System.exit(1);
        }
        done.run();
      }));
    }

    Server raw = NettyServerBuilder.forAddress(new InetSocketAddress("127.0.0.1", 0))
        .addService(ServerServiceDefinition.builder(Echo.serviceName(0))
            .addMethod(Echo.method(0), ServerCalls.asyncUnaryCall((q, r) -> {
              r.onNext(q);
              r.onCompleted();
            })).build())
        .build().start();
    ManagedChannel rawChannel = NettyChannelBuilder.forAddress("127.0.0.1", raw.getPort())
        .usePlaintext().build();
    StringValue hello = StringValue.of(Echo.serviceName(1));
    long[] baseline = rounds(done -> ClientCalls.asyncUnaryCall(
        rawChannel.newCall(Echo.method(0), io.grpc.CallOptions.DEFAULT), hello, observer(done)));
    rawChannel.shutdownNow();
    raw.shutdownNow();
    return "LOCATE p50_us=" + percentile(locate, 50) + " p99_us=" + percentile(locate, 99)
        + " RAW p50_us=" + percentile(baseline, 50) + " p99_us=" + percentile(baseline, 99);
  }

  private interface Call {
    void start(Runnable done);
  }

  private static <T> StreamObserver<T> observer(Runnable done) {
    return new StreamObserver<>() {
      @Override
      public void onNext(T value) {}

      @Override
      public void onError(Throwable t) {
        throw new IllegalStateException("a call of the benchmark failed", t);
      }

      @Override
      public void onCompleted() {
        done.run();
      }
    };
  }

  /** Latencies in microseconds of the measured rounds of {@link #CONCURRENT} calls at once. */
  private static long[] rounds(Call call) throws InterruptedException {
    long[] latencies = new long[ROUNDS * CONCURRENT];
    AtomicInteger at = new AtomicInteger();
    for (int round = 0; round < WARMUP_ROUNDS + ROUNDS; round++) {
      boolean measured = round >= WARMUP_ROUNDS;
      CountDownLatch all = new CountDownLatch(CONCURRENT);
      for (int i = 0; i < CONCURRENT; i++) {
        long start = System.nanoTime();
        call.start(() -> {
          if (measured) {
            latencies[at.getAndIncrement()] = (System.nanoTime() - start) / 1000;
          }
          all.countDown();
        });
      }
      if (!all.await(30, TimeUnit.SECONDS)) {
        throw new IllegalStateException("a round of calls did not finish in 30 s");
      }
    }
    return latencies;
  }

  static long percentile(long[] values, int p) {
    long[] sorted = values.clone();
    Arrays.sort(sorted);
    return sorted[Math.min(sorted.length - 1, (int) Math.ceil(p / 100.0 * sorted.length) - 1)];
  }
}
