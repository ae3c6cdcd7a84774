package io.parigot.control.naming;

import io.parigot.control.v1.Endpoint;
import io.parigot.control.v1.Location;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;
import java.util.function.Function;

/**
 * parigot's name server: which service of the deployment exports which interface, where it
 * listens and whether it is ready; and the services waiting for their requirements.
 *
 * <p>Exports are only known once a service registers, so a requirement nobody exports, or a
 * cycle, is decided once every service has registered or is gone for good. Not thread-safe: the
 * orchestrator's supervisor calls it from its one thread; together mode (one JVM) wraps it in a
 * lock. Both thereby follow the same rules.
 */
public final class NameServer {
  private final Map<String, Entry> services = new LinkedHashMap<>();
  private final Map<String, Consumer<Resolution>> waiting = new LinkedHashMap<>();
  /** The services of deploy.yaml that {@code parigot up FILE NAME...} did not start. */
  private final List<String> leftOut;

  /** A name server for a deployment of these services (their deploy.yaml names). */
  public NameServer(List<String> serviceNames) {
    this(serviceNames, List.of());
  }

  /**
   * A name server for the services {@code parigot up FILE NAME...} started, {@code leftOut}
   * being the deployment's others: a requirement nobody exports may be theirs.
   */
  public NameServer(List<String> serviceNames, List<String> leftOut) {
    for (String name : serviceNames) {
      services.put(name, new Entry(name));
    }
    this.leftOut = List.copyOf(leftOut);
  }

  /** A service's JVM registered: what it exports and requires, and where it listens. */
  public void registered(String service, List<String> exports, List<String> requires,
      Endpoint endpoint, long budgetMillis) {
    Entry entry = services.get(service);
    entry.budgetMillis = budgetMillis;
    entry.registered = true;
    entry.gone = false;
    entry.ready = false;
    entry.exports = List.copyOf(exports);
    entry.requires = List.copyOf(requires);
    entry.endpoint = endpoint;
    resolve();
  }

  /**
   * Why {@code service} may not register exporting {@code exports}, when another registered
   * service exports one of them already: a deployment runs one service per interface, since
   * Locate must name one. {@code placeOf} adds where a service is declared (" (deploy.yaml:3:3)"),
   * or nothing.
   */
  public Optional<String> secondExporter(String service, List<String> exports,
      Function<String, String> placeOf) {
    for (String export : exports) {
      Optional<String> other = exporter(export).filter(name -> !name.equals(service));
      if (other.isPresent()) {
        return Optional.of("services \"" + other.get() + "\"" + placeOf.apply(other.get())
            + " and \"" + service + "\" both export " + export + "; a deployment runs one "
            + "service per interface: remove one of them, or give each an interface of its own");
      }
    }
    return Optional.empty();
  }

  /** A service's launch succeeded: it is locatable now. */
  public void ready(String service) {
    services.get(service).ready = true;
    resolve();
  }

  /**
   * A service's JVM ended. When {@code forGood}, it will not come back, and those waiting for it
   * are told why ({@code why}, e.g. "it exited with code 0"); otherwise it is restarting and they
   * keep waiting.
   */
  public void gone(String service, boolean forGood, String why) {
    leave(service, forGood, "CRASHED", "is gone: " + why);
  }

  /**
   * A service's JVM ended before it was ever ready, and will not come back: those waiting for it
   * fail their launch with CRASHED, naming its {@code exitCode} and {@code cause}.
   */
  public void crashedAtStart(String service, int exitCode, String cause) {
    // a JVM that ends with 0 did not crash: it ended, most often a main that returned
    leave(service, true, "CRASHED", (exitCode == 0 ? "exited" : "crashed")
        + " before it was ready (exit code " + exitCode + ")"
        + (cause == null ? "" : ": " + cause));
  }

  /**
   * A service was not ready within its start-up timeout ({@code limit}, e.g. "30 s") and was
   * ended: those waiting for it fail their launch with NOT_READY_IN_TIME. {@code cause}, when not
   * null, is what it said as it exited.
   */
  public void notReadyInTime(String service, String limit, String cause) {
    leave(service, true, "NOT_READY_IN_TIME", "was not ready in time (its startup_timeout is "
        + limit + ")" + (cause == null ? "" : ": " + cause));
  }

  private void leave(String service, boolean forGood, String reason, String what) {
    Entry entry = services.get(service);
    if (entry.gone) {
      return; // gone for good already, and why was said then
    }
    entry.ready = false;
    entry.registered = false;
    entry.gone = forGood;
    entry.goneReason = reason;
    entry.goneWhat = what;
    waiting.remove(service);
    resolve();
  }

  /** Whether {@code service} is ready: registered, launched, and not gone since. */
  public boolean isReady(String service) {
    return services.get(service).ready;
  }

  /** Whether {@code service} waits for its requirements (an AwaitRequirements not answered yet). */
  public boolean isWaiting(String service) {
    return waiting.containsKey(service);
  }

