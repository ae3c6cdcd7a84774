package io.parigot.sdk;

import com.google.protobuf.Message;
import io.grpc.MethodDescriptor;
import io.grpc.protobuf.ProtoUtils;
import io.parigot.v1.OperationRequest;
import io.parigot.v1.OperationState;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Long work done right: a method starts it here and answers at once with the operation's id;
 * whoever holds the id polls it until it is done, failed or cancelled (modeled on AIP-151). A
 * method must answer within its budget, so this is how work that takes longer is done.
 *
 * <pre>{@code
 * public Future<GenerateResponse> generate(GenerateRequest request) {
 *   String id = context.operations().start(() -> render(request));   // on a worker thread
 *   return Future.succeeded(GenerateResponse.newBuilder().setOperationId(id).build());
 * }
 * }</pre>
 *
 * <p>Callers wait for the result with {@link Remote#awaitOperation}. State lives on the
 * service's event loop; work started with a {@link java.util.concurrent.Callable} runs on a
 * worker thread of the SDK, off the loop, and its result is handed back to the loop. Operations
 * live in the service's memory: after a restart, their ids are unknown, and polling one says
 * so.
 */
public final class Operations {
  static final String GET = "ParigotGetOperation";
  static final String CANCEL = "ParigotCancelOperation";
  /** Finished operations kept for polling; older ones are forgotten first. */
  private static final int KEPT_FINISHED = 10_000;

  private final String service;
  private final EventLoop loop;
  private final Log log;
  private final String prefix;
  private final Map<String, Entry> entries = new HashMap<>();
  private final Deque<String> finished = new ArrayDeque<>();
  private ExecutorService workers;
  private long sequence;

  Operations(String service, EventLoop loop, Log log) {
    this.service = service;
    this.loop = loop;
    this.log = log;
    byte[] random = new byte[4];
    ThreadLocalRandom.current().nextBytes(random);
    // a restarted service never hands out an id its previous run did
    this.prefix = "op-" + HexFormat.of().formatHex(random) + "-";
  }

  private static final class Entry {
    OperationState.State state = OperationState.State.PENDING;
    Message response;
    int errorNumber;
    String errorMessage = "";
    String errorDetail = "";
    ServiceError error;
    Thread worker;
  }

  /**
   * Starts {@code work} on a worker thread and returns its id at once. Its result, or its
   * failure (a {@link ServiceError} keeps its type), is what polling the id then gives. Work
   * that throws anything but a {@link ServiceError} is a bug rather than an answer: pollers get
   * {@code DISPATCH_ERROR}, and the service logs the exception with its stack. Call on the
   * service's loop.
   *
   * @throws IllegalStateException when called on another thread while the loop runs: the
   *     operations' state belongs to the loop
   */
  public <T extends Message> String start(Callable<T> work) {
    checkOnLoop();
    String id = newId();
    Entry entry = new Entry();
    entries.put(id, entry);
    workers().execute(() -> {
      synchronized (entry) {
        entry.worker = Thread.currentThread();
      }
      Message result = null;
      Throwable failure = null;
      try {
        result = work.call();
      } catch (Throwable t) {
        failure = t;
      }
      synchronized (entry) {
        entry.worker = null;
        Thread.interrupted(); // a late cancel must not leak into the next operation
      }
      Message r = result;
      Throwable f = failure;
      loop.execute(() -> finish(id, entry, r, f));
    });
    return id;
  }

  /**
   * Tracks work that runs as short steps on the loop (a chain of futures), and returns its id at
   * once. A failure other than a {@link ServiceError} is logged, as for {@link #start(Callable)}.
   *
   * @throws IllegalStateException when called on another thread while the loop runs
   */
  public <T extends Message> String start(Future<T> steps) {
    checkOnLoop();
    String id = newId();
    Entry entry = new Entry();
    entries.put(id, entry);
    steps.onComplete(done -> finish(id, entry, done.succeeded() ? done.result() : null,
        done.failed() ? done.cause() : null));
    return id;
  }

  /**
   * Refuses a start from another thread than the running loop's: the ids and the state polls
   * read are the loop's own, unguarded, and a worker's start would race with them (two
   * operations given one id, a poll that never sees its operation).
   */
  private void checkOnLoop() {
    Thread owner = loop.thread();
    if (owner != null && owner != Thread.currentThread()) {
      throw new IllegalStateException(service + ": operations().start(...) was called on thread \""
          + Thread.currentThread().getName() + "\", not on the service's event loop: an "
          + "operation's state belongs to the loop. Start it from a method body, a callback, "
          + "ready or a timer; from another thread, hand it in with context.execute(...).");
    }
  }

  private String newId() {
    return prefix + (++sequence);
  }

  private ExecutorService workers() {
    if (workers == null) {
      workers = Executors.newCachedThreadPool(task -> {
        Thread thread = new Thread(task, service + "-operation-worker");
        thread.setDaemon(true);
        return thread;
      });
    }
    return workers;
  }

  private void finish(String id, Entry entry, Message result, Throwable failure) {
    if (entry.state != OperationState.State.PENDING) {
      return; // cancelled meanwhile
    }
    if (failure == null) {
      entry.state = OperationState.State.DONE;
      entry.response = result;
    } else {
      entry.state = OperationState.State.FAILED;
      if (failure instanceof ServiceError error) {
        entry.errorNumber = error.number();
        entry.errorMessage = error.getMessage();
        entry.errorDetail = error.detail().orElse("");
        entry.error = error;
      } else {
        entry.errorNumber = ServiceError.DISPATCH_ERROR;
        entry.errorMessage = String.valueOf(failure);
        // a bug, as for a method that throws: the poller sees only the message, the service's
        // own output says where it happened
        log.error("operation " + id + " failed (its pollers get DISPATCH_ERROR)", failure);
      }
    }
    remember(id);
  }

  private void remember(String id) {
    finished.addLast(id);
    while (finished.size() > KEPT_FINISHED) {
      entries.remove(finished.removeFirst());
    }
  }

  /**
   * The state of operation {@code id}, as polling it through {@code polled} sees it: a failure
   * with another service's error is a dispatch error that names it, as for a method. On the loop.
   */
  OperationState state(String id, ServiceRef polled) {
    OperationState state = state(id);
    Entry entry = entries.get(id);
    if (entry != null && entry.error != null && !polled.owns(entry.error.code())) {
      return state.toBuilder().setErrorNumber(ServiceError.DISPATCH_ERROR)
          .setErrorMessage(new Wire.ForeignError(entry.error, polled).getMessage()).build();
    }
    return state;
  }

  private OperationState state(String id) {
    Entry entry = entries.get(id);
    OperationState.Builder state = OperationState.newBuilder().setId(id);
    if (entry == null) {
      return state.setState(OperationState.State.UNKNOWN).build();
    }
    state.setState(entry.state);
    if (entry.response != null) {
      state.setResponse(entry.response.toByteString());
    }
    return state.setErrorNumber(entry.errorNumber).setErrorMessage(entry.errorMessage)
        .setErrorDetail(entry.errorDetail).build();
  }

  /** Cancels a pending operation (its worker is interrupted); on the loop. */
  OperationState cancel(String id, ServiceRef polled) {
    Entry entry = entries.get(id);
    if (entry != null && entry.state == OperationState.State.PENDING) {
      entry.state = OperationState.State.CANCELLED;
      synchronized (entry) {
        if (entry.worker != null) {
          entry.worker.interrupt();
        }
      }
      remember(id);
    }
    return state(id, polled);
  }

  /** The two methods polling and cancelling go through, under {@code serviceName}. */
  static MethodDescriptor<OperationRequest, OperationState> method(String serviceName,
      String name) {
    return MethodDescriptor.<OperationRequest, OperationState>newBuilder()
        .setType(MethodDescriptor.MethodType.UNARY)
        .setFullMethodName(MethodDescriptor.generateFullMethodName(serviceName, name))
        .setRequestMarshaller(ProtoUtils.marshaller(OperationRequest.getDefaultInstance()))
        .setResponseMarshaller(ProtoUtils.marshaller(OperationState.getDefaultInstance()))
        .build();
  }
}
