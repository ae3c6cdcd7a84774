package io.parigot.orchestrator.cli;

import java.util.List;

/** How the verbs that take NAME... (logs, ps) say which of the names given they cannot act on. */
final class ServiceNames {
  private ServiceNames() {}

  /** {@code service "a"}, {@code services "a" and "b"}, {@code services "a", "b" and "c"}. */
  static String said(List<String> names) {
    return (names.size() == 1 ? "service " : "services ") + quoted(names);
  }

  /** {@code "a"}, {@code "a" and "b"}, {@code "a", "b" and "c"}. */
  static String quoted(List<String> names) {
    List<String> each = names.stream().map(n -> "\"" + n + "\"").toList();
    int last = each.size() - 1;
    return last == 0 ? each.get(0)
        : String.join(", ", each.subList(0, last)) + " and " + each.get(last);
  }
}
