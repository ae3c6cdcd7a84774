package io.parigot.orchestrator.control;

import io.grpc.Contexts;
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
import io.parigot.control.v1.AwaitRequirementsRequest;
import io.parigot.control.v1.AwaitRequirementsResponse;
import io.parigot.control.v1.BudgetReport;
import io.parigot.control.v1.BudgetReportResponse;
import io.parigot.control.v1.ControlGrpc;
import io.parigot.control.v1.DownRequest;
import io.parigot.control.v1.DownResponse;
import io.parigot.control.v1.Endpoint;
import io.parigot.control.v1.ExitRequest;
import io.parigot.control.v1.ExitResponse;
import io.parigot.control.v1.KillRequest;
import io.parigot.control.v1.KillResponse;
import io.parigot.control.v1.LocateRequest;
import io.parigot.control.v1.LocateResponse;
import io.parigot.control.v1.ReadyRequest;
import io.parigot.control.v1.ReadyResponse;
import io.parigot.control.v1.RegisterRequest;
import io.parigot.control.v1.RegisterResponse;
import io.parigot.control.v1.RegistryGrpc;
import io.parigot.control.v1.ServiceStatus;
import io.parigot.control.v1.StatusRequest;
import io.parigot.control.v1.StatusResponse;
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
import java.util.function.Function;

/**
 * The orchestrator's gRPC server on loopback: the Registry for the service JVMs it started (each
 * call carries that child's token) and the Control service for the CLI (each call carries the
 * deployment's bearer token, kept in an owner-only file).
 */
public final class ControlPlaneServer implements AutoCloseable {
  static final Metadata.Key<String> TOKEN_KEY =
      Metadata.Key.of("parigot-token", Metadata.ASCII_STRING_MARSHALLER);
  static final io.grpc.Context.Key<String> TOKEN = io.grpc.Context.key("parigot-token");

  /** Connections the kernel holds for the server until it takes them: services and the CLI. */
  private static final int BACKLOG = 256;

  private final ServerSocketChannel socket;
  private final int port;
  private final String cliToken;
  private final CompletableFuture<Supervisor> supervisor = new CompletableFuture<>();
  private final CompletableFuture<Void> started = new CompletableFuture<>();
  private volatile Runnable down = () -> { };
  private volatile Server server;
  private volatile EventLoopGroup boss;
  private volatile EventLoopGroup workers;

  private ControlPlaneServer(ServerSocketChannel socket, String cliToken) throws IOException {
    this.socket = socket;
    this.port = ((InetSocketAddress) socket.getLocalAddress()).getPort();
    this.cliToken = cliToken;
  }

  /**
   * Opens the control plane's socket on a free loopback port, at once, and starts its gRPC
   * server on a thread of its own ({@link #started} says when it serves). On a cold JVM the
   * server takes about a tenth of a second to start; meanwhile services can be started with the
   * address, and the kernel holds their connections until the server takes them. Calls that come
   * before {@link #serve} wait for it.
   */
  public static ControlPlaneServer open() throws IOException {
    ServerSocketChannel socket = ServerSocketChannel.open();
    try {
      socket.bind(new InetSocketAddress("127.0.0.1", 0), BACKLOG);
      ControlPlaneServer plane = new ControlPlaneServer(socket, Secrets.token());
      Thread thread = new Thread(plane::start, "parigot-control-start");
      thread.setDaemon(true);
      thread.start();
      return plane;
    } catch (IOException | RuntimeException e) {
      socket.close();
      throw e;
    }
  }

