package io.parigot.sdk;

import io.parigot.control.v1.Endpoint;
import io.parigot.control.v1.Location;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * The name server of services running {@link Together}: the same rules as the orchestrator's
 * (requirements answered once ready; NOT_IN_DEPLOYMENT, CRASHED and CYCLE decided once every
 * service has registered or is gone), for threads of one JVM. Answers are delivered outside the
 * lock, on the thread whose call decided them.
 */
final class TogetherNames {
  /** The answer to a service waiting for its requirements. */
  record Answer(List<Location> locations, LaunchFailure failure) {}

  private final Map<String, Entry> services = new LinkedHashMap<>();
  private final Map<String, Consumer<Answer>> waiting = new LinkedHashMap<>();

  TogetherNames(List<String> serviceNames) {
    for (String name : serviceNames) {
      services.put(name, new Entry(name));
    }
  }

  void registered(String service, List<String> exports, List<String> requires, Endpoint endpoint) {
    deliver(() -> {
      Entry entry = services.get(service);
      entry.registered = true;
      entry.gone = false;
      entry.ready = false;
      entry.exports = List.copyOf(exports);
      entry.requires = List.copyOf(requires);
      entry.endpoint = endpoint;
    });
  }

  void ready(String service) {
    deliver(() -> services.get(service).ready = true);
  }

  /**
   * The service ended (exited, or its main threw) with {@code exitCode} and will not come back;
   * those that require it fail their launch with CRASHED, told {@code cause}.
   */
  void gone(String service, int exitCode, String cause) {
    deliver(() -> {
      Entry entry = services.get(service);
      leave(entry, entry.ready
          ? "is gone: it exited with code " + exitCode + (cause == null ? "" : ": " + cause)
          : "crashed before it was ready (exit code " + exitCode + ")"
              + (cause == null ? "" : ": " + cause));
    });
  }

  /** The service's loop is wedged: it is marked failed, as a killed JVM would be. */
  void wedged(String service, String why) {
    deliver(() -> leave(services.get(service), "is gone: " + why));
  }

  private void leave(Entry entry, String what) {
    if (entry.gone) {
      return;
    }
    entry.ready = false;
    entry.registered = false;
    entry.gone = true;
    entry.goneWhat = what;
    waiting.remove(entry.name);
  }

  void await(String service, Consumer<Answer> answer) {
    deliver(() -> waiting.put(service, answer));
  }

  /** Fails the wait of {@code service}, if it still waits, with NOT_READY_IN_TIME. */
  void notReadyInTime(String service, String limit) {
    Consumer<Answer> answer;
    synchronized (this) {
      answer = waiting.remove(service);
    }
    if (answer != null) {
      answer.accept(failed(LaunchFailure.Reason.NOT_READY_IN_TIME, "service \"" + service
          + "\": its requirements were not ready within " + limit + " (still waiting for: "
          + String.join(", ", notReady(service)) + ")"));
    }
  }

  private synchronized List<String> notReady(String service) {
    List<String> names = new ArrayList<>();
    for (String required : services.get(service).requires) {
      Optional<Entry> exporter = exporterOf(required);
      if (exporter.isEmpty() || !exporter.get().ready) {
        names.add(required);
      }
    }
    return names;
  }

  /** Applies {@code change} under the lock, then hands out the answers it decided. */
  private void deliver(Runnable change) {
    Map<Consumer<Answer>, Answer> answers;
    synchronized (this) {
      change.run();
      answers = resolve();
    }
    answers.forEach(Consumer::accept);
  }

  private Optional<Entry> exporterOf(String interfaceName) {
    return services.values().stream()
        .filter(e -> e.registered && e.exports.contains(interfaceName))
        .findFirst();
  }

  private boolean allSettled() {
    return services.values().stream().allMatch(e -> e.registered || e.gone);
  }

