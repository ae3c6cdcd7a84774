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
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Threads;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Unary calls with helloworld's messages (JMH), three ways:
 *
 * <ul>
 *   <li>{@code raw}: grpc-java as its users write it: a netty server on 127.0.0.1, a netty
 *       channel, the blocking stub, default executors;
 *   <li>{@code parigot}: helloworld's GreetingService, unchanged, called through the generated
 *       {@link GreetingClient} from a program's event loop, over the same netty loopback (the
 *       network path of {@code parigot up}, in one JVM);
 *   <li>{@code together}: the same, over in-process gRPC (together mode).
 * </ul>
 *
 * <p>A benchmark thread hands each parigot call to the program's loop and waits for the answer,
 * as the blocking stub waits for netty's; both figures include that hand-off. {@code latency}
 * samples single calls, one at a time (p50 / p99); {@code throughput} keeps 16 calls
 * outstanding (16 threads). Run by {@code bench/run} (the Suite), or alone: {@code java -cp
 * bench/target/bench.jar org.openjdk.jmh.Main Calls}.
 */
@State(Scope.Benchmark)
@Fork(value = 1, jvmArgsAppend = {"-Xmx256m"})
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 3, time = 3)
public class Calls {
  private static final MethodDescriptor<FetchGreetingRequest, FetchGreetingResponse> FETCH =
      MethodDescriptor.<FetchGreetingRequest, FetchGreetingResponse>newBuilder()
          .setType(MethodDescriptor.MethodType.UNARY)
          .setFullMethodName("greeting.v1.Greeting/FetchGreeting")
          .setRequestMarshaller(ProtoUtils.marshaller(FetchGreetingRequest.getDefaultInstance()))
          .setResponseMarshaller(ProtoUtils.marshaller(FetchGreetingResponse.getDefaultInstance()))
          .build();
  private static final FetchGreetingRequest REQUEST =
      FetchGreetingRequest.newBuilder().setTongue(Tongue.FRENCH).build();

  /** Which path the calls take. */
  @Param({"raw", "parigot", "together"})
  public String path;

  private Server server;
  private ManagedChannel channel;
  private Together together;
  private Context program;
  private GreetingClient greeting;

  /** Starts the raw server and channel, or the greeting service and a program calling it. */
  @Setup(Level.Trial)
  public void start() throws Exception {
    if (path.equals("raw")) {
      FetchGreetingResponse answer =
          FetchGreetingResponse.newBuilder().setGreeting("bonjour").build();
      server = NettyServerBuilder.forAddress(new InetSocketAddress("127.0.0.1", 0))
          .addService(ServerServiceDefinition.builder("greeting.v1.Greeting")
              .addMethod(FETCH, ServerCalls.asyncUnaryCall((request, response) -> {
                response.onNext(answer);
                response.onCompleted();
              }))
              .build())
          .build().start();
      int port = ((InetSocketAddress) server.getListenSockets().get(0)).getPort();
      channel = NettyChannelBuilder.forAddress("127.0.0.1", port).usePlaintext().build();
      return;
    }
    CompletableFuture<Context> launched = new CompletableFuture<>();
    Together.Builder builder = Together.builder()
        .service("greeting", GreetingService::main)
        .program("bench", args -> {
          Context bench = Parigot.program("bench").require(Greeting.SERVICE);
          bench.launch().onSuccess(ready -> {
            greeting = GreetingClient.locate(bench);
            launched.complete(bench);
          }).onFailure(launched::completeExceptionally);
          bench.run();
        });
    if (path.equals("parigot")) {
      builder.overLoopback();
    }
    together = builder.build().start();
    program = launched.get(30, TimeUnit.SECONDS);
  }

  /** Ends the program (its exit ends the deployment) and stops everything. */
  @TearDown(Level.Trial)
  public void stop() throws Exception {
    if (channel != null) {
      channel.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
      server.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
    }
    if (together != null) {
      program.execute(() -> program.exit(0));
      together.awaitExit("bench", Duration.ofSeconds(5));
      together.stop();
    }
  }

  private FetchGreetingResponse call() throws Exception {
    if (channel != null) {
      return ClientCalls.blockingUnaryCall(channel, FETCH, CallOptions.DEFAULT, REQUEST);
    }
    CompletableFuture<FetchGreetingResponse> answer = new CompletableFuture<>();
    program.execute(() -> greeting.fetchGreeting(REQUEST)
        .onSuccess(answer::complete).onFailure(answer::completeExceptionally));
    return answer.get(10, TimeUnit.SECONDS);
  }

  /** One call at a time; JMH samples each call's time. */
  @Benchmark
  @BenchmarkMode(Mode.SampleTime)
  @OutputTimeUnit(TimeUnit.MICROSECONDS)
  public FetchGreetingResponse latency() throws Exception {
    return call();
  }

  /** Calls per second with 16 outstanding at all times. */
  @Benchmark
  @BenchmarkMode(Mode.Throughput)
  @OutputTimeUnit(TimeUnit.SECONDS)
  @Threads(16)
  public FetchGreetingResponse throughput() throws Exception {
    return call();
  }
}
