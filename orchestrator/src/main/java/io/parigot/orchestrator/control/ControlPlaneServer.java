package io.parigot.orchestrator.control;

import io.grpc.Metadata;
import io.grpc.Server;
import io.grpc.ServerCall;
import io.grpc.ServerCallHandler;
import io.grpc.ServerInterceptor;
import io.grpc.ServerInterceptors;
import io.grpc.Status;
import io.grpc.netty.shaded.io.grpc.netty.NettyServerBuilder;
import io.grpc.netty.shaded.io.netty.channel.EventLoopGroup;
import io.grpc.netty.shaded.io.netty.channel.nio.NioEventLoopGroup;
import io.grpc.netty.shaded.io.netty.channel.socket.nio.NioServerSocketChannel;
import io.grpc.stub.StreamObserver;
import io.parigot.control.v1.ControlGrpc;
import io.parigot.control.v1.DownRequest;
import io.parigot.control.v1.DownResponse;
import io.parigot.control.v1.Endpoint;
import io.parigot.control.v1.KillRequest;
import io.parigot.control.v1.KillResponse;
import io.parigot.control.v1.RestartRequest;
import io.parigot.control.v1.RestartResponse;
import io.parigot.control.v1.ServiceStatus;
import io.parigot.control.v1.StartRequest;
import io.parigot.control.v1.StartResponse;
import io.parigot.control.v1.StartedService;
import io.parigot.control.v1.StatusRequest;
import io.parigot.control.v1.StatusResponse;
import io.parigot.control.v1.StopRequest;
import io.parigot.control.v1.StopResponse;
import io.parigot.control.v1.StoppedService;
import io.parigot.orchestrator.supervise.Supervisor;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.nio.channels.ServerSocketChannel;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Function;

/**
 * The orchestrator's control plane on loopback: the registry for the service JVMs it started
 * ({@link RegistryServer}; each call carries that child's token), and the Control service for
 * the CLI, a gRPC server (each call carries the deployment's bearer token, kept in an owner-only
 * file).
 */
public final class ControlPlaneServer implements AutoCloseable {
  /**
   * gRPC's header key, in a class of its own: io.grpc.Metadata's static logger sets up
   * java.util.logging (a scan of every jar for a LoggerFinder), which is then done by the
   * server's thread once the deployment is ready, not by the main thread on its way to the
   * first service.
   */
  static final class Keys {
    static final Metadata.Key<String> TOKEN_KEY =
        Metadata.Key.of("parigot-token", Metadata.ASCII_STRING_MARSHALLER);

    private Keys() {}
  }

  /** Connections the kernel holds for the CLI's server until it takes them. */
  private static final int BACKLOG = 64;
  /**
   * How long the CLI's server waits for the deployment to be ready before it starts all the
   * same. It costs a starting JVM about a tenth of a second of CPU, which the services starting
   * on the same cores would wait for; the kernel holds the CLI's connections meanwhile.
   */
  private static final long CONTROL_START_LIMIT_MILLIS = 1000;

  private final ServerSocketChannel socket;
  private final int port;
  private final String cliToken;
  private final RegistryServer registry;
  private final CompletableFuture<Supervisor> supervisor;
  private final CompletableFuture<Void> deploymentReady = new CompletableFuture<>();
  private final CompletableFuture<Void> started = new CompletableFuture<>();
  private volatile boolean closing;
  private volatile Runnable down = () -> { };
  private volatile Server server;
  private volatile EventLoopGroup boss;
  private volatile EventLoopGroup workers;

  private ControlPlaneServer(ServerSocketChannel socket, String cliToken,
      CompletableFuture<Supervisor> supervisor, RegistryServer registry) throws IOException {
    this.socket = socket;
    this.port = ((InetSocketAddress) socket.getLocalAddress()).getPort();
    this.cliToken = cliToken;
    this.supervisor = supervisor;
    this.registry = registry;
  }

