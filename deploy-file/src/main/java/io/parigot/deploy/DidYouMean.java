package io.parigot.deploy;

import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * Finds the word a user probably meant when they wrote one deploy.yaml does not know, or a
 * service name that is no service of the deployment a verb acts on.
 */
public final class DidYouMean {

  /**
   * Words people bring from docker compose, Kubernetes or Java, which no edit distance would
   * connect to ours.
   */
  private static final Map<String, String> HABITS = Map.ofEntries(
      Map.entry("environment", "env"),
      Map.entry("main_class", "main"),
      Map.entry("mainclass", "main"),
      Map.entry("class", "main"),
      Map.entry("jvm_args", "jvm_options"),
      Map.entry("java_options", "jvm_options"),
      Map.entry("java_opts", "jvm_options"),
      Map.entry("java_home", "java"),
      Map.entry("jdk", "java"),
      Map.entry("jre", "java"),
      Map.entry("command", "args"),
      Map.entry("arguments", "args"),
      Map.entry("depends_on", "requires"),
      Map.entry("provides", "exports"),
      Map.entry("restart_policy", "restart"),
      Map.entry("never", "no"),
      Map.entry("unless_stopped", "always"),
      Map.entry("max_retries", "max_restarts"),
      Map.entry("timeout", "startup_timeout"),
      Map.entry("entrypoint", "main"));

  /**
   * docker compose's keys that parigot has no key for, with what parigot does instead: a "did
   * you mean" would name an unrelated key ('profiles' is two edits from 'exports').
   */
  private static final Map<String, String> COMPOSE_SERVICE_KEYS = Map.ofEntries(
      Map.entry("healthcheck", "parigot has no health check: a service is ready once its launch "
          + "succeeded and its ready() hook ran (docs/sdk.md#launch-ready-locate)"),
      Map.entry("working_dir", "every service runs in the directory of deploy.yaml"),
      Map.entry("ports", "a service listens on a loopback port of its own, which callers find "
          + "with Locate (parigot ps shows it); there is nothing to publish"),
      Map.entry("expose", "a service listens on a loopback port of its own, which callers find "
          + "with Locate (parigot ps shows it); there is nothing to publish"),
      Map.entry("image", "name the service's code with jar:, or classpath: and main:"),
      Map.entry("build", "build the jars first (./mvnw package); name them with jar:, or "
          + "classpath: and main:"),
      Map.entry("replicas", "a deployment runs one service per interface, so that Locate "
          + "names one"),
      Map.entry("deploy", "a deployment runs one service per interface, so that Locate "
          + "names one; restart: is the restart policy"),
      Map.entry("scale", "a deployment runs one service per interface, so that Locate "
          + "names one"),
      Map.entry("profiles", "a deployment starts all its services; put a subset in a "
          + "deploy.yaml of its own"));

  private DidYouMean() {}

  /**
   * What parigot does instead of docker compose's {@code written}, for a key of a service
   * (whose keys are {@code valid}) or {@code version} at the top level; empty for any other.
   */
  static Optional<String> instead(String written, List<String> valid) {
    String normal = normal(written);
    if (valid.contains("services")) {
      return normal.equals("version")
          ? Optional.of("deploy.yaml has no version: remove it") : Optional.empty();
    }
    return valid.contains("main")
        ? Optional.ofNullable(COMPOSE_SERVICE_KEYS.get(normal)) : Optional.empty();
  }

  /** The valid word closest to {@code written}, if one is close enough to be a slip. */
  public static Optional<String> closest(String written, List<String> valid) {
    String normal = normal(written);
    // Two edits catch most typos; on short words two edits already reach unrelated words.
    int allowed = Math.max(1, Math.min(2, written.length() / 3));
    for (Map.Entry<String, String> habit : HABITS.entrySet()) {
      if (valid.contains(habit.getValue()) && distance(normal, habit.getKey()) <= allowed) {
        return Optional.of(habit.getValue());
      }
    }
    String best = null;
    int bestDistance = Integer.MAX_VALUE;
    for (String word : valid) {
      int distance = distance(normal, normal(word));
      if (distance < bestDistance) {
        best = word;
        bestDistance = distance;
      }
    }
    return bestDistance <= allowed ? Optional.ofNullable(best) : Optional.empty();
  }

  /** jvmOptions, JVM-OPTIONS and jvm_options all count as the same spelling. */
  private static String normal(String word) {
    return word.replaceAll("([a-z0-9])([A-Z])", "$1_$2").toLowerCase(Locale.ROOT)
        .replace('-', '_');
  }

  /** Levenshtein distance, with a swap of two neighbouring letters counted as one edit. */
  static int distance(String a, String b) {
    int[][] d = new int[a.length() + 1][b.length() + 1];
    for (int i = 0; i <= a.length(); i++) {
      d[i][0] = i;
    }
    for (int j = 0; j <= b.length(); j++) {
      d[0][j] = j;
    }
    for (int i = 1; i <= a.length(); i++) {
      for (int j = 1; j <= b.length(); j++) {
        int cost = a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1;
        d[i][j] = Math.min(Math.min(d[i - 1][j] + 1, d[i][j - 1] + 1), d[i - 1][j - 1] + cost);
        if (i > 1 && j > 1 && a.charAt(i - 1) == b.charAt(j - 2)
            && a.charAt(i - 2) == b.charAt(j - 1)) {
          d[i][j] = Math.min(d[i][j], d[i - 2][j - 2] + 1);
        }
      }
    }
    return d[a.length()][b.length()];
  }
}