  private void start() {
    ServerInterceptor carryToken = new ServerInterceptor() {
      @Override
      public <Q, R> ServerCall.Listener<Q> interceptCall(ServerCall<Q, R> call, Metadata headers,
          ServerCallHandler<Q, R> next) {
        io.grpc.Context context = io.grpc.Context.current().withValue(TOKEN, headers.get(TOKEN_KEY));
        return Contexts.interceptCall(context, call, headers, next);
      }
    };
    ServerInterceptor cliOnly = new ServerInterceptor() {
      @Override
      public <Q, R> ServerCall.Listener<Q> interceptCall(ServerCall<Q, R> call, Metadata headers,
          ServerCallHandler<Q, R> next) {
        String given = headers.get(TOKEN_KEY);
        if (given == null || !MessageDigest.isEqual(given.getBytes(StandardCharsets.UTF_8),
            cliToken.getBytes(StandardCharsets.UTF_8))) {
          call.close(Status.PERMISSION_DENIED.withDescription("refused: the control plane needs "
              + "the token in the deployment's state directory"), new Metadata());
          return new ServerCall.Listener<>() { };
        }
        return next.startCall(call, headers);
      }
    };
    try {
      // NIO, not epoll: netty can serve a socket that is open already only through NIO, and it
      // spares this JVM epoll's native library
      boss = new NioEventLoopGroup(1);
      workers = new NioEventLoopGroup(2);
      // every handler only hands its call to the supervisor's thread and answers from there: no
      // call blocks, so none needs a thread of a pool of its own
      server = NettyServerBuilder.forAddress(new InetSocketAddress("127.0.0.1", port))
          .channelFactory(() -> new OpenServerChannel(socket))
          .bossEventLoopGroup(boss)
          .workerEventLoopGroup(workers)
          .directExecutor()
          .addService(ServerInterceptors.intercept(new Registry(supervisor), carryToken))
          .addService(ServerInterceptors.intercept(new Control(supervisor, () -> down.run()),
              cliOnly))
          .build()
          .start();
      started.complete(null);
    } catch (IOException | RuntimeException e) {
      started.completeExceptionally(e);
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

  /** Where children and the CLI reach it: host:port. */
  public String address() {
    return "127.0.0.1:" + port;
  }

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

  /** Stops serving; waits for the server to have started first, so that nothing is left. */
  @Override
  public void close() {
    try {
      started.join();
    } catch (RuntimeException e) {
      // it never served: only the socket is left
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

  private static final class Registry extends RegistryGrpc.RegistryImplBase {
    private final CompletableFuture<Supervisor> supervisor;

    Registry(CompletableFuture<Supervisor> supervisor) {
      this.supervisor = supervisor;
    }

    @Override
    public void register(RegisterRequest request, StreamObserver<RegisterResponse> observer) {
      String token = TOKEN.get();
      answer(supervisor.thenCompose(s -> s.register(token, request)), r -> r, observer);
    }

    @Override
    public void awaitRequirements(AwaitRequirementsRequest request,
        StreamObserver<AwaitRequirementsResponse> observer) {
      String token = TOKEN.get();
      supervisor.thenAccept(s -> s.awaitRequirements(token, resolution -> {
        if (resolution.succeeded()) {
          observer.onNext(AwaitRequirementsResponse.newBuilder()
              .addAllLocations(resolution.locations()).build());
          observer.onCompleted();
        } else {
          observer.onError(Status.FAILED_PRECONDITION
              .withDescription(resolution.reason() + ": " + resolution.message())
              .asRuntimeException());
        }
      }, refused -> observer.onError(refused)));
    }

    @Override
    public void ready(ReadyRequest request, StreamObserver<ReadyResponse> observer) {
      String token = TOKEN.get();
      answer(supervisor.thenCompose(s -> s.ready(token)), r -> ReadyResponse.getDefaultInstance(),
          observer);
    }

    @Override
    public void locate(LocateRequest request, StreamObserver<LocateResponse> observer) {
      String token = TOKEN.get();
      answer(supervisor.thenCompose(s -> s.locate(token, request.getInterfaceName())), found -> {
        if (found.isEmpty()) {
          throw Status.NOT_FOUND.withDescription(request.getInterfaceName()
              + " is not exported by a ready service").asRuntimeException();
        }
        return LocateResponse.newBuilder().setLocation(found.get()).build();
      }, observer);
    }

    @Override
    public void reportBudget(BudgetReport request, StreamObserver<BudgetReportResponse> observer) {
      String token = TOKEN.get();
      answer(supervisor.thenCompose(s -> s.budgetReport(token, request)),
          r -> BudgetReportResponse.getDefaultInstance(), observer);
    }

    @Override
    public void exit(ExitRequest request, StreamObserver<ExitResponse> observer) {
      String token = TOKEN.get();
      answer(supervisor.thenCompose(s -> s.exiting(token, request.getCode(), request.getReason())),
          r -> ExitResponse.getDefaultInstance(), observer);
    }
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
            .setOrchestratorPid(ProcessHandle.current().pid());
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
          r -> KillResponse.getDefaultInstance(),
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
