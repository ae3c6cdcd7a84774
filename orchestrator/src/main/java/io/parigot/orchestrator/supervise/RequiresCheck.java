package io.parigot.orchestrator.supervise;

import io.parigot.orchestrator.deploy.ServiceSpec;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * A service's {@code requires:} in deploy.yaml against the requirements its code declares when it
 * registers. The file's list is optional; when it is there, the two must name the same services:
 * the checks made before anything starts (cycles, requirements nobody exports) trusted it, so a
 * list that misses what the code requires, or names what the code does not, is out of date.
 */
final class RequiresCheck {
  private RequiresCheck() {}

  /** What is wrong, with where in the file, or empty when the file agrees or lists nothing. */
  static Optional<String> mismatch(ServiceSpec spec, Set<String> declaredByCode) {
    if (spec.requiresAt().isEmpty()) {
      return Optional.empty();
    }
    Set<String> inFile = new LinkedHashSet<>(spec.requires());
    List<String> missing = new ArrayList<>(declaredByCode);
    missing.removeAll(inFile);
    List<String> extra = new ArrayList<>(inFile);
    extra.removeAll(declaredByCode);
    if (missing.isEmpty() && extra.isEmpty()) {
      return Optional.empty();
    }
    StringBuilder text = new StringBuilder();
    text.append(spec.requiresAt().get()).append(": service \"").append(spec.name())
        .append("\" has requires: ").append(list(inFile)).append(" in ")
        .append(spec.requiresAt().get().file().getFileName()).append(", but its code requires ")
        .append(list(declaredByCode)).append('.');
    if (!missing.isEmpty()) {
      text.append("\n  The code requires, the file does not list: ").append(String.join(", ",
          missing)).append('.');
    }
    if (!extra.isEmpty()) {
      text.append("\n  The file lists, the code does not require: ").append(String.join(", ",
          extra)).append('.');
    }
    text.append("\n  Make requires: ").append(list(declaredByCode))
        .append(" (what the code says), or remove the requires: key to let the code decide.");
    return Optional.of(text.toString());
  }

  private static String list(Set<String> names) {
    return "[" + String.join(", ", names) + "]";
  }
}
