package io.parigot.bench;

import io.grpc.Server;
import io.grpc.ServerServiceDefinition;
import io.grpc.netty.shaded.io.grpc.netty.NettyServerBuilder;
import io.grpc.stub.ServerCalls;
import java.io.IOException;
import java.net.InetSocketAddress;

/**
 * The baseline of the start-up benchmarks: the same echo method served by plain grpc-java, no
 * parigot. Prints {@code ready PORT} once it serves, and serves until it is killed.
 */
public final class RawService {
  private RawService() {}

  public static void main(String[] args) throws IOException, InterruptedException {
    int index = args.length > 0 ? Integer.parseInt(args[0]) : 1;
    Server server = NettyServerBuilder.forAddress(new InetSocketAddress("127.0.0.1", 0))
        .addService(ServerServiceDefinition.builder(Echo.serviceName(index))
            .addMethod(Echo.method(index), ServerCalls.asyncUnaryCall((request, response) -> {
              response.onNext(request);
              response.onCompleted();
            }))
            .build())
        .build()
        .start();
    System.out.println("ready " + server.getPort());
    System.out.flush();
    server.awaitTermination();
  }
}
