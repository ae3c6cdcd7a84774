package io.parigot.sdk;

/** A pending timer of {@link Context#runAfter} or {@link Context#every}. */
public interface Timer {
  /** Stops the timer; a callback already running finishes. Cancelling twice is harmless. */
  void cancel();
}
