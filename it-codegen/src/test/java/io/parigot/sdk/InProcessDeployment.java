package io.parigot.sdk;

import io.grpc.Channel;
import io.grpc.ManagedChannel;
import io.grpc.Server;
import io.grpc.ServerServiceDefinition;
import io.grpc.inprocess.InProcessChannelBuilder;
import io.grpc.inprocess.InProcessServerBuilder;
import io.parigot.control.v1.Endpoint;
import io.parigot.control.v1.Location;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * For these tests only: services and programs of one deployment in this JVM, each on its own
 * event-loop thread, calling each other over grpc's in-process transport, with a name server
 * that is a map. It lives in io.parigot.sdk because {@link Backend} is package-private; the
 * SDK's "together" runtime is what users get for this.
 */
public final class InProcessDeployment implements AutoCloseable {
  private final String id = UUID.randomUUID().toString();
  private final Map<String, CompletableFuture<Location>> readyInterfaces = new ConcurrentHashMap<>();
  private final Map<String, Server> servers = new ConcurrentHashMap<>();
  private final List<ManagedChannel> channels = new CopyOnWriteArrayList<>();
  private final List<Context> contexts = new CopyOnWriteArrayList<>();
  private final List<Thread> threads = new CopyOnWriteArrayList<>();

  /** A service exporting {@code bindings}, launched and running on its own thread. */
  public Context service(String name, ServiceBinding... bindings) {
    Context context = new Context(name, List.of(bindings), new InProcessBackend(name));
    context.launch();
    return run(context);
  }

  /** A program that requires {@code services}; launch it, then {@link #run} it. */
  public Context program(String name, ServiceRef... services) {
    return new Context(name, List.of(), new InProcessBackend(name)).require(services);
  }

  /** Runs {@code context}'s event loop on a thread of its own. */
  public Context run(Context context) {
    contexts.add(context);
    Thread thread = new Thread(context::run, "loop-" + context.serviceName());
    thread.setDaemon(true);
    threads.add(thread);
    thread.start();
    return context;
  }

  /** Stops serving the service exported as {@code interfaceName}, as if its JVM died. */
  public void kill(String interfaceName) {
    servers.get(ready(interfaceName).join().getEndpoint().getHost()).shutdownNow();
  }

  /** The budget a binding gives one method, or null for the default. */
  public static Duration budgetOf(ServiceBinding binding, String fullMethodName) {
    return binding.budget(fullMethodName);
  }

  @Override
  public void close() throws InterruptedException {
    for (Context context : contexts) {
      context.execute(() -> context.exit(0));
    }
    for (Thread thread : threads) {
      thread.join(5_000);
    }
    channels.forEach(ManagedChannel::shutdownNow);
    servers.values().forEach(Server::shutdownNow);
  }

  private CompletableFuture<Location> ready(String interfaceName) {
    return readyInterfaces.computeIfAbsent(interfaceName, name -> new CompletableFuture<>());
  }

  private final class InProcessBackend implements Backend {
    private final String name;
    private List<String> exports = List.of();
    private List<String> requires = List.of();
    private Endpoint endpoint;

    InProcessBackend(String name) {
      this.name = name;
    }

    @Override
    public String serviceName(String fallback) {
      return name;
    }

    @Override
    public Endpoint serve(List<ServerServiceDefinition> services) throws IOException {
      if (services.isEmpty()) {
        return null;
      }
      String serverName = id + "/" + name;
      InProcessServerBuilder builder = InProcessServerBuilder.forName(serverName).directExecutor();
      services.forEach(builder::addService);
      Server server = builder.build().start();
      servers.put(serverName, server);
      return Endpoint.newBuilder().setHost(serverName).build();
    }

    @Override
    public CompletableFuture<Void> register(List<String> exports, List<String> requires,
        Endpoint endpoint) {
      this.exports = exports;
      this.requires = requires;
      this.endpoint = endpoint;
      return CompletableFuture.completedFuture(null);
    }

    @Override
    public CompletableFuture<List<Location>> awaitRequirements() {
      List<CompletableFuture<Location>> all = new ArrayList<>();
      requires.forEach(r -> all.add(InProcessDeployment.this.ready(r)));
      return CompletableFuture.allOf(all.toArray(CompletableFuture[]::new))
          .thenApply(done -> all.stream().map(CompletableFuture::join).toList());
    }

    @Override
    public CompletableFuture<Void> ready() {
      for (String export : exports) {
        InProcessDeployment.this.ready(export).complete(Location.newBuilder()
            .setInterfaceName(export).setServiceName(name).setEndpoint(endpoint).build());
      }
      return CompletableFuture.completedFuture(null);
    }

    @Override
    public Channel channelTo(Location location) {
      ManagedChannel channel = InProcessChannelBuilder.forName(location.getEndpoint().getHost())
          .directExecutor().build();
      channels.add(channel);
      return channel;
    }

    @Override
    public void exit(int code, String reason) {}

    @Override
    public void shutdown() {}

    @Override
    public boolean ownsProcess() {
      return false;
    }
  }
}
