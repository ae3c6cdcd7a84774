package io.parigot.sdk;

import static io.parigot.control.ChildContract.BUDGET_ENV;
import static io.parigot.control.ChildContract.CONTROL_ENV;
import static io.parigot.control.ChildContract.HOST_ENV;
import static io.parigot.control.ChildContract.PORT_ENV;
import static io.parigot.control.ChildContract.SERVICE_ENV;
import static io.parigot.control.ChildContract.TOKEN_ENV;
import static io.parigot.control.ChildContract.WEDGED_PREFIX;

import io.grpc.Channel;
import io.grpc.ManagedChannel;
import io.grpc.Server;
import io.grpc.ServerServiceDefinition;
import io.grpc.Status;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import io.grpc.netty.shaded.io.grpc.netty.NettyServerBuilder;
import io.parigot.control.RegistryConnection;
import io.parigot.control.v1.AwaitRequirementsRequest;
import io.parigot.control.v1.BudgetReport;
import io.parigot.control.v1.Endpoint;
import io.parigot.control.v1.ExitRequest;
import io.parigot.control.v1.Location;
import io.parigot.control.v1.ReadyRequest;
import io.parigot.control.v1.RegisterRequest;
import io.parigot.control.v1.RegistryAnswer;
import io.parigot.control.v1.RegistryCall;
import java.io.FileDescriptor;
import java.io.FileInputStream;
import java.io.FileOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/**
 * A service JVM started by {@code parigot up}: talks to the orchestrator's registry over the
 * control plane's connection ({@link RegistryConnection}).
 */
final class ControlPlaneBackend implements Backend {
  private final String serviceName;
  private final String advertisedHost;
  private final RegistryConnection registry;
  private final Map<String, ManagedChannel> channels = new ConcurrentHashMap<>();
  private final NettyLoops loops = new NettyLoops();
  private final FileChannel stdin = new FileInputStream(FileDescriptor.in).getChannel();
  private Server server;

  private ControlPlaneBackend(String serviceName, String control, String token, String host) {
    this.serviceName = serviceName;
    this.advertisedHost = host;
    // connected now, before the service starts its own server, rather than on Register
    try {
      registry = RegistryConnection.open(control, token);
    } catch (IOException e) {
      throw new UncheckedIOException("parigot: cannot reach the orchestrator's registry at "
          + control + ": " + e.getMessage(), e);
    }
    // a budget report is sent when every millisecond counts: its classes are loaded now
    RegistryCall.newBuilder().setReportBudget(
        BudgetReport.newBuilder().setKind(BudgetReport.Kind.WEDGED)).build().toByteArray();
  }

  /** The backend for this JVM when {@code parigot up} started it, else null. */
  static ControlPlaneBackend fromEnvironment() {
    String control = System.getenv(CONTROL_ENV);
    String token = System.getenv(TOKEN_ENV);
    if (control == null || token == null) {
      return null;
    }
    String host = System.getenv().getOrDefault(HOST_ENV, "127.0.0.1");
    ControlPlaneBackend backend =
        new ControlPlaneBackend(System.getenv(SERVICE_ENV), control, token, host);
    backend.watchParent();
    return backend;
  }

  /**
   * The orchestrator holds the write end of this JVM's stdin; when it dies, for whatever reason,
   * stdin ends, and so does this JVM: no service outlives its orchestrator. Read through a
   * channel, which {@link #shutdown()} closes to wake the reader: a JVM's exit waits 300 ms for
   * a thread blocked in a read of {@code System.in}. From then on, while the JVM ends (its
   * shutdown hooks may take a while), the watcher polls the orchestrator's process instead, in
   * Java, which the JVM's exit does not wait for.
   */
  private void watchParent() {
    Thread watcher = new Thread(() -> {
      long orchestrator = Pids.parent();
      try {
        ByteBuffer buffer = ByteBuffer.allocate(256);
        while (stdin.read(buffer) >= 0) {
          // nothing is sent on stdin; it only tells that the orchestrator is alive
          buffer.clear();
        }
      } catch (ClosedChannelException e) {
        // closed by shutdown() (or by an interrupt): this JVM is exiting
        waitForTheEndOf(orchestrator);
      } catch (IOException e) {
        // a broken stdin means the same as its end
      }
      System.err.println("parigot: the orchestrator is gone; exiting");
      dieNow();
    }, "parigot-parent-watch");
    watcher.setDaemon(true);
    watcher.start();
  }

