package io.parigot.sdk;

import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.Message;
import com.google.protobuf.Parser;
import com.google.protobuf.ProtocolMessageEnum;
import io.grpc.CallOptions;
import io.grpc.Channel;
import io.grpc.ClientCall;
import io.grpc.MethodDescriptor;
import io.grpc.Status;
import io.grpc.stub.ClientCalls;
import io.grpc.stub.StreamObserver;
import io.parigot.v1.OperationRequest;
import io.parigot.v1.OperationState;
import java.time.Duration;
import java.util.Locale;

/**
 * A located service: the channel to it and the caller's event loop that answers arrive on.
 * Generated clients (e.g. {@code GreetingClient}) call through it; service authors use the
 * generated client instead.
 */
public final class Remote {
  private final ServiceRef service;
  private final Channel channel;
  private final EventLoop loop;
  private final Duration budget;

  Remote(ServiceRef service, Channel channel, EventLoop loop, Duration budget) {
    this.service = service;
    this.channel = channel;
    this.loop = loop;
    this.budget = budget;
  }

  /** The located service. */
  public ServiceRef service() {
    return service;
  }

  /**
   * Calls a unary method; the future completes on the caller's event loop, with the response or
   * with a {@link ServiceError} typed by the callee's error enum.
   */
  public <Q, R> Future<R> unary(MethodDescriptor<Q, R> method, Q request) {
    return unary(method, request, budget);
  }

  /**
   * Calls a unary method with a budget of its own (the {@code parigot.v1.budget_millis} method
   * option). The future fails with the budget error at the latest 10 ms after the budget, even
   * when the callee does not answer at all: the callee answers with it when its budget runs
   * out, and the caller gives up on its own a few milliseconds later.
   *
   * @throws IllegalStateException when called on another thread than the event loop of the
   *     context that located the service: the call's future belongs to that loop
   */
  public <Q, R> Future<R> unary(MethodDescriptor<Q, R> method, Q request, Duration budget) {
    if (!loop.inLoop()) {
      // its future would be completed on the loop and observed here, unguarded
      throw new IllegalStateException(loop.name() + ": " + method.getFullMethodName()
          + " was called on thread \"" + Thread.currentThread().getName() + "\", not on "
          + loop.name() + "'s event loop: a client, and the futures of its calls, belong to "
          + "the loop of the context that located it. Call it from a method body, a callback, "
          + "ready or a timer; from another thread, hand the call in with context.execute(...) "
          + "(in a test: parigot.call(ctx -> ...) or parigot.submit(ctx -> ...)).");
    }
    Promise<R> promise = Promise.promise();
    Duration thisCall = BudgetWatchdog.made(budget);
    long limit = thisCall.plus(BudgetWatchdog.CALLER_MARGIN).toNanos();
    // No gRPC deadline: the caller's own clock, on its own loop, is exact and cheap, where the
    // first expiry of a gRPC deadline spends milliseconds formatting its message. It hears in
    // time even when the network, or the callee's budget error, is late; the call is cancelled.
    ClientCall<Q, R> call = channel.newCall(method, CallOptions.DEFAULT);
    Timer giveUp = loop.schedule(limit, 0, () -> {
      if (promise.tryFail(Wire.toServiceError(service, method.getFullMethodName(), thisCall,
          budget, Status.DEADLINE_EXCEEDED.asRuntimeException()))) {
        call.cancel("budget exceeded", null);
      }
    });
    ClientCalls.asyncUnaryCall(call, request,
        new StreamObserver<R>() {
          private R value;

          @Override
          public void onNext(R response) {
            value = response;
          }

          @Override
          public void onError(Throwable failure) {
            ServiceError error = Wire.toServiceError(service, method.getFullMethodName(),
                thisCall, budget, failure);
            loop.execute(() -> {
              giveUp.cancel();
              promise.tryFail(error);
            });
          }

          @Override
          public void onCompleted() {
            R response = value;
            loop.execute(() -> {
              giveUp.cancel();
              promise.tryComplete(response);
            });
          }
        });
    return promise.future();
  }

  /**
   * Polls operation {@code id} of the located service once: pending, done (with the result, read
   * with {@code parser}), failed (with the service's typed error), cancelled, or unknown.
   */
  public Future<OperationState> pollOperation(String id) {
    return unary(Operations.method(service.fullName(), Operations.GET),
        OperationRequest.newBuilder().setId(id).build());
  }

  /** Cancels operation {@code id} of the located service; answers with its state after. */
  public Future<OperationState> cancelOperation(String id) {
    return unary(Operations.method(service.fullName(), Operations.CANCEL),
        OperationRequest.newBuilder().setId(id).build());
  }

