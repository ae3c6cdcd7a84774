package io.parigot.orchestrator.cli;

import io.grpc.ClientInterceptors;
import io.grpc.ManagedChannel;
import io.grpc.Metadata;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import io.grpc.stub.MetadataUtils;
import io.parigot.control.v1.ControlGrpc;
import io.parigot.orchestrator.control.StateDirectory;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

/** The CLI's connection to a running orchestrator's Control service. */
final class ControlClient implements AutoCloseable {
  private static final Metadata.Key<String> TOKEN_KEY =
      Metadata.Key.of("parigot-token", Metadata.ASCII_STRING_MARSHALLER);
  /** How long a call may take before the CLI says the orchestrator does not answer. */
  static final Duration DEADLINE = Duration.ofSeconds(10);
  private final ManagedChannel channel;
  private final ControlGrpc.ControlBlockingStub stub;

  ControlClient(StateDirectory.Running running) {
    channel = NettyChannelBuilder.forAddress("127.0.0.1", running.port()).usePlaintext().build();
    Metadata headers = new Metadata();
    headers.put(TOKEN_KEY, running.token());
    stub = ControlGrpc.newBlockingStub(ClientInterceptors.intercept(channel,
        MetadataUtils.newAttachHeadersInterceptor(headers)));
  }

  ControlGrpc.ControlBlockingStub stub() {
    return stub.withDeadlineAfter(DEADLINE.toMillis(), TimeUnit.MILLISECONDS);
  }

  @Override
  public void close() {
    channel.shutdownNow();
  }
}
