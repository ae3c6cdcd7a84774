package io.parigot.sdk;

import io.grpc.Channel;
import io.grpc.ManagedChannel;
import io.grpc.Server;
import io.grpc.ServerBuilder;
import io.grpc.ServerServiceDefinition;
import io.grpc.inprocess.InProcessChannelBuilder;
import io.grpc.inprocess.InProcessServerBuilder;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import io.grpc.netty.shaded.io.grpc.netty.NettyServerBuilder;
import io.parigot.control.v1.Endpoint;
import io.parigot.control.v1.Location;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A service of a {@link Together} runtime: registers with its in-process name server and serves
 * over in-process gRPC (or, for measurements, netty on loopback). The service's thread is not
 * its own process: {@link Context#run()} returns instead of ending the JVM.
 */
final class TogetherBackend implements Backend {
  private final Together.Member member;
  private final TogetherNames names;
  private final boolean loopback;
  private final Map<String, ManagedChannel> channels = new ConcurrentHashMap<>();
  private volatile Server server;

  TogetherBackend(Together.Member member, TogetherNames names, boolean loopback) {
    this.member = member;
    this.names = names;
    this.loopback = loopback;
  }

  @Override
  public String serviceName(String fallback) {
    return member.name();
  }

  @Override
  public Endpoint serve(List<ServerServiceDefinition> services) throws IOException {
    if (services.isEmpty()) {
      return null;
    }
    String inProcessName = member.together().id() + "/" + member.name();
    ServerBuilder<?> builder = loopback
        ? NettyServerBuilder.forAddress(new InetSocketAddress("127.0.0.1", 0)).directExecutor()
        : InProcessServerBuilder.forName(inProcessName).directExecutor();
    services.forEach(builder::addService);
    server = builder.build().start();
    return loopback
        ? Endpoint.newBuilder().setHost("127.0.0.1")
            .setPort(((InetSocketAddress) server.getListenSockets().get(0)).getPort()).build()
        : Endpoint.newBuilder().setHost(inProcessName).build();
  }

  @Override
  public CompletableFuture<Void> register(List<String> exports, List<String> requires,
      Endpoint endpoint) {
    Optional<String> refused = member.refusal(exports, requires);
    if (refused.isEmpty()) {
      refused = names.registered(member.name(), exports, requires, endpoint);
    }
    return refused.isEmpty() ? CompletableFuture.completedFuture(null)
        : CompletableFuture.failedFuture(new LaunchFailure(LaunchFailure.Reason.REFUSED,
            refused.get(), null));
  }

  @Override
  public CompletableFuture<List<Location>> awaitRequirements() {
    CompletableFuture<List<Location>> located = new CompletableFuture<>();
    names.await(member.name(), answer -> {
      if (answer.failure() != null) {
        located.completeExceptionally(answer.failure());
      } else {
        located.complete(answer.locations());
      }
    });
    member.together().afterReadyLimit(
        () -> names.notReadyInTime(member.name(), member.together().readyLimitText()));
    return located;
  }

  @Override
  public Duration budget() {
    return member.together().budget();
  }

  @Override
  public CompletableFuture<Void> ready() {
    names.ready(member.name());
    return CompletableFuture.completedFuture(null);
  }

  @Override
  public Channel channelTo(Location location) {
    Endpoint at = location.getEndpoint();
    return channels.computeIfAbsent(at.getHost() + ":" + at.getPort(), key -> loopback
        ? NettyChannelBuilder.forAddress(at.getHost(), at.getPort())
            .usePlaintext().directExecutor().build()
        : InProcessChannelBuilder.forName(at.getHost()).directExecutor().build());
  }

  @Override
  public void exit(int code, String reason) {
    member.exited(code, reason);
  }

  @Override
  public void shutdown() {
    Server serving = server;
    if (serving != null) {
      serving.shutdownNow();
    }
    channels.values().forEach(ManagedChannel::shutdownNow);
  }

  @Override
  public boolean ownsProcess() {
    return false;
  }

  /**
   * A thread cannot be killed: the call has failed for its caller already; the stack is logged,
   * and the service is marked failed (no longer locatable, not serving), as a killed JVM would
   * be. Its thread stays stuck until the method returns.
   */
  @Override
  public void budgetWedged(BudgetWatchdog.Wedge wedge) {
    System.err.println(wedge.describe().replace("and the service is being killed",
        "and the service is marked failed (in one JVM a thread cannot be killed)"));
    names.wedged(member.name(), "wedged: method " + wedge.method() + " ran past its "
        + BudgetWatchdog.budgetText(wedge.budget(), wedge.methodBudget()));
    Server serving = server;
    if (serving != null) {
      serving.shutdownNow();
    }
  }
}
