package io.parigot.deploy;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * A service's {@code requires:} and {@code exports:} in deploy.yaml against what its code declares
 * when it registers. Both lists are optional; when one is there, it must name the same services as
 * the code: the checks made before anything starts (cycles, requirements nobody exports) trusted
 * it, so a list that misses what the code declares, or names what the code does not, is out of
 * date. {@code parigot up} and together mode check it as each service registers.
 */
public final class FileAgainstCode {
  private FileAgainstCode() {}

  /** What is wrong with the file's requires:, with where, or empty when it agrees or is absent. */
  public static Optional<String> requires(ServiceSpec spec, Set<String> requiredByCode) {
    return mismatch(spec, "requires", "require", spec.requires(), spec.requiresAt(),
        requiredByCode);
  }

  /** What is wrong with the file's exports:, with where, or empty when it agrees or is absent. */
  public static Optional<String> exports(ServiceSpec spec, Set<String> exportedByCode) {
    return mismatch(spec, "exports", "export", spec.exports(), spec.exportsAt(), exportedByCode);
  }

  private static Optional<String> mismatch(ServiceSpec spec, String key, String verb,
      List<String> listed, Optional<Position> at, Set<String> byCode) {
    if (at.isEmpty()) {
      return Optional.empty();
    }
    Set<String> inFile = new LinkedHashSet<>(listed);
    List<String> missing = new ArrayList<>(byCode);
    missing.removeAll(inFile);
    List<String> extra = new ArrayList<>(inFile);
    extra.removeAll(byCode);
    if (missing.isEmpty() && extra.isEmpty()) {
      return Optional.empty();
    }
    StringBuilder text = new StringBuilder();
    text.append(at.get()).append(": service \"").append(spec.name()).append("\" has ")
        .append(key).append(": ").append(list(inFile)).append(" in ")
        .append(at.get().file().getFileName()).append(", but its code ").append(key).append(' ')
        .append(list(byCode)).append('.');
    if (!missing.isEmpty()) {
      text.append("\n  The code ").append(key).append(", the file does not list: ")
          .append(String.join(", ", missing)).append('.');
    }
    if (!extra.isEmpty()) {
      text.append("\n  The file lists, the code does not ").append(verb).append(": ")
          .append(String.join(", ", extra)).append('.');
    }
    text.append("\n  Make ").append(key).append(": ").append(list(byCode))
        .append(" (what the code says), or remove the ").append(key)
        .append(": key to let the code decide.");
    return Optional.of(text.toString());
  }

  private static String list(Set<String> names) {
    return "[" + String.join(", ", names) + "]";
  }
}
