package io.parigot.control;

import io.grpc.Status;
import io.parigot.control.v1.RegistryAnswer;
import io.parigot.control.v1.RegistryCall;
import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A service JVM's connection to the orchestrator's registry: {@link RegistryCall}s out and
 * {@link RegistryAnswer}s in, on one TCP connection, each message prefixed by its length (the
 * wire control.proto describes). Calls may be made from any thread; their futures complete on
 * the connection's reader thread, and fail with a {@link io.grpc.StatusRuntimeException} whose
 * status is the registry's refusal, or UNAVAILABLE once the connection is gone.
 */
public final class RegistryConnection implements AutoCloseable {
  private final Socket socket;
  private final OutputStream out;
  private final String token;
  private final AtomicLong ids = new AtomicLong();
  private final Map<Long, CompletableFuture<RegistryAnswer>> pending = new ConcurrentHashMap<>();
  private volatile boolean closed;

  private RegistryConnection(Socket socket, String token) throws IOException {
    this.socket = socket;
    this.token = token;
    this.out = new BufferedOutputStream(socket.getOutputStream());
  }

  /**
   * Connects to the registry at {@code address} ({@code HOST:PORT}, as in {@code
   * PARIGOT_CONTROL}); every call made on the connection carries {@code token}.
   */
  public static RegistryConnection open(String address, String token) throws IOException {
    int colon = address.lastIndexOf(':');
    int port;
    try {
      port = colon < 0 ? -1 : Integer.parseInt(address.substring(colon + 1));
    } catch (NumberFormatException e) {
      port = -1;
    }
    if (port < 0 || port > 65535) {
      throw new IllegalArgumentException(ChildContract.CONTROL_ENV + " must be HOST:PORT, not '"
          + address + "'");
    }
    Socket socket = new Socket();
    try {
      // No TCP_NODELAY: setting a socket option loads the JDK's extended socket options and
      // their native library, milliseconds of a starting JVM. A starting JVM waits for each
      // answer before its next call, so Nagle holds none of them; a later call sent while one is
      // unanswered (a budget overrun's report) waits at most for that answer, which acknowledges it.
      socket.connect(new InetSocketAddress(address.substring(0, colon), port), 10_000);
      RegistryConnection connection = new RegistryConnection(socket, token == null ? "" : token);
      Thread reader = new Thread(connection::readAnswers, "parigot-registry");
      reader.setDaemon(true);
      reader.start();
      return connection;
    } catch (IOException | RuntimeException e) {
      socket.close();
      throw e;
    }
  }

  /**
   * Sends {@code call} (its id and token are set here); the future completes with the answer, or
   * fails with the refusal.
   */
  public CompletableFuture<RegistryAnswer> call(RegistryCall.Builder call) {
    long id = ids.incrementAndGet();
    CompletableFuture<RegistryAnswer> answer = new CompletableFuture<>();
    pending.put(id, answer);
    RegistryCall message = call.setId(id).setToken(token).build();
    try {
      synchronized (out) {
        message.writeDelimitedTo(out);
        out.flush();
      }
    } catch (IOException e) {
      fail(id, "the registry connection is broken: " + e.getMessage());
    }
    if (closed) {
      fail(id, "the registry connection is closed");
    }
    return answer;
  }

  private void readAnswers() {
    String why = "the orchestrator closed the registry connection";
    try (InputStream in = new BufferedInputStream(socket.getInputStream())) {
      RegistryAnswer answer;
      while ((answer = RegistryAnswer.parseDelimitedFrom(in)) != null) {
        CompletableFuture<RegistryAnswer> waiting = pending.remove(answer.getId());
        if (waiting == null) {
          continue; // an answer to nobody: the registry's mistake, not this JVM's
        }
        if (answer.hasRefusal()) {
          waiting.completeExceptionally(Status.fromCodeValue(answer.getRefusal().getCode())
              .withDescription(answer.getRefusal().getDescription()).asRuntimeException());
        } else {
          waiting.complete(answer);
        }
      }
    } catch (IOException e) {
      why = closed ? "the registry connection is closed"
          : "the registry connection is broken: " + e.getMessage();
    }
    closed = true;
    for (Long id : pending.keySet()) {
      fail(id, why);
    }
  }

  private void fail(long id, String why) {
    CompletableFuture<RegistryAnswer> waiting = pending.remove(id);
    if (waiting != null) {
      waiting.completeExceptionally(Status.UNAVAILABLE.withDescription(why).asRuntimeException());
    }
  }

  /** Closes the connection; calls still waiting fail with UNAVAILABLE. */
  @Override
  public void close() {
    closed = true;
    try {
      socket.close();
    } catch (IOException e) {
      // closing what is closed already
    }
  }
}
