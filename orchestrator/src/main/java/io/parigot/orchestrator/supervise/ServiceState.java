package io.parigot.orchestrator.supervise;

/** Where a service is in its life, as {@code parigot ps} shows it. */
public enum ServiceState {
  /** Its JVM is starting and has not yet become ready. */
  STARTING("starting"),
  /** Its launch succeeded: it is locatable. */
  READY("ready"),
  /**
   * Its JVM is stopped by a signal (SIGSTOP, say): it answers nothing until it gets SIGCONT.
   * Only {@code ps} says so; for the supervisor it stays ready (or starting).
   */
  SUSPENDED("suspended"),
  /** It called exit, after it was ready, and its JVM is ending: its exit hooks, its last output. */
  EXITING("exiting"),
  /**
   * Its JVM was sent SIGTERM by parigot ({@code parigot stop}, {@code restart} or {@code down},
   * Ctrl-C, the program's end) and is ending: its exit hooks, its last output. Only {@code ps}
   * says so; for the supervisor it is as it was until its process has ended.
   */
  STOPPING("stopping"),
  /** It exited and waits out its backoff before a restart. */
  RESTARTING("restarting"),
  /** It exited and is not restarted (a program that finished, or restart: no). */
  EXITED("exited"),
  /** It failed for good: failed to start, or crash-looped and the supervisor gave up. */
  FAILED("failed"),
  /**
   * It was stopped: by {@code parigot stop}, and then it stays so, whatever its restart policy,
   * until {@code parigot start} (or {@code restart}); or with the deployment, by {@code parigot
   * down}, Ctrl-C or the program's exit.
   */
  STOPPED("stopped");

  private final String text;

  ServiceState(String text) {
    this.text = text;
  }

  @Override
  public String toString() {
    return text;
  }
}