  /**
   * The result of operation {@code id} of the located service, once it is done: polls it with
   * backoff (from 10 ms, doubling, up to 250 ms). Fails with the service's typed error when the
   * operation failed, and with {@code DISPATCH_ERROR} when it was cancelled or the service
   * does not know the id (it restarted since, say), the cause saying which.
   *
   * <p>A poll that fails transiently says nothing of the operation: the service could not be
   * reached ({@code DISPATCH_ERROR}, its cause {@code UNAVAILABLE}), or the poll ran past its
   * budget ({@link ServiceError#isBudgetExceeded()}). The next poll then comes at the next step
   * of the backoff, as after a pending answer. Once 5 such failures have come in a row and 2 s
   * have passed with no answer, this fails with {@code DISPATCH_ERROR}, its cause saying how
   * many polls failed in a row, for how long, and caused by the last one's failure: the
   * operation may still be running, and its id still polls. Any answer from the service starts
   * the count and the time again. Any other failure of a poll (a typed error, a service that
   * failed to carry the poll out, a cancelled call) fails this at once, as does the first answer
   * that is not pending.
   */
  public <T extends Message> Future<T> awaitOperation(String id, Parser<T> parser) {
    Promise<T> promise = Promise.promise();
    poll(id, parser, promise, Duration.ofMillis(10), 0, System.nanoTime());
    return promise.future();
  }

  /**
   * Transient poll failures in a row that end an await, with {@link #UNANSWERED_FOR}: the
   * default cap of grpc-java's retry attempts and of a Vert.x circuit breaker's failures.
   */
  static final int POLLS_FAILED_IN_A_ROW = 5;

  /**
   * How long polls must have gone unanswered before an await ends: five quick failures early in
   * a wait (the backoff starts at 10 ms) take a third of a second, less than a busy machine's
   * hiccup. A service away longer has usually restarted, and lost its operations.
   */
  static final Duration UNANSWERED_FOR = Duration.ofSeconds(2);

  private <T extends Message> void poll(String id, Parser<T> parser, Promise<T> promise,
      Duration wait, int failedBefore, long answeredAt) {
    pollOperation(id).onComplete(polled -> {
      String where = service.fullName() + " operation " + id;
      if (polled.failed()) {
        Throwable failure = polled.cause();
        int failed = failedBefore + 1;
        long unanswered = System.nanoTime() - answeredAt;
        if (!Wire.isTransient(failure)) {
          promise.tryFail(failure);
        } else if (failed >= POLLS_FAILED_IN_A_ROW && unanswered >= UNANSWERED_FOR.toNanos()) {
          promise.tryFail(new ServiceError(service.error(ServiceError.DISPATCH_ERROR), where,
              new OperationFailedException(failed + " polls in a row failed, over "
                  + String.format(Locale.ROOT, "%.1f", unanswered / 1e9) + " s, the last with "
                  + failure.getMessage() + "; the operation may still be running: await or "
                  + "poll " + id + " again once " + service.fullName() + " answers", failure)));
        } else {
          pollAgain(id, parser, promise, wait, failed, answeredAt);
        }
        return;
      }
      OperationState state = polled.result();
      switch (state.getState()) {
        case DONE -> {
          try {
            promise.tryComplete(parser.parseFrom(state.getResponse()));
          } catch (InvalidProtocolBufferException e) {
            promise.tryFail(new ServiceError(service.error(ServiceError.UNMARSHAL_FAILED), where, e));
          }
        }
        case FAILED -> {
          // 0 is no error: a callee that says it failed with it could not carry the work out
          ProtocolMessageEnum code = service.error(state.getErrorNumber() == 0
              ? ServiceError.DISPATCH_ERROR : state.getErrorNumber());
          String message = state.getErrorMessage();
          // a plain Future.failed(ReportErr.EMPTY_TITLE) says nothing its name does not
          boolean onlyTheName = message.isEmpty()
              || code instanceof Enum<?> value && message.equals(value.name());
          if (!state.getErrorDetail().isEmpty()) {
            // the service's own words, without its name again around them
            promise.tryFail(new ServiceError(code, where, state.getErrorDetail(), null));
          } else {
            promise.tryFail(new ServiceError(code, where,
                onlyTheName ? null : new OperationFailedException(message)));
          }
        }
        case CANCELLED -> promise.tryFail(new ServiceError(service.error(ServiceError.DISPATCH_ERROR),
            where, new OperationFailedException("the operation was cancelled")));
        case UNKNOWN -> promise.tryFail(new ServiceError(service.error(ServiceError.DISPATCH_ERROR),
            where, new OperationFailedException("unknown operation: " + service.fullName()
                + " does not know " + id + " (it may have restarted since it started it)")));
        default -> pollAgain(id, parser, promise, wait, 0, System.nanoTime());
      }
    });
  }

  private <T extends Message> void pollAgain(String id, Parser<T> parser, Promise<T> promise,
      Duration wait, int failed, long answeredAt) {
    Duration next = wait.multipliedBy(2).compareTo(MAX_POLL_WAIT) > 0 ? MAX_POLL_WAIT
        : wait.multipliedBy(2);
    loop.schedule(wait.toNanos(), 0, () -> poll(id, parser, promise, next, failed, answeredAt));
  }

  private static final Duration MAX_POLL_WAIT = Duration.ofMillis(250);

  /**
   * Why an operation gave no result: it failed, was cancelled, or is unknown, or its polls kept
   * failing (the last poll's failure is then the cause).
   */
  public static final class OperationFailedException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    OperationFailedException(String message) {
      super(message);
    }

    OperationFailedException(String message, Throwable cause) {
      super(message, cause);
    }
  }
}
