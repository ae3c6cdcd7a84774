package io.parigot.deploy;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** The problems found so far in one deploy.yaml; reading goes on after each so all are reported. */
final class Problems {
  private final Path file;
  private final List<Problem> found = new ArrayList<>();
  /**
   * Where the aliases of no anchor are ({@code *nosuch}), said there once: what the file says of
   * a value that stands for nothing is about the same slip, so it is counted but not said again.
   */
  private final Set<Long> aliasesOfNothing = new HashSet<>();
  /** Where the maps are that merge an alias of no anchor: what keys they hold is not known. */
  private final Set<Long> partialMaps = new HashSet<>();
  /** The problems found at an alias of no anchor after it was said. */
  private int unsaid;

  Problems(Path file) {
    this.file = file;
  }

  private static long at(int line, int column) {
    return (long) line << 32 | column;
  }

  void report(int line, int column, String message) {
    if (aliasesOfNothing.contains(at(line, column))) {
      unsaid++;
      return;
    }
    found.add(new Problem(file, line, column, message));
  }

  /**
   * Reports the alias of no anchor at {@code line}:{@code column}; the value it stands for reads
   * as its name, and what is found wrong with it there is said by this problem alone.
   */
  void reportAliasOfNothing(int line, int column, String message) {
    report(line, column, message);
    aliasesOfNothing.add(at(line, column));
  }

  /** Marks {@code map} as merging an alias of no anchor ({@code <<: *nosuch}). */
  void markPartial(int line, int column) {
    partialMaps.add(at(line, column));
  }

  /**
   * Whether {@code map} merges an alias of no anchor: a key it lacks may be the alias's once it
   * is mended, so that no key is said to be missing from it.
   */
  boolean isPartial(Node.Mapping map) {
    return partialMaps.contains(at(map.line(), map.column()));
  }

  /** Whether {@code node} is, or holds, an alias of no anchor or a map that merges one. */
  boolean holdsAliasOfNothing(Node node) {
    if (aliasesOfNothing.isEmpty()) {
      return false;
    }
    if (node instanceof Node.Sequence list) {
      return list.items().stream().anyMatch(this::holdsAliasOfNothing);
    }
    if (node instanceof Node.Mapping map) {
      return isPartial(map)
          || map.entries().stream().anyMatch(e -> holdsAliasOfNothing(e.value()));
    }
    return aliasesOfNothing.contains(at(node.line(), node.column()));
  }

  /** A problem in another file than the deploy.yaml: its .env, say. */
  void report(Path in, int line, int column, String message) {
    found.add(new Problem(in, line, column, message));
  }

  void report(Node at, String message) {
    report(at.line(), at.column(), message);
  }

  /** A problem with the file as a whole, such as not being readable. */
  void reportFile(String message) {
    report(0, 0, message);
  }

  /** How many so far: a reader compares counts to learn whether its part was clean. */
  int count() {
    return found.size() + unsaid;
  }

  void throwIfAny() throws DeployFileException {
    if (!found.isEmpty()) {
      throw new DeployFileException(sharedOnce(found));
    }
  }

  /**
   * {@code problems} with those of one shared value said once: a value anchored once and merged
   * into three services ({@code <<: *defaults}) is one place to fix, whose problem each service
   * reports in words that differ only by the service's name. The first says it, naming the
   * others: {@code services.cart.budget must be ... (the same in store, shopper: they share
   * the value)}.
   */
  static List<Problem> sharedOnce(List<Problem> problems) {
    List<Problem> said = new ArrayList<>();
    Map<Problem, List<String>> sharers = new LinkedHashMap<>();
    Map<Problem, String> firstName = new HashMap<>();
    for (Problem p : problems) {
      Problem same = null;
      String[] names = null;
      for (Problem earlier : said) {
        if (earlier.line() > 0 && earlier.file().equals(p.file()) && earlier.line() == p.line()
            && earlier.column() == p.column()) {
          names = differingName(earlier.message(), p.message());
          if (names != null && (!firstName.containsKey(earlier)
              || firstName.get(earlier).equals(names[0]))) {
            same = earlier;
            break;
          }
        }
      }
      if (same == null) {
        said.add(p);
      } else {
        firstName.put(same, names[0]);
        sharers.computeIfAbsent(same, k -> new ArrayList<>()).add(names[1]);
      }
    }
    return said.stream().map(p -> !sharers.containsKey(p) ? p : new Problem(p.file(), p.line(),
        p.column(), p.message() + " (the same in " + String.join(", ", sharers.get(p))
            + ": they share the value)")).toList();
  }

  /**
   * The one name by which {@code a} and {@code b} differ (a service's, "cart" and "store"),
   * or null when they differ otherwise or not at all.
   */
  private static String[] differingName(String a, String b) {
    int start = 0;
    while (start < a.length() && start < b.length() && a.charAt(start) == b.charAt(start)) {
      start++;
    }
    if (start == a.length() && start == b.length()) {
      return null;
    }
    int endA = a.length();
    int endB = b.length();
    while (endA > start && endB > start && a.charAt(endA - 1) == b.charAt(endB - 1)) {
      endA--;
      endB--;
    }
    // out to the whole name: "store" and "score" differ by one letter, not by "t" and "c"
    while (start > 0 && isNameChar(a.charAt(start - 1))) {
      start--;
    }
    while (endA < a.length() && isNameChar(a.charAt(endA))) {
      endA++;
      endB++;
    }
    String nameA = a.substring(start, endA);
    String nameB = b.substring(start, endB);
    boolean names = !nameA.isEmpty() && !nameB.isEmpty()
        && nameA.chars().allMatch(c -> isNameChar((char) c))
        && nameB.chars().allMatch(c -> isNameChar((char) c));
    return names ? new String[] {nameA, nameB} : null;
  }

  private static boolean isNameChar(char c) {
    return c >= 'a' && c <= 'z' || c >= '0' && c <= '9' || c == '-' || c == '_';
  }
}
