package io.parigot.deploy;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The requirement graph of a deploy.yaml as far as the file declares it, from the services'
 * requires: and exports:. One service per interface; a cycle is an error, since no service in it
 * could ever start; and so is a requirement nobody exports, when every service but the program
 * says what it exports ({@code exports: []} says it exports nothing). What the services' code
 * declares when it registers is checked against the file later, by {@link FileAgainstCode}.
 */
final class RequirementGraph {
  private RequirementGraph() {}

  /**
   * Reports each interface two services export, the first requirement cycle, and, when every
   * service but the program says what it exports, each requirement nobody exports.
   *
   * @param requiredItems per service, those with problems of their own too, where in the file
   *     each of its requires: entries is
   * @param unreadExports what the services not in {@code services} (for problems of their own)
   *     export, as far as the file says: no requirement of those is one nobody exports
   * @param unreadExportUnknown whether one of those services may export more than that (it has
   *     no exports:): then no requirement is said to be one nobody exports
   */
  static void check(List<ServiceSpec> services,
      Map<String, Map<String, Node.Scalar>> requiredItems, Set<String> unreadExports,
      boolean unreadExportUnknown, Problems problems) {
    Map<String, ServiceSpec> exporter = new HashMap<>();
    for (ServiceSpec s : services) {
      for (String export : s.exports()) {
        ServiceSpec other = exporter.putIfAbsent(export, s);
        if (other != null) {
          problems.report(s.line(), s.column(), "services " + other.name() + " and " + s.name()
              + " both export " + export + "; a deployment runs one service per interface");
        }
      }
    }
    boolean allDeclare = !services.isEmpty() && !unreadExportUnknown
        && services.stream().allMatch(s -> s.exportsAt().isPresent() || s.isProgram());
    Map<String, List<ServiceSpec>> edges = new LinkedHashMap<>();
    for (ServiceSpec s : services) {
      List<ServiceSpec> deps = new ArrayList<>();
      for (String required : s.requires()) {
        ServiceSpec by = exporter.get(required);
        Node.Scalar at = requiredItems.getOrDefault(s.name(), Map.of()).get(required);
        int line = at == null ? s.line() : at.line();
        int column = at == null ? s.column() : at.column();
        if (by != null) {
          deps.add(by);
        } else if (allDeclare && !unreadExports.contains(required)) {
          problems.report(line, column, nobodyExports(s.name(), required));
        }
      }
      edges.put(s.name(), deps);
    }
    // a service left out for a problem of its own still declares what it requires: one that
    // nobody exports is a second problem to fix, said now rather than after the first is fixed
    Set<String> read = new HashSet<>(services.stream().map(ServiceSpec::name).toList());
    requiredItems.forEach((service, required) -> required.forEach((name, at) -> {
      if (allDeclare && !read.contains(service) && !exporter.containsKey(name)
          && !unreadExports.contains(name)) {
        problems.report(at, nobodyExports(service, name));
      }
    }));
    Set<String> done = new LinkedHashSet<>();
    for (ServiceSpec s : services) {
      List<String> cycle = findCycle(s.name(), edges, new ArrayList<>(), done);
      if (!cycle.isEmpty()) {
        ServiceSpec first = services.stream().filter(x -> x.name().equals(cycle.get(0)))
            .findFirst().orElse(s);
        problems.report(first.line(), first.column(), "requirement cycle: "
            + String.join(" -> ", cycle) + "; no service in it could ever start. Break the "
            + "cycle: one of them must not require the next");
        return;
      }
    }
  }

  private static List<String> findCycle(String at, Map<String, List<ServiceSpec>> edges,
      List<String> path, Set<String> done) {
    int index = path.indexOf(at);
    if (index >= 0) {
      List<String> cycle = new ArrayList<>(path.subList(index, path.size()));
      cycle.add(at);
      return cycle;
    }
    if (done.contains(at)) {
      return List.of();
    }
    path.add(at);
    for (ServiceSpec next : edges.getOrDefault(at, List.of())) {
      List<String> cycle = findCycle(next.name(), edges, path, done);
      if (!cycle.isEmpty()) {
        return cycle;
      }
    }
    path.remove(path.size() - 1);
    done.add(at);
    return List.of();
  }

  private static String nobodyExports(String service, String required) {
    return "service " + service + " requires " + required + ", which no service of the "
        + "deployment exports; add the service that does, or remove the requirement";
  }
}