  /**
   * Opens the control plane's sockets on free loopback ports, at once: the registry serves from
   * now on (its calls wait for {@link #serve}), so services can be started with its address.
   * The CLI's gRPC server starts on a thread of its own once the deployment is ready ({@link
   * #deploymentReady}) or a second has passed ({@link #started} says when it serves); the kernel
   * holds the CLI's connections until then.
   */
  public static ControlPlaneServer open() throws IOException {
    CompletableFuture<Supervisor> supervisor = new CompletableFuture<>();
    RegistryServer registry = RegistryServer.open(supervisor);
    ServerSocketChannel socket = ServerSocketChannel.open();
    try {
      socket.bind(new InetSocketAddress("127.0.0.1", 0), BACKLOG);
      ControlPlaneServer plane = new ControlPlaneServer(socket, Secrets.token(), supervisor,
          registry);
      Thread thread = new Thread(plane::start, "parigot-control-start");
      thread.setDaemon(true);
      thread.start();
      return plane;
    } catch (IOException | RuntimeException e) {
      socket.close();
      registry.close();
      throw e;
    }
  }

  /** The deployment is ready: the CLI's server may start now. */
  public void deploymentReady() {
    deploymentReady.complete(null);
  }

  private void start() {
    try {
      deploymentReady.get(CONTROL_START_LIMIT_MILLIS, TimeUnit.MILLISECONDS);
    } catch (TimeoutException e) {
      // a slow start: the CLI is served all the same
    } catch (InterruptedException | java.util.concurrent.ExecutionException e) {
      // start now
    }
    ServerInterceptor cliOnly = new ServerInterceptor() {
      @Override
      public <Q, R> ServerCall.Listener<Q> interceptCall(ServerCall<Q, R> call, Metadata headers,
          ServerCallHandler<Q, R> next) {
        String given = headers.get(Keys.TOKEN_KEY);
        if (given == null || !MessageDigest.isEqual(given.getBytes(StandardCharsets.UTF_8),
            cliToken.getBytes(StandardCharsets.UTF_8))) {
          call.close(Status.PERMISSION_DENIED.withDescription("refused: the control plane needs "
              + "the token in the deployment's state directory"), new Metadata());
          return new ServerCall.Listener<>() { };
        }
        return next.startCall(call, headers);
      }
    };
    synchronized (this) {
      if (closing) {
        return; // closed before it served: nothing to start, nobody waits for it
      }
      try {
        // NIO, not epoll: netty can serve a socket that is open already only through NIO, and
        // it spares this JVM epoll's native library
        boss = new NioEventLoopGroup(1);
        workers = new NioEventLoopGroup(2);
        // every handler only hands its call to the supervisor's thread and answers from there:
        // no call blocks, so none needs a thread of a pool of its own
        server = NettyServerBuilder.forAddress(new InetSocketAddress("127.0.0.1", port))
            .channelFactory(() -> new OpenServerChannel(socket))
            .bossEventLoopGroup(boss)
            .workerEventLoopGroup(workers)
            .directExecutor()
            .addService(ServerInterceptors.intercept(new Control(supervisor, () -> down.run()),
                cliOnly))
            .build()
            .start();
        started.complete(null);
      } catch (IOException | RuntimeException e) {
        started.completeExceptionally(e);
      }
    }
  }

  /** A netty server channel on a socket that is bound already: netty's bind leaves it so. */
  private static final class OpenServerChannel extends NioServerSocketChannel {
    OpenServerChannel(ServerSocketChannel socket) {
      super(socket);
    }

    @Override
    protected void doBind(SocketAddress local) throws Exception {
      if (javaChannel().getLocalAddress() == null) {
        super.doBind(local);
      }
    }
  }

  /** Completes when the gRPC server serves; fails with why it could not start. */
  public CompletableFuture<Void> started() {
    return started;
  }

  /** Where the service JVMs reach the registry: host:port. */
  public String registryAddress() {
    return "127.0.0.1:" + registry.port();
  }

  /** The port of the registry (kept in the state directory, for tests and tools). */
  public int registryPort() {
    return registry.port();
  }

  /** The port of the CLI's gRPC server. */
  public int port() {
    return port;
  }

  /** The bearer token the CLI's calls carry (kept in the deployment's state directory). */
  public String cliToken() {
    return cliToken;
  }

  /** Connects the server to the deployment it serves, and to what {@code parigot down} does. */
  public void serve(Supervisor supervisor, Runnable down) {
    this.down = down;
    this.supervisor.complete(supervisor);
  }