  /**
   * Fails the wait of {@code service}, if it still waits, with NOT_READY_IN_TIME: its own
   * start-up timeout ({@code limit}) ran out while its requirements were not ready. Returns
   * whether it waited.
   */
  public boolean waitedTooLong(String service, String limit) {
    Consumer<Resolution> answer = waiting.remove(service);
    if (answer == null) {
      return false;
    }
    List<String> missing = new ArrayList<>();
    for (String required : services.get(service).requires) {
      Optional<Entry> exporter = exporterOf(required);
      if (exporter.isEmpty()) {
        missing.add(required + " (no service exports it yet)");
      } else if (!exporter.get().ready) {
        missing.add(required + " (\"" + exporter.get().name + "\" is not ready)");
      }
    }
    answer.accept(Resolution.failed("NOT_READY_IN_TIME", "service \"" + service
        + "\": its requirements were not ready within its startup_timeout of " + limit
        + "; still waiting for " + String.join(", ", missing)));
    return true;
  }

  /**
   * Calls {@code answer} (once, on the caller's thread) when every requirement of {@code
   * service} is ready, or when one never will be.
   */
  public void await(String service, Consumer<Resolution> answer) {
    waiting.put(service, answer);
    resolve();
  }

  /** Where the ready service that exports {@code interfaceName} is. */
  public Optional<Location> locate(String interfaceName) {
    return exporterOf(interfaceName).filter(e -> e.ready).map(e -> e.location(interfaceName));
  }

  /** The name of the service that exports {@code interfaceName}, once it registered. */
  public Optional<String> exporter(String interfaceName) {
    return exporterOf(interfaceName).map(e -> e.name);
  }

  private Optional<Entry> exporterOf(String interfaceName) {
    return services.values().stream()
        .filter(e -> e.registered && e.exports.contains(interfaceName))
        .findFirst();
  }

  private boolean allSettled() {
    return services.values().stream().allMatch(e -> e.registered || e.gone);
  }

  private void resolve() {
    boolean settled = allSettled();
    Map<String, Resolution> answers = new LinkedHashMap<>();
    for (String name : waiting.keySet()) {
      Entry entry = services.get(name);
      Resolution answer = resolve(entry, settled);
      if (answer != null) {
        answers.put(name, answer);
      }
    }
    if (settled) {
      for (List<String> cycle : cycles()) {
        String text = String.join(" -> ", cycle);
        for (String name : cycle.subList(0, cycle.size() - 1)) {
          if (waiting.containsKey(name)) {
            answers.putIfAbsent(name, Resolution.failed("CYCLE", "service \"" + name
                + "\" is in a requirement cycle: " + text
                + ". None of them can become ready; break the cycle."));
          }
        }
      }
    }
    answers.forEach((name, answer) -> waiting.remove(name).accept(answer));
  }

  private Resolution resolve(Entry entry, boolean settled) {
    List<Location> locations = new ArrayList<>();
    for (String required : entry.requires) {
      Optional<Entry> exporter = exporterOf(required);
      if (exporter.isEmpty()) {
        Optional<Entry> goneExporter = services.values().stream()
            .filter(e -> e.gone && e.exports.contains(required)).findFirst();
        if (goneExporter.isPresent()) {
          Entry gone = goneExporter.get();
          return Resolution.failed(gone.goneReason, "service \"" + entry.name + "\" requires "
              + required + ", but \"" + gone.name + "\", which exports it, " + gone.goneWhat);
        }
        Optional<Entry> neverRegistered = services.values().stream()
            .filter(e -> e.gone && e.exports.isEmpty() && e.goneWhat != null).findFirst();
        if (settled && neverRegistered.isPresent()) {
          Entry gone = neverRegistered.get();
          return Resolution.failed(gone.goneReason, "service \"" + entry.name + "\" requires "
              + required + ": no running service exports it, and \"" + gone.name
              + "\", which never registered, " + gone.goneWhat);
        }
        if (settled && !leftOut.isEmpty()) {
          return Resolution.failed("NOT_IN_DEPLOYMENT", "service \"" + entry.name + "\" requires "
              + required + ", but no started service exports it (started: "
              + String.join(", ", services.keySet()) + "). Its exporter may be among the "
              + "services parigot up left out (" + String.join(", ", leftOut) + "): name it on "
              + "the command line too, or add " + required + " to the requires: of \""
              + entry.name + "\" in deploy.yaml, and to the exports: of its exporter, so that "
              + "parigot up " + entry.name + " starts that too.");
        }
        if (settled) {
          return Resolution.failed("NOT_IN_DEPLOYMENT", "service \"" + entry.name + "\" requires "
              + required + ", but no service in this deployment exports it (services here: "
              + String.join(", ", services.keySet()) + "). Add the service that implements it, "
              + "or remove the requirement.");
        }
        return null;
      }
      if (!exporter.get().ready) {
        return null;
      }
      locations.add(exporter.get().location(required));
    }
    return Resolution.ready(locations);
  }

  /** Requirement cycles among waiting services, each as a -> b -> a. */
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
    /** The launch failure reason of those that required it: CRASHED or NOT_READY_IN_TIME. */
    String goneReason;
    /** What became of it, as the end of a sentence: "crashed before it was ready (...)". */
    String goneWhat;
    List<String> exports = List.of();
    List<String> requires = List.of();
    Endpoint endpoint;
    long budgetMillis;

    Entry(String name) {
      this.name = name;
    }

    Location location(String interfaceName) {
      Location.Builder location = Location.newBuilder()
          .setInterfaceName(interfaceName)
          .setServiceName(name)
          .setBudgetMillis(budgetMillis);
      if (endpoint != null) {
        location.setEndpoint(endpoint);
      }
      return location.build();
    }
  }
}
