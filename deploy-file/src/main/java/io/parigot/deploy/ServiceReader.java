package io.parigot.deploy;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Reads the services of a deploy.yaml's {@code services:}, each into a {@link ServiceSpec}: its
 * name, args, env and env_file, jvm_options, java, program, requires, exports, restart,
 * startup_timeout, stop_grace_period, budget and archive. The code it runs (jar:, classpath:,
 * main:) is read by {@link CodeSetting}, its java: by {@link JavaSetting}, its restart: by
 * {@link RestartSetting}. A service with any problem gives no spec; the others are still read,
 * so that every problem is reported.
 */
final class ServiceReader {
  /** A proto service name, package included; a Java class name is written the same way. */
  static final Pattern PROTO_NAME =
      Pattern.compile("[A-Za-z_][A-Za-z0-9_]*(\\.[A-Za-z_][A-Za-z0-9_]*)*");
  /** The name the orchestrator's own output lines carry. */
  private static final String RESERVED_NAME = "parigot";
  private static final Duration MIN_BUDGET = Duration.ofMillis(1);
  private static final Duration MAX_BUDGET = Duration.ofMinutes(10);

  private final Path file;
  private final Problems problems;
  private final JavaSetting java;
  private final CodeSetting code;
  private final RestartSetting restartSetting;
  /** The names of the services the file gives, read before any of them. */
  private final Set<String> serviceNames = new HashSet<>();
  /** Per service, where in the file each of its requires: entries is. */
  private final Map<String, Map<String, Node.Scalar>> requiredItems = new HashMap<>();
  /**
   * What the services left out of {@link #read} for their problems export, as far as they say:
   * a requirement they export is not one nobody exports.
   */
  private final Set<String> unreadExports = new HashSet<>();
  /** Whether a service left out for its problems gives no exports: (what it exports is unknown). */
  private boolean unreadUndeclared;

  ServiceReader(Path file, Problems problems, JavaSetting java, CodeSetting code) {
    this.file = file;
    this.problems = problems;
    this.java = java;
    this.code = code;
    this.restartSetting = new RestartSetting(problems);
  }

  /**
   * The services of {@code services} that have no problem, in file order; of a name given twice,
   * the first (the repeat is {@link MapReader}'s to report). Services without a java: of their
   * own run on {@code deploymentJava}.
   */
  List<ServiceSpec> read(Node.Mapping services, JavaRuntime deploymentJava) {
    services.entries().forEach(e -> serviceNames.add(e.key()));
    List<ServiceSpec> read = new ArrayList<>();
    Set<String> seen = new LinkedHashSet<>();
    for (Node.Entry entry : services.entries()) {
      if (seen.add(entry.key())) {
        service(entry, deploymentJava).ifPresent(read::add);
      }
    }
    return read;
  }

  /** Per service read, with problems or not, where in the file each of its requires: is. */
  Map<String, Map<String, Node.Scalar>> requiredItems() {
    return requiredItems;
  }

  /** What the services {@link #read} left out for their problems export, as far as they say. */
  Set<String> unreadExports() {
    return unreadExports;
  }

  /**
   * Whether a service {@link #read} left out for its problems may export what no other does: it
   * has no exports: (and is not the program), or its settings could not be read at all.
   */
  boolean isAnUnreadExportUnknown() {
    return unreadUndeclared;
  }

