package io.parigot.deploy;

import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * The {@code restart:} setting of a service in deploy.yaml: a mode ({@code no},
 * {@code on-failure} or {@code always}), or a map with {@code policy:}, {@code max_restarts:},
 * {@code window:}, {@code backoff:} and {@code max_backoff:}. What it leaves out is
 * {@link RestartPolicy#DEFAULT}'s, except that the program is not restarted by default.
 */
final class RestartSetting {
  private final Problems problems;

  RestartSetting(Problems problems) {
    this.problems = problems;
  }

  /** The policy of the service whose settings {@code keys} reads, at {@code path} in the file. */
  RestartPolicy read(MapReader keys, String path, boolean program) {
    RestartPolicy defaults = program ? withMode(RestartPolicy.DEFAULT, RestartPolicy.Mode.NO)
        : RestartPolicy.DEFAULT;
    Optional<Node> written = keys.node("restart");
    if (written.isEmpty()) {
      return defaults;
    }
    if (written.get() instanceof Node.Mapping map) {
      MapReader policy = new MapReader(map, path + ".restart", DeployFile.RESTART_KEYS, problems);
      RestartPolicy.Mode mode = policy.entry("policy").isPresent()
          ? mode(policy, "policy").orElse(defaults.mode()) : defaults.mode();
      int max = policy.count("max_restarts").orElse(defaults.maxRestarts());
      Duration window = policy.duration("window", Duration.ofSeconds(1), null)
          .orElse(defaults.window());
      Optional<Duration> backoffRead = policy.duration("backoff", Duration.ZERO,
          Duration.ofMinutes(10));
      // a backoff reported as wrong is not compared: the default in its place would mislead
      boolean backoffWrong = backoffRead.isEmpty() && policy.entry("backoff").isPresent();
      Duration backoff = backoffRead.orElse(defaults.initialBackoff());
      Duration maxBackoff = policy.duration("max_backoff", Duration.ZERO, Duration.ofHours(1))
          .orElse(defaults.maxBackoff());
      if (maxBackoff.compareTo(backoff) < 0 && policy.entry("max_backoff").isPresent()
          && !backoffWrong) {
        Node.Entry at = policy.entry("max_backoff").get();
        problems.report(at.value(), keys.name("restart.max_backoff") + " ("
            + MapReader.format(maxBackoff) + ") is shorter than backoff ("
            + MapReader.format(backoff) + "); make it at least as long");
      }
      return new RestartPolicy(mode, max, window, backoff, maxBackoff.compareTo(backoff) < 0
          ? backoff : maxBackoff);
    }
    return withMode(defaults, mode(keys, "restart").orElse(defaults.mode()));
  }

  /** {@code policy} but for its mode. */
  private static RestartPolicy withMode(RestartPolicy policy, RestartPolicy.Mode mode) {
    return new RestartPolicy(mode, policy.maxRestarts(), policy.window(),
        policy.initialBackoff(), policy.maxBackoff());
  }

  private Optional<RestartPolicy.Mode> mode(MapReader keys, String key) {
    Optional<Node> node = keys.node(key);
    if (node.isEmpty()) {
      return Optional.empty();
    }
    // YAML 1.1 reads a bare no as false; accept it as the policy the user wrote.
    if (node.get() instanceof Node.Scalar s && s.kind() == Node.Scalar.Kind.FALSE
        && s.text().equalsIgnoreCase("no")) {
      return Optional.of(RestartPolicy.Mode.NO);
    }
    String what = "no, on-failure or always, or a map with policy:, max_restarts:, window:, "
        + "backoff: and max_backoff:";
    if (node.get() instanceof Node.Scalar s && s.kind() == Node.Scalar.Kind.STRING) {
      for (RestartPolicy.Mode mode : RestartPolicy.Mode.values()) {
        if (mode.yaml().equals(s.text())) {
          return Optional.of(mode);
        }
      }
      String hint = DidYouMean.closest(s.text(), List.of("no", "on-failure", "always"))
          .map(m -> "; did you mean " + m + "?").orElse("");
      problems.report(s, keys.name(key) + " must be no, on-failure or always, not \"" + s.text()
          + "\"" + hint);
      return Optional.empty();
    }
    problems.report(node.get(), keys.name(key) + " must be " + what + ", not "
        + node.get().describe());
    return Optional.empty();
  }
}
