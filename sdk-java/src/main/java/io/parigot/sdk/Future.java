package io.parigot.sdk;

import com.google.protobuf.ProtocolMessageEnum;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.function.Consumer;
import java.util.function.Function;

/**
 * The result of work that finishes later: parigot's future.
 *
 * <p>A future belongs to its service's event loop. It is completed there, and every callback
 * registered on it ({@link #onSuccess}, {@link #onFailure}, {@link #map}, {@link #compose}, ...)
 * runs there, so service code never needs a lock. Callbacks registered on a future that is
 * already complete run at once, on the registering thread (which, in service code, is the loop).
 * Completions nest (a callback completes another future, whose callbacks complete another...);
 * past 64 levels, as in a long chain of {@link #compose}, the deeper callbacks run as soon as
 * the outer ones have returned, on the same thread, so a chain of any length fits the stack.
 * A callback that throws does not keep the future's other callbacks from running; the
 * completion then throws what it threw (on the loop, which logs it and goes on).
 *
 * <p>A failed future carries a {@link Throwable}; failures of parigot calls are always a
 * {@link ServiceError} that holds the callee's typed error.
 *
 * @param <T> the type of the result
 */
public final class Future<T> {
  private boolean complete;
  private T result;
  private Throwable cause;
  private List<Consumer<Future<T>>> callbacks;
  /** Whether a callback that does something with a failure was added. */
  private boolean failureSeen;

  Future() {}

  /** A future that has already succeeded with {@code value}. */
  public static <T> Future<T> succeeded(T value) {
    Future<T> f = new Future<>();
    f.tryComplete(value, null);
    return f;
  }

  /** A future that has already succeeded with no value. */
  public static Future<Void> done() {
    return succeeded(null);
  }

  /**
   * A future that has failed with the service's typed error, e.g. {@code
   * Future.failed(GreetErr.UNKNOWN_LANG)}. Throws {@link IllegalArgumentException} for {@code
   * NO_ERROR} (0), which is no error.
   */
  public static <T> Future<T> failed(ProtocolMessageEnum error) {
    return failed(new ServiceError(error, null, null));
  }

  /**
   * A future that has failed with the service's typed error and a detail, the service's words on
   * this failure, which its callers read with the error ({@link ServiceError#detail()}): {@code
   * Future.failed(ShopErr.UNKNOWN_SKU, "no product \"" + sku + "\"")} reaches the caller as
   * {@code shop.v1.Store/Reserve failed: UNKNOWN_SKU (no product "teapot")}.
   */
  public static <T> Future<T> failed(ProtocolMessageEnum error, String detail) {
    return failed(new ServiceError(error, detail));
  }

  /** A future that has failed with {@code cause}. */
  public static <T> Future<T> failed(Throwable cause) {
    if (cause == null) {
      throw new NullPointerException("cause");
    }
    Future<T> f = new Future<>();
    f.tryComplete(null, cause);
    return f;
  }

  /**
   * A future that succeeds with every result, in order, once all of {@code futures} have
   * succeeded, and fails as soon as one of them fails.
   */
  public static <T> Future<List<T>> all(List<Future<T>> futures) {
    Promise<List<T>> all = Promise.promise();
    if (futures.isEmpty()) {
      all.complete(List.of());
      return all.future();
    }
    List<T> results = new ArrayList<>(futures.size());
    for (int i = 0; i < futures.size(); i++) {
      results.add(null);
    }
    int[] left = {futures.size()};
    for (int i = 0; i < futures.size(); i++) {
      int index = i;
      futures.get(i).onComplete(f -> {
        if (f.failed()) {
          all.tryFail(f.cause());
        } else {
          results.set(index, f.result());
          if (--left[0] == 0) {
            all.tryComplete(results);
          }
        }
      });
    }
    return all.future();
  }

  /**
   * A future that succeeds with the first of {@code futures} to succeed, and fails (with the
   * last failure) only when all of them have failed.
   */
  public static <T> Future<T> any(List<Future<T>> futures) {
    Promise<T> any = Promise.promise();
    if (futures.isEmpty()) {
      any.fail(new IllegalArgumentException("Future.any of no futures"));
      return any.future();
    }
    int[] left = {futures.size()};
    for (Future<T> future : futures) {
      future.onComplete(f -> {
        if (f.succeeded()) {
          any.tryComplete(f.result());
        } else if (--left[0] == 0) {
          any.tryFail(f.cause());
        }
      });
    }
    return any.future();
  }