  private Optional<ServiceSpec> service(Node.Entry entry, JavaRuntime deploymentJava) {
    int before = problems.count();
    String name = entry.key();
    String path = "services." + name;
    if (!DeployFile.NAME.matcher(name).matches()) {
      problems.report(entry.line(), entry.column(), "service name \"" + name + "\" is not valid"
          + DeployFile.validNameLike(name) + "; " + DeployFile.NAME_RULE);
    } else if (name.equals(RESERVED_NAME)) {
      problems.report(entry.line(), entry.column(), "service name \"" + name + "\" is taken: "
          + "parigot's own lines carry it in the output; give the service another name");
    }
    if (!(entry.value() instanceof Node.Mapping map)) {
      problems.report(entry.value().line() == entry.line() && entry.value() instanceof Node.Scalar s
              && s.isNull() ? entry.line() : entry.value().line(),
          entry.value() instanceof Node.Scalar s2 && s2.isNull() ? entry.column()
              : entry.value().column(),
          path + " must be a map with the service's settings (at least classpath: and main:, "
              + "or jar:), not " + entry.value().describe());
      unreadUndeclared = true;
      return Optional.empty();
    }
    MapReader keys = new MapReader(map, path, DeployFile.SERVICE_KEYS, problems);
    CodeSetting.Code runs = code.read(entry, keys, name, path);

    List<String> args = strings(keys, "args", "an argument");
    Map<String, String> env = env(keys, path);
    // read once: a second reading would report a wrong type a second time
    List<Node.Scalar> jvmOptionItems = keys.texts("jvm_options", "a JVM option like -Xmx64m")
        .orElse(List.of());
    List<String> jvmOptions = jvmOptionItems.stream().map(Node.Scalar::text).toList();
    for (Node.Scalar option : jvmOptionItems) {
      String o = option.text();
      if (o.equals("-cp") || o.equals("-classpath") || o.equals("--class-path")
          || o.equals("-jar")) {
        problems.report(option, "jvm_options of service " + name + " cannot set " + o
            + "; use the service's classpath: or jar:");
      }
    }
    JavaRuntime runtime = java.read(keys).orElse(deploymentJava);
    boolean program = keys.bool("program").orElse(false);
    Map<String, Node.Scalar> requiredAt = new LinkedHashMap<>();
    protoNames(keys, "requires", name).forEach(item -> requiredAt.put(item.text(), item));
    requiredItems.put(name, requiredAt);
    List<String> requires = List.copyOf(requiredAt.keySet());
    Optional<Position> requiresAt = position(keys, "requires");
    List<String> exports = protoNames(keys, "exports", name).stream().map(Node.Scalar::text)
        .toList();
    Optional<Position> exportsAt = position(keys, "exports");
    RestartPolicy restart = restartSetting.read(keys, path, program);
    if (program && restart.mode() != RestartPolicy.Mode.NO) {
      Node.Entry at = keys.entry("restart").get();
      problems.report(at.line(), at.column(), "service " + name + " is the program, which is not "
          + "restarted: its exit ends the deployment, with its exit code. Remove its restart:, "
          + "or its program: true to have it restarted like a service");
    }
    Duration startupTimeout = keys.duration("startup_timeout", Duration.ofMillis(100), null)
        .orElse(ServiceSpec.DEFAULT_STARTUP_TIMEOUT);
    Duration stopGrace = keys.duration("stop_grace_period", Duration.ZERO,
        ServiceSpec.MAX_STOP_GRACE).orElse(ServiceSpec.DEFAULT_STOP_GRACE);
    Optional<Duration> budget = keys.duration("budget", MIN_BUDGET, MAX_BUDGET);
    boolean archive = keys.bool("archive").orElse(true);
    // a value of an alias of no anchor is not what the file means: the service is left out of
    // the requirement graph as one with a problem, what it exports unknown where the alias is
    boolean aliasOfNothing = problems.holdsAliasOfNothing(map);
    if (problems.count() != before || aliasOfNothing) {
      unreadExports.addAll(exports);
      unreadUndeclared |= exportsAt.isEmpty() && !program || keys.isPartial()
          || keys.node("exports").map(problems::holdsAliasOfNothing).orElse(false);
      return Optional.empty();
    }
    return Optional.of(new ServiceSpec(name, runs.jar(), runs.classpath(), runs.mainClass(), args,
        env, jvmOptions, runtime, program, requires, requiresAt, exports, exportsAt, restart,
        startupTimeout, stopGrace, budget, archive, entry.line(), entry.column()));
  }

