package io.parigot.sdk;

/**
 * Why a launch did not succeed: the future returned by {@link Context#launch()} fails with this.
 */
public final class LaunchFailure extends RuntimeException {
  /** The kinds of launch failure. */
  public enum Reason {
    /** A required service is not exported by any service of the deployment. */
    NOT_IN_DEPLOYMENT,
    /** A required service exited or crashed before it was ready. */
    CRASHED,
    /** A required service, or this one, was not ready within the start-up timeout. */
    NOT_READY_IN_TIME,
    /** The requirements form a cycle, so none of the services in it can become ready. */
    CYCLE,
    /** This service's own ready hook failed. */
    READY_FAILED,
    /** The orchestrator refused or could not be reached. */
    REFUSED
  }

  private final Reason reason;

  /** A launch failure of the given kind. */
  public LaunchFailure(Reason reason, String message, Throwable cause) {
    super(message, cause);
    this.reason = reason;
  }

  /** What kind of failure this is. */
  public Reason reason() {
    return reason;
  }
}
