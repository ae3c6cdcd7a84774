package io.parigot.deploy;

import java.time.Duration;

/**
 * When a service that exited is started again: never ({@code no}), when it failed ({@code
 * on-failure}, a non-zero exit), or {@code always}. Restarts wait an exponential backoff from
 * {@code initialBackoff} up to {@code maxBackoff}; more than {@code maxRestarts} restarts within
 * {@code window} is a crash loop, and the supervisor gives up.
 */
public record RestartPolicy(Mode mode, int maxRestarts, Duration window, Duration initialBackoff,
    Duration maxBackoff) {

  /** The three restart modes, as written in deploy.yaml. */
  public enum Mode {
    NO("no"), ON_FAILURE("on-failure"), ALWAYS("always");

    private final String yaml;

    Mode(String yaml) {
      this.yaml = yaml;
    }

    /** The spelling in deploy.yaml. */
    public String yaml() {
      return yaml;
    }
  }

  /** The default: restart on failure, give up after 5 restarts within 60 s, backoff 100 ms to 5 s. */
  public static final RestartPolicy DEFAULT = new RestartPolicy(Mode.ON_FAILURE, 5,
      Duration.ofSeconds(60), Duration.ofMillis(100), Duration.ofSeconds(5));

  /** Whether a service that exited with {@code exitCode} is restarted under this policy. */
  public boolean restarts(int exitCode) {
    return switch (mode) {
      case NO -> false;
      case ON_FAILURE -> exitCode != 0;
      case ALWAYS -> true;
    };
  }

  /** The wait before the restart that follows {@code restartsSoFar} earlier ones. */
  public Duration backoff(int restartsSoFar) {
    long millis = initialBackoff.toMillis() << Math.min(restartsSoFar, 20);
    return Duration.ofMillis(Math.min(millis, maxBackoff.toMillis()));
  }
}
