package io.parigot.agent;

/** Hears what a child does. Called on the agent's reader threads, one line at a time per stream. */
public interface ChildListener {
  /** A line the child wrote to stdout ({@code error} false) or stderr ({@code error} true). */
  void output(Child child, String line, boolean error);

  /** The child ended with {@code exitCode} (128 + the signal number when a signal killed it). */
  void exited(Child child, int exitCode);
}