  /** Whether this future has completed, with a result or a failure. */
  public boolean isComplete() {
    return complete;
  }

  /** Whether this future has completed with a result. */
  public boolean succeeded() {
    return complete && cause == null;
  }

  /** Whether this future has completed with a failure. */
  public boolean failed() {
    return complete && cause != null;
  }

  /** The result, or {@code null} while pending or when failed. */
  public T result() {
    return result;
  }

  /** The failure, or {@code null} while pending or when succeeded. */
  public Throwable cause() {
    return cause;
  }

  /** Runs {@code callback} when this future completes, either way. Returns this future. */
  public Future<T> onComplete(Consumer<Future<T>> callback) {
    return listen(callback, true);
  }

  /**
   * Adds {@code callback}; {@code seesFailure} says whether it does something with a failure
   * (all but {@link #onSuccess} do, or pass it on to a future of their own).
   */
  private Future<T> listen(Consumer<Future<T>> callback, boolean seesFailure) {
    if (seesFailure) {
      failureSeen = true;
      if (complete && cause != null && UNHANDLED.get() == this) {
        UNHANDLED.remove(); // handled after all, later than its failure
      }
    }
    if (complete) {
      callback.accept(this);
    } else {
      if (callbacks == null) {
        callbacks = new ArrayList<>(2);
      }
      callbacks.add(callback);
    }
    return this;
  }

  /** Runs {@code callback} with the result when this future succeeds. Returns this future. */
  public Future<T> onSuccess(Consumer<? super T> callback) {
    return listen(f -> {
      if (f.succeeded()) {
        callback.accept(f.result());
      }
    }, false);
  }

  /** Runs {@code callback} with the failure when this future fails. Returns this future. */
  public Future<T> onFailure(Consumer<? super Throwable> callback) {
    return onComplete(f -> {
      if (f.failed()) {
        callback.accept(f.cause());
      }
    });
  }

  /**
   * A future of {@code fn} applied to this future's result; a failure, or an exception or error
   * thrown by {@code fn} (a failed assertion, say), fails it.
   */
  public <U> Future<U> map(Function<? super T, ? extends U> fn) {
    Promise<U> next = Promise.promise();
    onComplete(f -> {
      if (f.failed()) {
        next.fail(f.cause());
        return;
      }
      U mapped;
      try {
        mapped = fn.apply(f.result());
      } catch (RuntimeException | Error e) {
        next.fail(e);
        return;
      }
      next.complete(mapped);
    });
    return next.future();
  }

  /**
   * Chains asynchronous work: when this future succeeds, {@code fn} starts the next step, and
   * the returned future completes with that step. A failure skips {@code fn}; a {@code fn} that
   * throws, or returns null instead of a future, fails it.
   */
  public <U> Future<U> compose(Function<? super T, Future<U>> fn) {
    Promise<U> next = Promise.promise();
    onComplete(f -> {
      if (f.failed()) {
        next.fail(f.cause());
        return;
      }
      Future<U> step;
      try {
        step = fn.apply(f.result());
      } catch (RuntimeException | Error e) {
        next.fail(e);
        return;
      }
      if (step == null) {
        next.fail(noStep("compose"));
        return;
      }
      step.onComplete(s -> next.handle(s));
    });
    return next.future();
  }

  /**
   * Turns a failure into a next step: when this future fails, {@code fn} maps the failure to a
   * future of a replacement result. A success passes through; a {@code fn} that throws, or
   * returns null instead of a future, fails it.
   */
  public Future<T> recover(Function<Throwable, Future<T>> fn) {
    Promise<T> next = Promise.promise();
    onComplete(f -> {
      if (f.succeeded()) {
        next.complete(f.result());
        return;
      }
      Future<T> step;
      try {
        step = fn.apply(f.cause());
      } catch (RuntimeException | Error e) {
        next.fail(e);
        return;
      }
      if (step == null) {
        next.fail(noStep("recover"));
        return;
      }
      step.onComplete(s -> next.handle(s));
    });
    return next.future();
  }

