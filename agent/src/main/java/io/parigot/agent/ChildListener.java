package io.parigot.agent;

/** Hears what a child does. Called on the agent's reader threads, one line at a time per stream. */
public interface ChildListener {
  /** A line the child wrote to stdout ({@code error} false) or stderr ({@code error} true). */
  void output(Child child, String line, boolean error);

  /**
   * The child's SDK said on stderr that its event loop is wedged (a line only it can write: it
   * carries the child's one-time token), and the child was killed at once. {@code report} is
   * what it said; the times are microseconds since the epoch: when the line was read and when
   * the SIGKILL was sent. The line itself is not passed to {@link #output}.
   */
  void wedged(Child child, String report, long readEpochMicros, long killedEpochMicros);

  /** The child ended with {@code exitCode} (128 + the signal number when a signal killed it). */
  void exited(Child child, int exitCode);
}
