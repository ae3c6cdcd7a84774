package io.parigot.bench;

import example.helloworld.GreetingService;
import example.helloworld.greeting.v1.FetchGreetingRequest;
import example.helloworld.greeting.v1.FetchGreetingResponse;
import example.helloworld.greeting.v1.Greeting;
import example.helloworld.greeting.v1.GreetingClient;
import example.helloworld.greeting.v1.Tongue;
import io.grpc.CallOptions;
import io.grpc.ManagedChannel;
import io.grpc.MethodDescriptor;
import io.grpc.Server;
import io.grpc.ServerServiceDefinition;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import io.grpc.netty.shaded.io.grpc.netty.NettyServerBuilder;
import io.grpc.protobuf.ProtoUtils;
import io.grpc.stub.ClientCalls;
import io.grpc.stub.ServerCalls;
import io.parigot.sdk.Context;
import io.parigot.sdk.Parigot;
import io.parigot.sdk.Together;
import java.net.InetSocketAddress;
import java.util.Arrays;
import java.util.concurrent.TimeUnit;

/**
 * Latency of sequential unary calls, one at a time, with helloworld's messages, timed where a
 * service author's code runs: raw grpc-java (netty on loopback, blocking stub; default
 * executors, and direct executors) against the generated client called from a program's event
 * loop, timed on that loop (the same netty loopback, in one JVM: {@link
 * Together.Builder#overLoopback()}), and against together mode (in-process). Prints a table and
 * a {@code LOOP ...} line the {@link Suite} reads. Run by {@code bench/run}, or alone:
 *
 * <pre>
 * java -cp bench/target/bench.jar io.parigot.bench.LoopLatency [calls]
 * </pre>
 */
public final class LoopLatency {
  private static final MethodDescriptor<FetchGreetingRequest, FetchGreetingResponse> FETCH =
      MethodDescriptor.<FetchGreetingRequest, FetchGreetingResponse>newBuilder()
          .setType(MethodDescriptor.MethodType.UNARY)
          .setFullMethodName("greeting.v1.Greeting/FetchGreeting")
          .setRequestMarshaller(ProtoUtils.marshaller(FetchGreetingRequest.getDefaultInstance()))
          .setResponseMarshaller(ProtoUtils.marshaller(FetchGreetingResponse.getDefaultInstance()))
          .build();
  private static final FetchGreetingRequest REQUEST =
      FetchGreetingRequest.newBuilder().setTongue(Tongue.FRENCH).build();

  private LoopLatency() {}

  public static void main(String[] args) throws Exception {
    int calls = args.length > 0 ? Integer.parseInt(args[0]) : 50_000;
    int warmup = Math.max(calls / 2, 10_000);
    System.out.printf("sequential unary calls: %d measured after %d warm-up, %d cores, %s%n",
        calls, warmup, Runtime.getRuntime().availableProcessors(), System.getProperty("java.vm.name")
            + " " + System.getProperty("java.version"));
    long[] raw = rawGrpc(warmup, calls, false);
    long[] rawDirect = rawGrpc(warmup, calls, true);
    long[] sdk = throughSdk(warmup, calls, true);
    long[] together = throughSdk(warmup, calls, false);
    System.out.printf("%-44s %8s %8s %10s %10s %10s %10s%n", "path", "p50 µs", "p99 µs",
        "p50/raw", "p99/raw", "p50/rawD", "p99/rawD");
    row("raw grpc-java, netty loopback (raw)", raw, raw, rawDirect);
    row("raw grpc-java, direct executors (rawD)", rawDirect, raw, rawDirect);
    row("parigot client + SDK, netty loopback", sdk, raw, rawDirect);
    row("parigot together (in-process gRPC)", together, raw, rawDirect);
    System.out.printf("goals: SDK p50 <= 1.15x raw, p99 <= 1.30x raw; together p50 < 20 µs%n");
    System.out.printf(java.util.Locale.ROOT, "LOOP raw_p50_us=%.1f raw_p99_us=%.1f "
        + "sdk_p50_us=%.1f sdk_p99_us=%.1f together_p50_us=%.1f together_p99_us=%.1f%n",
        micros(raw, 50), micros(raw, 99), micros(sdk, 50), micros(sdk, 99), micros(together, 50),
        micros(together, 99));
  }

