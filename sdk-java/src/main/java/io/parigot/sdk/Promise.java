package io.parigot.sdk;

/**
 * The writing side of a {@link Future}: service code that finishes work later creates a promise,
 * returns {@link #future()}, and completes the promise on its event loop.
 *
 * @param <T> the type of the result
 */
public final class Promise<T> {
  private final Future<T> future = new Future<>();

  private Promise() {}

  /** A new, pending promise. */
  public static <T> Promise<T> promise() {
    return new Promise<>();
  }

  /** The future this promise completes. */
  public Future<T> future() {
    return future;
  }

  /** Succeeds the future with {@code value}; fails if it is already complete. */
  public void complete(T value) {
    if (!future.tryComplete(value, null)) {
      throw new IllegalStateException("future already completed: " + future);
    }
  }

  /** Fails the future with {@code cause}; fails if it is already complete. */
  public void fail(Throwable cause) {
    if (!future.tryComplete(null, cause)) {
      throw new IllegalStateException("future already completed: " + future);
    }
  }

  /** Succeeds the future unless it is already complete; returns whether it did. */
  public boolean tryComplete(T value) {
    return future.tryComplete(value, null);
  }

  /** Fails the future unless it is already complete; returns whether it did. */
  public boolean tryFail(Throwable cause) {
    return future.tryComplete(null, cause);
  }

  void handle(Future<T> outcome) {
    if (outcome.succeeded()) {
      tryComplete(outcome.result());
    } else {
      tryFail(outcome.cause());
    }
  }
}
