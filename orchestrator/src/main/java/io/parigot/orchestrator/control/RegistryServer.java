package io.parigot.orchestrator.control;

import io.grpc.Status;
import io.parigot.control.v1.AwaitRequirementsResponse;
import io.parigot.control.v1.BudgetReportResponse;
import io.parigot.control.v1.ExitResponse;
import io.parigot.control.v1.LocateResponse;
import io.parigot.control.v1.ReadyResponse;
import io.parigot.control.v1.Refusal;
import io.parigot.control.v1.RegistryAnswer;
import io.parigot.control.v1.RegistryCall;
import io.parigot.orchestrator.supervise.Supervisor;
import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.function.BiConsumer;
import java.util.function.Function;

/**
 * The registry on loopback: what the service JVMs the orchestrator started call (control.proto's
 * RegistryCall and RegistryAnswer, length-delimited, one connection per JVM). Each connection is
 * read by a thread of its own, which only hands the call to the supervisor's thread; the answer
 * is written from wherever the supervisor completes it.
 */
final class RegistryServer implements AutoCloseable {
  /** Connections the kernel holds until they are accepted: every service starting at once. */
  private static final int BACKLOG = 256;

  private final ServerSocket socket;
  private final CompletableFuture<Supervisor> supervisor;

  private RegistryServer(ServerSocket socket, CompletableFuture<Supervisor> supervisor) {
    this.socket = socket;
    this.supervisor = supervisor;
  }

  /** Listens on a free loopback port and accepts at once; calls wait for the supervisor. */
  static RegistryServer open(CompletableFuture<Supervisor> supervisor) throws IOException {
    ServerSocket socket = new ServerSocket(0, BACKLOG, InetAddress.getLoopbackAddress());
    RegistryServer server = new RegistryServer(socket, supervisor);
    Thread acceptor = new Thread(server::accept, "parigot-registry");
    acceptor.setDaemon(true);
    acceptor.start();
    return server;
  }

  int port() {
    return socket.getLocalPort();
  }

  private void accept() {
    // The first call's set-up, now, on a core the deployment does not use yet, rather than when
    // the first service calls, while every core is busy starting services: protobuf's
    // descriptors of control.proto, and the java.util.logging its generated code's version
    // check starts (which looks for a System.LoggerFinder in every jar of the classpath).
    RegistryAnswer.newBuilder().setRegister(io.parigot.control.v1.RegisterResponse
        .getDefaultInstance()).build().toByteArray();
    int connections = 0;
    while (!socket.isClosed()) {
      Socket connection;
      try {
        connection = socket.accept();
        connection.setTcpNoDelay(true);
      } catch (IOException e) {
        return; // closed
      }
      Thread reader = new Thread(() -> serve(connection),
          "parigot-registry-" + ++connections);
      reader.setDaemon(true);
      reader.start();
    }
  }

  private void serve(Socket connection) {
    try (connection; InputStream in = new BufferedInputStream(connection.getInputStream())) {
      OutputStream out = new BufferedOutputStream(connection.getOutputStream());
      RegistryCall call;
      while ((call = RegistryCall.parseDelimitedFrom(in)) != null) {
        long id = call.getId();
        dispatch(call, (answer, failure) -> write(out, id, answer, failure));
      }
    } catch (IOException e) {
      // the JVM is gone, or it sent what is not a registry call: either way, the connection ends
    }
  }

  /** Hands {@code call} to the supervisor; {@code answer} gets its answer or its failure. */
  private void dispatch(RegistryCall call, BiConsumer<RegistryAnswer.Builder, Throwable> answer) {
    String token = call.getToken().isEmpty() ? null : call.getToken();
    RegistryAnswer.Builder reply = RegistryAnswer.newBuilder();
    switch (call.getCallCase()) {
      case REGISTER -> reply(supervisor.thenCompose(s -> s.register(token, call.getRegister())),
          reply::setRegister, answer);
      case AWAIT_REQUIREMENTS -> supervisor.thenAccept(s -> s.awaitRequirements(token,
          resolution -> {
            if (resolution.succeeded()) {
              answer.accept(reply.setAwaitRequirements(AwaitRequirementsResponse.newBuilder()
                  .addAllLocations(resolution.locations())), null);
            } else {
              answer.accept(null, Status.FAILED_PRECONDITION
                  .withDescription(resolution.reason() + ": " + resolution.message())
                  .asRuntimeException());
            }
          }, refused -> answer.accept(null, refused)));
      case READY -> reply(supervisor.thenCompose(s -> s.ready(token)),
          r -> reply.setReady(ReadyResponse.getDefaultInstance()), answer);
      case LOCATE -> {
        String name = call.getLocate().getInterfaceName();
        reply(supervisor.thenCompose(s -> s.locate(token, name)), found -> {
          if (found.isEmpty()) {
            throw Status.NOT_FOUND.withDescription(name + " is not exported by a ready service")
                .asRuntimeException();
          }
          return reply.setLocate(LocateResponse.newBuilder().setLocation(found.get()));
        }, answer);
      }
      case REPORT_BUDGET -> reply(supervisor.thenCompose(s -> s.budgetReport(token,
          call.getReportBudget())),
          r -> reply.setReportBudget(BudgetReportResponse.getDefaultInstance()), answer);
      case EXIT -> reply(supervisor.thenCompose(s -> s.exiting(token, call.getExit().getCode(),
          call.getExit().getReason())),
          r -> reply.setExit(ExitResponse.getDefaultInstance()), answer);
      default -> answer.accept(null, Status.UNIMPLEMENTED
          .withDescription("a registry call this orchestrator does not know: "
              + call.getCallCase()).asRuntimeException());
    }
  }

  /** Once {@code result} completes: the answer {@code build} makes of it, or the failure. */
  private static <T> void reply(CompletableFuture<T> result,
      Function<T, RegistryAnswer.Builder> build,
      BiConsumer<RegistryAnswer.Builder, Throwable> answer) {
    result.whenComplete((value, failure) -> {
      if (failure != null) {
        answer.accept(null, failure);
        return;
      }
      RegistryAnswer.Builder built;
      try {
        built = build.apply(value);
      } catch (RuntimeException refused) {
        answer.accept(null, refused);
        return;
      }
      answer.accept(built, null);
    });
  }

  private static void write(OutputStream out, long id, RegistryAnswer.Builder answer,
      Throwable failure) {
    if (failure != null) {
      Throwable cause = failure instanceof CompletionException && failure.getCause() != null
          ? failure.getCause() : failure;
      Status status = Status.fromThrowable(cause);
      answer = RegistryAnswer.newBuilder().setRefusal(Refusal.newBuilder()
          .setCode(status.getCode().value())
          .setDescription(status.getDescription() != null ? status.getDescription()
              : status.getCode().toString()));
    }
    RegistryAnswer message = answer.setId(id).build();
    try {
      synchronized (out) {
        message.writeDelimitedTo(out);
        out.flush();
      }
    } catch (IOException e) {
      // the JVM is gone; the supervisor hears of its exit from its process
    }
  }

  @Override
  public void close() {
    try {
      socket.close();
    } catch (IOException e) {
      // closed already
    }
  }
}