  /** How often an exiting JVM looks whether its orchestrator is still there. */
  private static final long PARENT_POLL_MILLIS = 100;

  /**
   * Returns once this JVM's parent, the orchestrator, has died: the JVM is then a child of
   * another process at once, while the dead orchestrator may stay a zombie for a while.
   */
  private static void waitForTheEndOf(long orchestrator) {
    try {
      while (Pids.parent() == orchestrator) {
        Thread.sleep(PARENT_POLL_MILLIS);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt(); // and end it all the same
    }
  }

  /**
   * Ends this JVM at once. Not {@code halt}: with a class-data archive being recorded, the JVM
   * would first spend seconds writing it, and an orphan must be gone within two.
   */
  private static void dieNow() {
    try {
      new ProcessBuilder("kill", "-KILL", Long.toString(ProcessHandle.current().pid()))
          .redirectErrorStream(true).start().waitFor(1, TimeUnit.SECONDS);
    } catch (IOException e) {
      // no kill command: halt below
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    Runtime.getRuntime().halt(1);
  }

  @Override
  public String serviceName(String fallback) {
    return serviceName == null || serviceName.isEmpty() ? fallback : serviceName;
  }

  @Override
  public Endpoint serve(List<ServerServiceDefinition> services) throws IOException {
    if (services.isEmpty()) {
      return null;
    }
    NettyServerBuilder builder = loops.onLoops(NettyServerBuilder
        .forAddress(new InetSocketAddress(bindHost(), port())))
        .directExecutor();
    services.forEach(builder::addService);
    server = builder.build().start();
    int port = ((InetSocketAddress) server.getListenSockets().get(0)).getPort();
    return Endpoint.newBuilder().setHost(advertisedHost).setPort(port).build();
  }

  private static int port() {
    String port = System.getenv(PORT_ENV);
    return port == null || port.isEmpty() ? 0 : Integer.parseInt(port);
  }

  private String bindHost() {
    return "127.0.0.1".equals(advertisedHost) || "localhost".equals(advertisedHost)
        ? advertisedHost : "0.0.0.0";
  }

  @Override
  public CompletableFuture<Void> register(List<String> exports, List<String> requires,
      Endpoint endpoint) {
    RegisterRequest.Builder request = RegisterRequest.newBuilder()
        .addAllExports(exports)
        .addAllRequires(requires)
        .setPid(Pids.self());
    if (endpoint != null) {
      request.setEndpoint(endpoint);
    }
    return registry.call(RegistryCall.newBuilder().setRegister(request)).thenApply(r -> null);
  }

  @Override
  public CompletableFuture<List<Location>> awaitRequirements() {
    return registry.call(RegistryCall.newBuilder()
            .setAwaitRequirements(AwaitRequirementsRequest.getDefaultInstance()))
        .thenApply(r -> r.getAwaitRequirements().getLocationsList());
  }

  @Override
  public CompletableFuture<Void> ready() {
    CompletableFuture<Void> ready = registry.call(RegistryCall.newBuilder()
        .setReady(ReadyRequest.getDefaultInstance())).thenApply(r -> null);
    // A wedge must be reported in a few milliseconds, and a freshly (re)started JVM would
    // spend them loading the classes of its report: build one once, off the loop, and drop it.
    ready.thenRun(() -> wedgedLine(wedgeReport(BudgetReport.Kind.WEDGED, new BudgetWatchdog.Wedge(
        "warm-up", "parigot.Warm/Up", BudgetWatchdog.DEFAULT_BUDGET,
        BudgetWatchdog.DEFAULT_BUDGET.dividedBy(2), Duration.ZERO,
        new Throwable().getStackTrace(), Instant.now()))));
    return ready;
  }

  @Override
  public Channel channelTo(Location location) {
    Endpoint at = location.getEndpoint();
    return channels.computeIfAbsent(at.getHost() + ":" + at.getPort(), key -> {
      ManagedChannel channel = loops.onLoops(
              NettyChannelBuilder.forAddress(at.getHost(), at.getPort()))
          .usePlaintext()
          .directExecutor()
          .build();
      // connect now, not on the first call: a call's budget is not the place for a handshake
      channel.getState(true);
      return channel;
    });
  }

  @Override
  public void exit(int code, String reason) {
    CompletableFuture<RegistryAnswer> told = registry.call(RegistryCall.newBuilder()
        .setExit(ExitRequest.newBuilder().setCode(code).setReason(reason == null ? "" : reason)));
    try {
      told.get(2, TimeUnit.SECONDS);
    } catch (Exception e) {
      // the orchestrator also sees the process end; this call only adds the reason
    }
  }

  @Override
  public void shutdown() {
    if (server != null) {
      server.shutdownNow();
    }
    channels.values().forEach(ManagedChannel::shutdownNow);
    registry.close();
    // grpc-java hands its last work to the loops as it terminates: they end after it
    long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(TERMINATION_MILLIS);
    try {
      if (server != null) {
        server.awaitTermination(remaining(deadline), TimeUnit.NANOSECONDS);
      }
      for (ManagedChannel channel : channels.values()) {
        channel.awaitTermination(remaining(deadline), TimeUnit.NANOSECONDS);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    loops.close();
    try {
      stdin.close(); // its reader ends quietly
    } catch (IOException e) {
      // the JVM is exiting all the same
    }
  }

  /** How long {@link #shutdown()} waits for the server and channels to terminate. */
  private static final long TERMINATION_MILLIS = 300;

  private static long remaining(long deadline) {
    return Math.max(0, deadline - System.nanoTime());
  }

  @Override
  public boolean ownsProcess() {
    return true;
  }

  @Override
  public Duration budget() {
    String millis = System.getenv(BUDGET_ENV);
    return millis == null || millis.isEmpty() ? BudgetWatchdog.DEFAULT_BUDGET
        : Duration.ofMillis(Long.parseLong(millis));
  }

  @Override
  public void budgetOverrun(String method, Duration budget) {
    // counted by the orchestrator for parigot ps; nothing waits for the answer
    registry.call(RegistryCall.newBuilder().setReportBudget(BudgetReport.newBuilder()
        .setKind(BudgetReport.Kind.OVERRUN)
        .setMethod(method)
        .setBudgetMillis(budget.toMillis())));
  }

  /**
   * Says on stderr, in one write the orchestrator reads at once, that the loop is wedged, with
   * the report (method, budget, stack); the orchestrator kills this JVM and logs it. Should it
   * not within a second (it is gone, or the line was lost), the JVM ends itself.
   */
  @Override
  public void budgetWedged(BudgetWatchdog.Wedge wedge) {
    try {
      // straight to fd 2, not through System.err, whose lock the wedged loop may hold
      WEDGE_OUT.write(wedgedLine(wedgeReport(BudgetReport.Kind.WEDGED, wedge)));
      WEDGE_OUT.flush();
    } catch (IOException e) {
      // the orchestrator is gone; end below
    }
    try {
      Thread.sleep(1000);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    System.err.println(wedge.describe());
    System.err.println("parigot: the orchestrator did not end this wedged service; exiting");
    dieNow();
  }

  private static final FileOutputStream WEDGE_OUT = new FileOutputStream(FileDescriptor.err);

  /** The line that tells the orchestrator (who reads it also after other output on its line). */
  private static byte[] wedgedLine(BudgetReport report) {
    return (WEDGED_PREFIX + System.getenv(TOKEN_ENV) + " "
        + Base64.getEncoder().encodeToString(report.toByteArray()) + "\n")
        .getBytes(StandardCharsets.US_ASCII);
  }

  /** Frames of a wedged loop's stack that are reported: the line must stay one pipe write. */
  private static final int STACK_FRAMES = 24;

  private static BudgetReport wedgeReport(BudgetReport.Kind kind, BudgetWatchdog.Wedge wedge) {
    Instant deadline = wedge.deadline();
    return BudgetReport.newBuilder()
        .setKind(kind)
        .setMethod(wedge.method())
        .setBudgetMillis(wedge.budget().toMillis())
        .setMethodBudgetMillis(wedge.methodBudget().equals(wedge.budget()) ? 0
            : wedge.methodBudget().toMillis())
        .setRunningMicros(wedge.ran().toNanos() / 1000)
        .setStack(wedge.stackText(STACK_FRAMES))
        .setDeadlineEpochMicros(deadline.getEpochSecond() * 1_000_000 + deadline.getNano() / 1000)
        .build();
  }

  /** The reason text of a control-plane refusal. */
  static String describe(Throwable failure) {
    Status status = Status.fromThrowable(failure);
    return status.getDescription() != null ? status.getDescription() : status.toString();
  }
}