  private static NullPointerException noStep(String method) {
    return new NullPointerException(method + "(...)'s function returned null instead of a future: "
        + "return the next step's future, or Future.succeeded(value), Future.done() or "
        + "Future.failed(error)");
  }

  /**
   * This future as a {@link CompletionStage}, for code outside parigot. Its stages run on the
   * thread that completes it (the event loop) unless an executor is given.
   */
  public CompletionStage<T> toCompletionStage() {
    CompletableFuture<T> stage = new CompletableFuture<>();
    onComplete(f -> {
      if (f.succeeded()) {
        stage.complete(f.result());
      } else {
        stage.completeExceptionally(f.cause());
      }
    });
    return stage;
  }

  boolean tryComplete(T value, Throwable failure) {
    if (complete) {
      return false;
    }
    complete = true;
    result = value;
    cause = failure;
    if (failure != null && !failureSeen) {
      UNHANDLED.set(this); // until a callback that sees it comes (see takeUnhandled)
    }
    List<Consumer<Future<T>>> pending = callbacks;
    callbacks = null;
    if (pending != null) {
      Nesting nesting = NESTING.get();
      if (nesting.depth >= Nesting.INLINE) {
        // a completion inside 64 others (a long chain of compose): its callbacks run once the
        // outermost one's have returned, on this thread, so that no chain overflows the stack
        for (Consumer<Future<T>> callback : pending) {
          nesting.deferred.add(() -> callback.accept(this));
        }
        return true;
      }
      // a callback that throws does not keep the others from running: each of them may be
      // the next step of a chain (a map, a compose, Future.all), which would otherwise wait for
      // ever; what the first one threw is rethrown once all have run, for the loop to log
      nesting.depth++;
      Throwable thrown = null;
      for (Consumer<Future<T>> callback : pending) {
        try {
          callback.accept(this);
        } catch (RuntimeException | Error e) {
          thrown = Nesting.keep(thrown, e);
        }
      }
      nesting.depth--;
      if (nesting.depth == 0) {
        thrown = nesting.runDeferred(thrown);
      }
      Nesting.rethrow(thrown);
    }
    return true;
  }

  private static final ThreadLocal<Nesting> NESTING = ThreadLocal.withInitial(Nesting::new);

  /**
   * The last future that failed on this thread (an event loop) with no callback that sees its
   * failure: no {@code onFailure}, {@code onComplete}, {@code map} or {@code compose}, only
   * {@code onSuccess}s, or none at all; a program waiting on it would wait for ever.
   */
  private static final ThreadLocal<Future<?>> UNHANDLED = new ThreadLocal<>();

  /** The failure of {@link #UNHANDLED}, once: null when every failure here was seen. */
  static Throwable takeUnhandled() {
    Future<?> unhandled = UNHANDLED.get();
    UNHANDLED.remove();
    return unhandled == null ? null : unhandled.cause;
  }

  /** How deep this thread is in completions, and the callbacks deferred below the limit. */
  private static final class Nesting {
    static final int INLINE = 64;
    int depth;
    final ArrayDeque<Runnable> deferred = new ArrayDeque<>();

    /** Runs every deferred callback, even past one that throws; gives what was thrown first. */
    Throwable runDeferred(Throwable thrown) {
      Runnable next;
      while ((next = deferred.poll()) != null) {
        depth++;
        try {
          next.run();
        } catch (RuntimeException | Error e) {
          thrown = keep(thrown, e);
        } finally {
          depth--;
        }
      }
      return thrown;
    }

    /** The first of the callbacks' throws, the later ones suppressed in it. */
    static Throwable keep(Throwable first, Throwable next) {
      if (first == null) {
        return next;
      }
      if (first != next) {
        first.addSuppressed(next);
      }
      return first;
    }

    static void rethrow(Throwable thrown) {
      if (thrown instanceof RuntimeException e) {
        throw e;
      }
      if (thrown instanceof Error e) {
        throw e;
      }
    }
  }

  @Override
  public String toString() {
    if (!complete) {
      return "Future(pending)";
    }
    return cause == null ? "Future(succeeded: " + result + ")" : "Future(failed: " + cause + ")";
  }
}
