package io.parigot.orchestrator.cli;

import io.parigot.deploy.DidYouMean;
import java.util.List;

/** How the verbs that take NAME... (logs, ps) say which of the names given they cannot act on. */
final class ServiceNames {
  private ServiceNames() {}

  /**
   * Names that are none of {@code services}, each with the service it is a slip of, as up says
   * them: {@code service "stroe" (did you mean store?)}, {@code services "stroe" (did you mean
   * store?) and "nope"}.
   */
  static String said(List<String> names, List<String> services) {
    return (names.size() == 1 ? "service " : "services ") + joined(names.stream()
        .map(n -> "\"" + n + "\"" + DidYouMean.closest(n, services)
            .map(c -> " (did you mean " + c + "?)").orElse("")).toList());
  }

  /** {@code "a"}, {@code "a" and "b"}, {@code "a", "b" and "c"}. */
  static String quoted(List<String> names) {
    return joined(names.stream().map(n -> "\"" + n + "\"").toList());
  }

  private static String joined(List<String> each) {
    int last = each.size() - 1;
    return last == 0 ? each.get(0)
        : String.join(", ", each.subList(0, last)) + " and " + each.get(last);
  }
}
