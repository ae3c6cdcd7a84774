package io.parigot.orchestrator.supervise;

import io.parigot.deploy.DidYouMean;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;

/**
 * What parigot says of the service names a verb was given that are no service of the running
 * deployment: kill, stop, start and restart (said by the orchestrator), ps and logs (by the CLI)
 * say it in the same words.
 */
public final class ServiceNames {
  private ServiceNames() {}

  /**
   * What is wrong with the {@code names} that are not among {@code running}: each one with the
   * service it is a slip of, or, for one in {@code leftOut} (in deploy.yaml, left out by {@code
   * parigot up FILE SERVICE...}), that it was left out. Empty when every one runs.
   */
  public static Optional<String> notRunning(String deployment, List<String> names,
      Collection<String> running, Collection<String> leftOut) {
    List<String> unknown = new ArrayList<>();
    List<String> notStarted = new ArrayList<>();
    for (String name : new LinkedHashSet<>(names)) {
      if (!running.contains(name)) {
        (leftOut.contains(name) ? notStarted : unknown).add(name);
      }
    }
    if (unknown.isEmpty() && notStarted.isEmpty()) {
      return Optional.empty();
    }
    if (unknown.isEmpty() && notStarted.size() == 1) {
      // the user may well have forgotten which they named to up
      return Optional.of("service \"" + notStarted.get(0) + "\" of deployment \"" + deployment
          + "\" is not running: " + leftOut(notStarted, running));
    }
    List<String> said = new ArrayList<>();
    if (!unknown.isEmpty()) {
      said.add("no " + plural(unknown, "service ", "services ") + nearly(unknown, running)
          + " in deployment \"" + deployment + "\"");
    }
    if (!notStarted.isEmpty()) {
      said.add(plural(notStarted, "service ", "services ") + quoted(notStarted)
          + plural(notStarted, " is", " are") + " not running: "
          + plural(notStarted, "it was", "they were") + " left out of this run; to run "
          + plural(notStarted, "it", "them") + " too, stop the deployment and name "
          + plural(notStarted, "it", "them") + " to parigot up");
    }
    return Optional.of(String.join("; ", said) + " (services: " + String.join(", ", running)
        + ")");
  }

  /**
   * That the {@code names} were left out, and how to run them: {@code it was left out, as up
   * started only cart, store (those named and what they require); to run it too, ...}.
   */
  public static String leftOut(List<String> names, Collection<String> running) {
    return plural(names, "it was", "they were") + " left out, as up started only "
        + String.join(", ", running) + " (those named and what they require); to run "
        + plural(names, "it", "them") + " too, stop the deployment and name "
        + plural(names, "it", "them") + " to parigot up";
  }

  /**
   * {@code names}, none of them among {@code services}, each with the service it is a slip of,
   * as up says them: {@code "stroe" (did you mean store?) and "nope"}.
   */
  public static String nearly(List<String> names, Collection<String> services) {
    List<String> valid = List.copyOf(services);
    return joined(names.stream().map(n -> "\"" + n + "\"" + DidYouMean.closest(n, valid)
        .map(c -> " (did you mean " + c + "?)").orElse("")).toList());
  }

  /** {@code "a"}, {@code "a" and "b"}, {@code "a", "b" and "c"}. */
  public static String quoted(List<String> names) {
    return joined(names.stream().map(n -> "\"" + n + "\"").toList());
  }

  /** {@code one} for a single name, else {@code many}. */
  public static String plural(List<String> names, String one, String many) {
    return names.size() == 1 ? one : many;
  }

  private static String joined(List<String> each) {
    int last = each.size() - 1;
    return last == 0 ? each.get(0)
        : String.join(", ", each.subList(0, last)) + " and " + each.get(last);
  }
}
