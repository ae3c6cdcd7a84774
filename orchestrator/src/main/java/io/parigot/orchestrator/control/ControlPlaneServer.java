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
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
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

  private final Server server;
  private volatile Supervisor supervisor;
  private volatile Runnable down = () -> { };

  private ControlPlaneServer(Server server) {
    this.server = server;
  }

  /** Starts serving on a free loopback port; {@code cliToken} guards the Control service. */
  public static ControlPlaneServer start(String cliToken) throws IOException {
    ControlPlaneServer[] self = new ControlPlaneServer[1];
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
    Registry registry = new Registry(() -> self[0].supervisor);
    Control control = new Control(() -> self[0].supervisor, () -> self[0].down.run());
    // every handler only hands its call to the supervisor's thread and answers from there: no
    // call blocks, so none needs a thread of a pool of its own
    Server server = NettyServerBuilder.forAddress(new InetSocketAddress("127.0.0.1", 0))
        .directExecutor()
        .addService(ServerInterceptors.intercept(registry, carryToken))
        .addService(ServerInterceptors.intercept(control, cliOnly))
        .build()
        .start();
    self[0] = new ControlPlaneServer(server);
    return self[0];
  }

  /** Where children and the CLI reach it: host:port. */
  public String address() {
    return "127.0.0.1:" + port();
  }

  public int port() {
    return ((InetSocketAddress) server.getListenSockets().get(0)).getPort();
  }

  /** Connects the server to the deployment it serves, and to what {@code parigot down} does. */
  public void serve(Supervisor supervisor, Runnable down) {
    this.supervisor = supervisor;
    this.down = down;
  }

  @Override
  public void close() {
    server.shutdownNow();
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
    private final java.util.function.Supplier<Supervisor> supervisor;

    Registry(java.util.function.Supplier<Supervisor> supervisor) {
      this.supervisor = supervisor;
    }

    @Override
    public void register(RegisterRequest request, StreamObserver<RegisterResponse> observer) {
      answer(supervisor.get().register(TOKEN.get(), request), r -> r, observer);
    }

    @Override
    public void awaitRequirements(AwaitRequirementsRequest request,
        StreamObserver<AwaitRequirementsResponse> observer) {
      supervisor.get().awaitRequirements(TOKEN.get(), resolution -> {
        if (resolution.succeeded()) {
          observer.onNext(AwaitRequirementsResponse.newBuilder()
              .addAllLocations(resolution.locations()).build());
          observer.onCompleted();
        } else {
          observer.onError(Status.FAILED_PRECONDITION
              .withDescription(resolution.reason() + ": " + resolution.message())
              .asRuntimeException());
        }
      }, refused -> observer.onError(refused));
    }

    @Override
    public void ready(ReadyRequest request, StreamObserver<ReadyResponse> observer) {
      answer(supervisor.get().ready(TOKEN.get()), r -> ReadyResponse.getDefaultInstance(), observer);
    }

    @Override
    public void locate(LocateRequest request, StreamObserver<LocateResponse> observer) {
      answer(supervisor.get().locate(TOKEN.get(), request.getInterfaceName()), found -> {
        if (found.isEmpty()) {
          throw Status.NOT_FOUND.withDescription(request.getInterfaceName()
              + " is not exported by a ready service").asRuntimeException();
        }
        return LocateResponse.newBuilder().setLocation(found.get()).build();
      }, observer);
    }

    @Override
    public void reportBudget(BudgetReport request, StreamObserver<BudgetReportResponse> observer) {
      answer(supervisor.get().budgetReport(TOKEN.get(), request),
          r -> BudgetReportResponse.getDefaultInstance(), observer);
    }

    @Override
    public void exit(ExitRequest request, StreamObserver<ExitResponse> observer) {
      answer(supervisor.get().exiting(TOKEN.get(), request.getCode(), request.getReason()),
          r -> ExitResponse.getDefaultInstance(), observer);
    }
  }

  private static final class Control extends ControlGrpc.ControlImplBase {
    private final java.util.function.Supplier<Supervisor> supervisor;
    private final Runnable down;

    Control(java.util.function.Supplier<Supervisor> supervisor, Runnable down) {
      this.supervisor = supervisor;
      this.down = down;
    }

    @Override
    public void status(StatusRequest request, StreamObserver<StatusResponse> observer) {
      answer(supervisor.get().status(), list -> {
        StatusResponse.Builder response = StatusResponse.newBuilder()
            .setDeployment(supervisor.get().deploymentName())
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
      answer(supervisor.get().kill(request.getName(), signal), r -> KillResponse.getDefaultInstance(),
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