  private static void row(String name, long[] nanos, long[] raw, long[] rawDirect) {
    System.out.printf("%-44s %8.1f %8.1f %9.2fx %9.2fx %9.2fx %9.2fx%n", name, micros(nanos, 50),
        micros(nanos, 99), micros(nanos, 50) / micros(raw, 50), micros(nanos, 99) / micros(raw, 99),
        micros(nanos, 50) / micros(rawDirect, 50), micros(nanos, 99) / micros(rawDirect, 99));
  }

  private static double micros(long[] sorted, int percentile) {
    return sorted[(int) Math.min(sorted.length - 1L, (long) sorted.length * percentile / 100)]
        / 1000.0;
  }

  /**
   * grpc-java as its users write it: netty server and channel, blocking stub; with default
   * executors, or tuned with direct executors (the SDK's own setting: it hands work to its loop).
   */
  private static long[] rawGrpc(int warmup, int calls, boolean direct) throws Exception {
    FetchGreetingResponse answer = FetchGreetingResponse.newBuilder().setGreeting("bonjour").build();
    NettyServerBuilder serverBuilder =
        NettyServerBuilder.forAddress(new InetSocketAddress("127.0.0.1", 0));
    if (direct) {
      serverBuilder.directExecutor();
    }
    Server server = serverBuilder.addService(ServerServiceDefinition.builder("greeting.v1.Greeting")
            .addMethod(FETCH, ServerCalls.asyncUnaryCall((request, response) -> {
              response.onNext(answer);
              response.onCompleted();
            }))
            .build())
        .build().start();
    int port = ((InetSocketAddress) server.getListenSockets().get(0)).getPort();
    NettyChannelBuilder channelBuilder =
        NettyChannelBuilder.forAddress("127.0.0.1", port).usePlaintext();
    if (direct) {
      channelBuilder.directExecutor();
    }
    ManagedChannel channel = channelBuilder.build();
    try {
      long[] nanos = new long[calls];
      for (int i = -warmup; i < calls; i++) {
        long start = System.nanoTime();
        ClientCalls.blockingUnaryCall(channel, FETCH, CallOptions.DEFAULT, REQUEST);
        if (i >= 0) {
          nanos[i] = System.nanoTime() - start;
        }
      }
      Arrays.sort(nanos);
      return nanos;
    } finally {
      channel.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
      server.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
    }
  }

  /**
   * The greeting service, unchanged, and a program calling it through the generated client:
   * each call starts from the program's loop when the previous answer arrived there.
   */
  private static long[] throughSdk(int warmup, int calls, boolean loopback) throws Exception {
    long[] nanos = new long[calls];
    Together.Builder builder = Together.builder()
        .service("greeting", GreetingService::main)
        .program("bench", args -> {
          Context bench = Parigot.program("bench").require(Greeting.SERVICE);
          bench.launch().onSuccess(launched -> next(bench, GreetingClient.locate(bench), -warmup,
              nanos)).onFailure(error -> bench.exit(1));
          bench.run();
        });
    if (loopback) {
      builder.overLoopback();
    }
    int code = builder.build().run();
    if (code != 0) {
      throw new IllegalStateException("the benchmark program exited with " + code);
    }
    Arrays.sort(nanos);
    return nanos;
  }

  private static void next(Context bench, GreetingClient greeting, int i, long[] nanos) {
    if (i == nanos.length) {
      bench.exit(0);
      return;
    }
    long start = System.nanoTime();
    greeting.fetchGreeting(REQUEST).onComplete(done -> {
      if (i >= 0) {
        nanos[i] = System.nanoTime() - start;
      }
      if (done.failed()) {
        bench.exit(1);
      } else {
        next(bench, greeting, i + 1, nanos);
      }
    });
  }
}