  /** Stops serving; a CLI server that has not started yet never will. */
  @Override
  public void close() {
    registry.close();
    synchronized (this) {
      closing = true;
    }
    if (server != null) {
      server.shutdownNow();
    }
    for (EventLoopGroup group : new EventLoopGroup[] {boss, workers}) {
      if (group != null) {
        group.shutdownGracefully(0, 1, TimeUnit.SECONDS);
      }
    }
    try {
      socket.close();
    } catch (IOException e) {
      // closed with the server already
    }
  }

  private static <T, R> void answer(CompletableFuture<T> result, Function<T, R> convert,
      StreamObserver<R> observer) {
    result.whenComplete((value, failure) -> {
      if (failure != null) {
        Throwable cause = failure instanceof CompletionException ? failure.getCause() : failure;
        observer.onError(Status.fromThrowable(cause).asRuntimeException());
      } else {
        observer.onNext(convert.apply(value));
        observer.onCompleted();
      }
    });
  }

  private static final class Control extends ControlGrpc.ControlImplBase {
    private final CompletableFuture<Supervisor> supervisor;
    private final Runnable down;

    Control(CompletableFuture<Supervisor> supervisor, Runnable down) {
      this.supervisor = supervisor;
      this.down = down;
    }

    @Override
    public void status(StatusRequest request, StreamObserver<StatusResponse> observer) {
      answer(supervisor.thenCompose(Supervisor::status), list -> {
        StatusResponse.Builder response = StatusResponse.newBuilder()
            .setDeployment(supervisor.join().deploymentName())
            .setOrchestratorPid(ProcessHandle.current().pid())
            .addAllLeftOut(supervisor.join().leftOut());
        for (var s : list) {
          ServiceStatus.Builder status = ServiceStatus.newBuilder()
              .setName(s.name())
              .setState(s.state().toString())
              .setPid(s.pid())
              .setStartedAtMillis(s.startedAtMillis())
              .setRestarts(s.restarts())
              .setBudgetKills(s.budgetKills())
              .setOverruns(s.overruns())
              .setProgram(s.program())
              .setExitCode(s.exitCode())
              .addAllExports(s.exports());
          if (!s.endpoint().isEmpty()) {
            int colon = s.endpoint().lastIndexOf(':');
            status.setEndpoint(Endpoint.newBuilder().setHost(s.endpoint().substring(0, colon))
                .setPort(Integer.parseInt(s.endpoint().substring(colon + 1))));
          }
          response.addServices(status);
        }
        return response.build();
      }, observer);
    }

    @Override
    public void kill(KillRequest request, StreamObserver<KillResponse> observer) {
      String signal = request.getSignal().isEmpty() ? "KILL" : request.getSignal();
      answer(supervisor.thenCompose(s -> s.kill(request.getName(), signal)),
          program -> KillResponse.newBuilder().setProgram(program).build(),
          observer);
    }

    @Override
    public void restart(RestartRequest request, StreamObserver<RestartResponse> observer) {
      answer(supervisor.thenCompose(s -> s.restart(request.getName())),
          restarted -> RestartResponse.newBuilder().setStoppedPid(restarted.stoppedPid())
              .setReadyWithinMillis(restarted.readyWithin().toMillis()).build(),
          observer);
    }

    @Override
    public void stop(StopRequest request, StreamObserver<StopResponse> observer) {
      answer(supervisor.thenCompose(s -> s.stopServices(request.getNamesList())),
          list -> StopResponse.newBuilder().addAllServices(list.stream()
              .map(stopped -> StoppedService.newBuilder().setName(stopped.name())
                  .setStoppedPid(stopped.stoppedPid())
                  .setExitWithinMillis(stopped.exitWithin().toMillis())
                  .setState(stopped.state().toString()).setExitCode(stopped.exitCode()).build())
              .toList()).build(),
          observer);
    }

    @Override
    public void start(StartRequest request, StreamObserver<StartResponse> observer) {
      answer(supervisor.thenCompose(s -> s.startServices(request.getNamesList())),
          list -> StartResponse.newBuilder().addAllServices(list.stream()
              .map(started -> StartedService.newBuilder().setName(started.name())
                  .setWasRunning(started.wasRunning()).setPid(started.pid())
                  .setReadyWithinMillis(started.readyWithin().toMillis()).build())
              .toList()).build(),
          observer);
    }

    @Override
    public void down(DownRequest request, StreamObserver<DownResponse> observer) {
      down.run();
      observer.onNext(DownResponse.getDefaultInstance());
      observer.onCompleted();
    }
  }
}