  private Map<Consumer<Answer>, Answer> resolve() {
    boolean settled = allSettled();
    Map<String, Answer> answers = new LinkedHashMap<>();
    for (String name : waiting.keySet()) {
      Answer answer = resolve(services.get(name), settled);
      if (answer != null) {
        answers.put(name, answer);
      }
    }
    if (settled) {
      for (List<String> cycle : cycles()) {
        String text = String.join(" -> ", cycle);
        for (String name : cycle.subList(0, cycle.size() - 1)) {
          if (waiting.containsKey(name)) {
            answers.putIfAbsent(name, failed(LaunchFailure.Reason.CYCLE, "service \"" + name
                + "\" is in a requirement cycle: " + text
                + ". None of them can become ready; break the cycle."));
          }
        }
      }
    }
    Map<Consumer<Answer>, Answer> delivered = new LinkedHashMap<>();
    answers.forEach((name, answer) -> delivered.put(waiting.remove(name), answer));
    return delivered;
  }

  private Answer resolve(Entry entry, boolean settled) {
    List<Location> locations = new ArrayList<>();
    for (String required : entry.requires) {
      Optional<Entry> exporter = exporterOf(required);
      if (exporter.isEmpty()) {
        Optional<Entry> goneExporter = services.values().stream()
            .filter(e -> e.gone && e.exports.contains(required)).findFirst();
        if (goneExporter.isPresent()) {
          return failed(LaunchFailure.Reason.CRASHED, "service \"" + entry.name + "\" requires "
              + required + ", but \"" + goneExporter.get().name + "\", which exports it, "
              + goneExporter.get().goneWhat);
        }
        Optional<Entry> neverRegistered = services.values().stream()
            .filter(e -> e.gone && e.exports.isEmpty() && e.goneWhat != null).findFirst();
        if (settled && neverRegistered.isPresent()) {
          return failed(LaunchFailure.Reason.CRASHED, "service \"" + entry.name + "\" requires "
              + required + ": no running service exports it, and \"" + neverRegistered.get().name
              + "\", which never registered, " + neverRegistered.get().goneWhat);
        }
        if (settled) {
          return failed(LaunchFailure.Reason.NOT_IN_DEPLOYMENT, "service \"" + entry.name
              + "\" requires " + required + ", but no service in this deployment exports it "
              + "(services here: " + String.join(", ", services.keySet()) + "). Add the service "
              + "that implements it, or remove the requirement.");
        }
        return null;
      }
      if (!exporter.get().ready) {
        return null;
      }
      locations.add(exporter.get().location(required));
    }
    return new Answer(List.copyOf(locations), null);
  }

  private static Answer failed(LaunchFailure.Reason reason, String message) {
    return new Answer(List.of(), new LaunchFailure(reason, message, null));
  }

  /** Requirement cycles among the services, each as a -> b -> a. */
  private List<List<String>> cycles() {
    Map<String, List<String>> edges = new HashMap<>();
    for (Entry entry : services.values()) {
      List<String> to = new ArrayList<>();
      for (String required : entry.requires) {
        exporterOf(required).ifPresent(e -> to.add(e.name));
      }
      edges.put(entry.name, to);
    }
    List<List<String>> found = new ArrayList<>();
    Map<String, Integer> mark = new HashMap<>();
    for (String start : services.keySet()) {
      if (!mark.containsKey(start)) {
        walk(start, edges, mark, new ArrayList<>(), found);
      }
    }
    return found;
  }

  private static void walk(String node, Map<String, List<String>> edges, Map<String, Integer> mark,
      List<String> path, List<List<String>> found) {
    mark.put(node, 1);
    path.add(node);
    for (String next : edges.getOrDefault(node, List.of())) {
      Integer state = mark.get(next);
      if (state == null) {
        walk(next, edges, mark, path, found);
      } else if (state == 1) {
        List<String> cycle = new ArrayList<>(path.subList(path.indexOf(next), path.size()));
        cycle.add(next);
        found.add(cycle);
      }
    }
    path.remove(path.size() - 1);
    mark.put(node, 2);
  }

  private static final class Entry {
    final String name;
    boolean registered;
    boolean ready;
    boolean gone;
    /** What became of it, as the end of a sentence: "crashed before it was ready (...)". */
    String goneWhat;
    List<String> exports = List.of();
    List<String> requires = List.of();
    Endpoint endpoint;

    Entry(String name) {
      this.name = name;
    }

    Location location(String interfaceName) {
      Location.Builder location = Location.newBuilder()
          .setInterfaceName(interfaceName)
          .setServiceName(name);
      if (endpoint != null) {
        location.setEndpoint(endpoint);
      }
      return location.build();
    }
  }
}
