package io.parigot.control;

/**
 * What the orchestrator and a service JVM it starts agree on outside gRPC: the environment it
 * starts the JVM with, and the line the JVM writes on its stderr when its event loop is wedged.
 */
public final class ChildContract {
  /** Where the control plane listens, {@code HOST:PORT}. */
  public static final String CONTROL_ENV = "PARIGOT_CONTROL";
  /** The JVM's one-time registration token. */
  public static final String TOKEN_ENV = "PARIGOT_TOKEN";
  /** The service's name in deploy.yaml. */
  public static final String SERVICE_ENV = "PARIGOT_SERVICE";
  /** The address the service serves on. */
  public static final String HOST_ENV = "PARIGOT_HOST";
  /** The port to serve on: the orchestrator keeps a service's port across restarts. */
  public static final String PORT_ENV = "PARIGOT_PORT";
  /** The default budget of the service's methods in milliseconds (deploy.yaml's budget:). */
  public static final String BUDGET_ENV = "PARIGOT_BUDGET_MS";
  /**
   * How long the orchestrator waits, in milliseconds, between its SIGTERM and its SIGKILL
   * (deploy.yaml's stop_grace_period): the exit hooks get most of it.
   */
  public static final String STOP_GRACE_ENV = "PARIGOT_STOP_GRACE_MS";
  /**
   * Starts the stderr line that says the JVM's loop is wedged: this, its token, a space, then
   * its BudgetReport in base64. The orchestrator reads the pipe anyway, and kills the JVM the
   * moment the line arrives.
   */
  public static final String WEDGED_PREFIX = "parigot-wedged ";

  /**
   * A JVM's first this many calls served, and made, have {@link #WARM_UP_FACTOR} times their
   * budget (the SDK's rule; the orchestrator says it when it kills for a budget).
   */
  public static final int WARM_UP_CALLS = 200;
  public static final int WARM_UP_FACTOR = 4;

  /**
   * A call's budget as a message says it: {@code 10 ms budget}, or while the JVM warms up
   * ({@code methodMillis} its method's own, not 0) {@code 40 ms budget (its 10 ms budget, times 4
   * while the JVM warms up: its first 200 calls)}.
   */
  public static String budgetText(long callMillis, long methodMillis) {
    String text = callMillis + " ms budget";
    return methodMillis == 0 || methodMillis == callMillis ? text
        : text + " (its " + methodMillis + " ms budget, times " + WARM_UP_FACTOR
            + " while the JVM warms up: its first " + WARM_UP_CALLS + " calls)";
  }

  private ChildContract() {}
}