  /** Where {@code key} of the service is in the file, when the service gives it. */
  private Optional<Position> position(MapReader keys, String key) {
    return keys.entry(key).map(at -> new Position(file, at.line(), at.column()));
  }

  private List<String> strings(MapReader keys, String key, String what) {
    return keys.texts(key, what).orElse(List.of()).stream().map(Node.Scalar::text).toList();
  }

  /** The valid proto service names of {@code key}, once each, the others reported. */
  private List<Node.Scalar> protoNames(MapReader keys, String key, String service) {
    Map<String, Node.Scalar> names = new LinkedHashMap<>();
    for (Node.Scalar item : keys.texts(key, "a proto service name like shop.Catalog")
        .orElse(List.of())) {
      if (key.equals("requires") && serviceNames.contains(item.text())
          && !names.containsKey(item.text())) {
        // docker compose's depends_on habit: the name of a service, not of what it serves
        problems.report(item, "requires: " + item.text() + " of service " + service + " names a "
            + "service of this deployment; requires lists the proto services a service calls, "
            + "like greeting.v1.Greeting (what its code passes to .require(...)), and parigot "
            + "starts the one that exports it first");
      } else if (key.equals("exports") && serviceNames.contains(item.text())
          && !names.containsKey(item.text())) {
        // the same habit the other way round: the service's own name, or another's; the code's
        // exports, checked at registration, would stop the deployment for it after the start
        problems.report(item, "exports: " + item.text() + " of service " + service + " names a "
            + "service of this deployment; exports lists the proto services a service serves, "
            + "like greeting.v1.Greeting (the generated interfaces its code implements), which "
            + "other services' requires: name");
      } else if (!PROTO_NAME.matcher(item.text()).matches()) {
        problems.report(item, keys.name(key) + ": \"" + item.text() + "\" is not a proto "
            + "service name; write the full name, package included, like shop.Catalog");
      } else if (names.containsKey(item.text())) {
        Node.Scalar first = names.get(item.text());
        problems.report(item, item.text() + " is listed twice in " + key + " of service "
            + service + " (first at " + first.line() + ":" + first.column() + "); keep one");
      } else {
        names.put(item.text(), item);
      }
    }
    return List.copyOf(names.values());
  }

  /** The service's env_file: variables, in the order of its files, and over them its env:. */
  private Map<String, String> env(MapReader keys, String path) {
    Map<String, String> fromFiles = new LinkedHashMap<>();
    for (Node.Scalar written : keys.texts("env_file", "a path like store.env").orElse(List.of())) {
      fromFiles.putAll(DotEnv.readForService(file.resolveSibling(written.text()), written,
          keys.name("env_file"), problems));
    }
    Map<String, String> env = envMap(keys, path);
    fromFiles.keySet().removeAll(env.keySet());
    fromFiles.putAll(env);
    return fromFiles;
  }

  private Map<String, String> envMap(MapReader keys, String path) {
    Map<String, String> env = new LinkedHashMap<>();
    Optional<Node.Mapping> map = keys.mapping("env", "a map of variable names to values");
    if (map.isEmpty()) {
      return env;
    }
    MapReader vars = new MapReader(map.get(), path + ".env", null, problems);
    for (Node.Entry var : map.get().entries()) {
      if (!Interpolation.isName(var.key())) {
        problems.report(var.line(), var.column(), "\"" + var.key() + "\" is not an environment "
            + "variable name; use letters, digits and '_', not starting with a digit");
      } else if (var.key().toUpperCase(Locale.ROOT).startsWith("PARIGOT_")) {
        problems.report(var.line(), var.column(), "environment variable " + var.key()
            + " is reserved: parigot sets the PARIGOT_ variables of each service itself");
      } else {
        vars.text(var.key(), "a value (quote it to keep it as written)")
            .ifPresent(v -> env.putIfAbsent(var.key(), v.text()));
        if (var.value() instanceof Node.Scalar s && s.isNull()) {
          env.putIfAbsent(var.key(), "");
        }
      }
    }
    return env;
  }
}
