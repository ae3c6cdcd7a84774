package io.parigot.deploy;

import java.io.IOException;
import java.net.URI;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
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
import java.util.jar.JarFile;
import java.util.jar.Manifest;
import java.util.regex.Pattern;

/**
 * Reads and checks a deploy.yaml. Every problem in the file is found in one pass and reported
 * together, each with its line and column; a file with any problem gives no {@link Deployment},
 * so nothing is started from it. The schema is documented in docs/deploy-yaml.md.
 *
 * <p>The checks are of two kinds: of the file's own text (its encoding, YAML, keys, types,
 * values, names, the requirement graph it declares), and of this machine (the jars, classpath
 * entries and main classes it names are there, the JDKs of {@code java:} are JDKs 17 or newer).
 * {@link #load} makes both, as {@code parigot up} needs; {@link #loadWithoutMachineChecks} makes
 * the first kind only, for together mode, where the services' code comes from the running JVM.
 */
public final class DeployFile {
  static final List<String> TOP_KEYS = List.of("name", "java", "services");
  static final List<String> SERVICE_KEYS = List.of("jar", "classpath", "main", "args", "env",
      "jvm_options", "java", "program", "requires", "exports", "restart", "startup_timeout",
      "budget", "archive");
  static final List<String> RESTART_KEYS = List.of("policy", "max_restarts", "window", "backoff",
      "max_backoff");

  private static final Pattern NAME = Pattern.compile("[a-z0-9][a-z0-9_-]{0,62}");
  /** What {@link #NAME} says, in words. */
  private static final String NAME_RULE = "use lower-case letters, digits, '-' and '_', "
      + "starting with a letter or digit, 63 characters at most";
  /** The name the orchestrator's own output lines carry. */
  private static final String RESERVED_NAME = "parigot";
  private static final Pattern ENV_NAME = Pattern.compile("[A-Za-z_][A-Za-z0-9_]*");
  private static final Pattern PROTO_NAME =
      Pattern.compile("[A-Za-z_][A-Za-z0-9_]*(\\.[A-Za-z_][A-Za-z0-9_]*)*");
  private static final Duration MIN_BUDGET = Duration.ofMillis(1);
  private static final Duration MAX_BUDGET = Duration.ofMinutes(10);

  private final Path file;
  private final Path directory;
  /** Whether the jars, classes and JDKs the file names are looked at, or only the file's text. */
  private final boolean checksMachine;
  private final Problems problems;
  private final JavaSetting java;
  /**
   * What {@link #hasClass} answered for a classpath and class: services of one deployment often
   * share both, and each answer opens jars.
   */
  private final Map<String, Boolean> classesFound = new HashMap<>();
  /** Per classpath and main class, the entry of the classpath that holds the class itself. */
  private final Map<String, Optional<Path>> appJars = new HashMap<>();
  /** The names of the services the file gives, read before any of them. */
  private final Set<String> serviceNames = new HashSet<>();
  /** Per service, where in the file each of its requires: entries is. */
  private final Map<String, Map<String, Node.Scalar>> requiredItems = new HashMap<>();
  /** Per classpath file, why it is not a jar (empty when it is one). */
  private final Map<Path, Optional<String>> notJars = new HashMap<>();
  /** Per jar, what its manifest Class-Path names that is not there. */
  private final Map<Path, List<Path>> classPathsMissing = new HashMap<>();

  /** The trees of files read before; null when none are kept. */
  private final TreeCache trees;
  /** The file's text and, when it was read from the YAML itself, the tree to keep of it. */
  private byte[] text;
  private Node treeToKeep;

  private DeployFile(Path file, TreeCache trees, boolean checksMachine) {
    this.file = file;
    this.trees = trees;
    this.checksMachine = checksMachine;
    this.directory = file.toAbsolutePath().normalize().getParent();
    this.problems = new Problems(file);
    this.java = new JavaSetting(directory, file.getFileName().toString(), problems,
        checksMachine);
  }

  /**
   * The deployment {@code file} describes.
   *
   * @throws DeployFileException with every problem found, when there is at least one
   */
  public static Deployment load(Path file) throws DeployFileException {
    return load(file, null);
  }

  /**
   * The deployment {@code file} describes, its YAML read once and its tree kept in
   * {@code treeDirectory} for later loads of the same text (see {@link TreeCache}).
   *
   * @throws DeployFileException with every problem found, when there is at least one
   */
  public static Deployment load(Path file, Path treeDirectory) throws DeployFileException {
    DeployFile reader = new DeployFile(file,
        treeDirectory == null ? null : new TreeCache(treeDirectory), true);
    Deployment deployment = reader.read();
    reader.problems.throwIfAny();
    if (reader.treeToKeep != null) {
      // only a file with no problem at all: a bad one is read again until it is mended
      reader.trees.keep(file.getFileName().toString(), reader.text, reader.treeToKeep);
    }
    return deployment;
  }

  /**
   * The deployment {@code file} describes, with every check {@link #load} makes of the file's
   * own text, in the same words, and none of this machine: paths are resolved against the
   * file's directory but not looked at (a {@code dir/*} classpath entry stays one entry, a jar's
   * {@code Main-Class} is not read), main classes are not looked for, and every service's
   * {@link ServiceSpec#java} is {@link JavaRuntime#current()}, whatever {@code java:} names.
   * For together mode, which runs the services' mains from its own classpath, before their jars
   * may even be built.
   *
   * @throws DeployFileException with every problem found, when there is at least one
   */
  public static Deployment loadWithoutMachineChecks(Path file) throws DeployFileException {
    DeployFile reader = new DeployFile(file, null, false);
    Deployment deployment = reader.read();
    reader.problems.throwIfAny();
    return deployment;
  }

  /** The file's one document, from the kept trees when they have it. */
  private Optional<Node> tree() {
    try {
      text = Files.readAllBytes(file);
    } catch (IOException e) {
      problems.reportFile("cannot read the file: " + e.getMessage());
      return Optional.empty();
    }
    String name = file.getFileName().toString();
    Optional<Node> kept = trees == null ? Optional.empty() : trees.find(name, text);
    if (kept.isPresent()) {
      return kept;
    }
    Optional<Node> read = YamlTree.read(text, problems);
    if (trees != null) {
      treeToKeep = read.orElse(null);
    }
    return read;
  }

  private Deployment read() {
    Optional<Node> root = tree();
    if (root.isEmpty()) {
      return null;
    }
    if (!(root.get() instanceof Node.Mapping top)) {
      problems.report(root.get(), "a deploy.yaml is a map with name: and services:, not "
          + root.get().describe() + " (see docs/deploy-yaml.md)");
      return null;
    }
    MapReader keys = new MapReader(top, "", TOP_KEYS, problems);
    String name = null;
    if (keys.entry("name").isEmpty()) {
      problems.report(1, 1, "the deployment has no name; add a line like  name: shop");
    } else {
      Optional<Node.Scalar> written = keys.text("name", "a name like shop");
      if (written.isPresent()) {
        name = written.get().text();
        if (!NAME.matcher(name).matches()) {
          problems.report(written.get(), "name \"" + name + "\" is not a valid deployment name; "
              + NAME_RULE);
        }
      }
    }
    // read once here: every service without a java: of its own runs on this one
    JavaRuntime deploymentJava = java.read(keys).orElseGet(JavaRuntime::current);
    List<ServiceSpec> services = new ArrayList<>();
    if (keys.entry("services").isEmpty()) {
      problems.report(1, 1, "the deployment has no services; add  services:  with one entry "
          + "per service (see docs/deploy-yaml.md)");
    } else {
      Optional<Node.Mapping> written = keys.mapping("services", "a map from service name to "
          + "its settings");
      if (written.isPresent() && written.get().entries().isEmpty()
          || written.isEmpty() && keys.node("services").map(n -> n instanceof Node.Scalar s
              && s.isNull()).orElse(false)) {
        Node.Entry entry = keys.entry("services").get();
        problems.report(entry.line(), entry.column(), "services: is empty; a deployment needs at "
            + "least one service");
      }
      if (written.isPresent()) {
        new MapReader(written.get(), "services", null, problems);
        written.get().entries().forEach(e -> serviceNames.add(e.key()));
        Set<String> seen = new LinkedHashSet<>();
        for (Node.Entry entry : written.get().entries()) {
          if (seen.add(entry.key())) {
            service(entry, deploymentJava).ifPresent(services::add);
          }
        }
      }
    }
    checkPrograms(services);
    checkGraph(services);
    return name == null ? null : new Deployment(name, file.toAbsolutePath().normalize(),
        services);
  }

  private Optional<ServiceSpec> service(Node.Entry entry, JavaRuntime deploymentJava) {
    int before = problems.count();
    String name = entry.key();
    String path = "services." + name;
    if (!NAME.matcher(name).matches()) {
      problems.report(entry.line(), entry.column(), "service name \"" + name + "\" is not valid; "
          + NAME_RULE);
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
      return Optional.empty();
    }
    MapReader keys = new MapReader(map, path, SERVICE_KEYS, problems);

    Optional<Path> jar = Optional.empty();
    List<Path> classpath = new ArrayList<>();
    Optional<String> mainClass = Optional.empty();
    boolean hasJar = keys.entry("jar").isPresent();
    boolean hasClasspath = keys.entry("classpath").isPresent();
    boolean hasMain = keys.entry("main").isPresent();
    if (hasJar && (hasClasspath || hasMain)) {
      Node.Entry at = keys.entry("jar").get();
      problems.report(at.line(), at.column(), path + " gives both jar: and "
          + (hasClasspath ? "classpath:" : "main:") + "; give either jar: (run with java -jar) "
          + "or classpath: with main:");
    } else if (!hasJar && !hasClasspath && !hasMain) {
      problems.report(entry.line(), entry.column(), "service " + name + " has no code; give "
          + "classpath: and main:, or jar:");
    } else if (!hasJar && hasMain != hasClasspath) {
      Node.Entry at = keys.entry(hasMain ? "main" : "classpath").get();
      problems.report(at.line(), at.column(), "service " + name + " gives "
          + (hasMain ? "main: but no classpath:" : "classpath: but no main:")
          + "; give both, or jar: alone");
    }
    if (hasJar) {
      Optional<Node.Scalar> written = keys.text("jar", "the path of a jar");
      if (written.isPresent()) {
        Path resolved = directory.resolve(written.get().text()).normalize();
        if (!checksMachine) {
          jar = Optional.of(resolved);
        } else if (Files.isDirectory(resolved)) {
          problems.report(written.get(), "jar " + written.get().text() + " of service " + name
              + " is a directory, not a jar; for a directory of classes give classpath: ["
              + written.get().text() + "] and main:");
        } else if (!Files.isRegularFile(resolved)) {
          problems.report(written.get(), "jar " + written.get().text() + " of service " + name
              + " does not exist (looked for " + resolved + ")" + buildHint(written.get()));
        } else {
          jar = Optional.of(resolved);
          checkJarMain(name, resolved, written.get());
        }
      }
    }
    if (hasClasspath) {
      int cpBefore = problems.count();
      Optional<List<Node.Scalar>> items = keys.texts("classpath", "a jar or directory");
      Map<Path, Node.Scalar> named = new HashMap<>();
      for (Node.Scalar item : items.orElse(List.of())) {
        List<Path> entries = classpathEntry(name, item);
        if (entries.size() == 1 && !item.text().endsWith("*")) {
          named.putIfAbsent(entries.get(0), item);
        }
        classpath.addAll(entries);
      }
      if (items.isPresent() && items.get().isEmpty()) {
        Node.Entry at = keys.entry("classpath").get();
        problems.report(at.line(), at.column(), "classpath: of service " + name + " is empty; "
            + "list the jars or directories that hold its classes, like  classpath: [app.jar]");
      }
      if (hasMain) {
        Optional<Node.Scalar> written = keys.text("main", "a class name like com.example.Main");
        if (written.isPresent()) {
          String main = written.get().text();
          if (!PROTO_NAME.matcher(main).matches()) {
            problems.report(written.get(), "main \"" + main + "\" of service " + name + " is not a "
                + "Java class name; write it like com.example.Main");
          } else {
            mainClass = Optional.of(main);
            // the entry that holds the class itself: one opening of the jar, most often all
            Optional<Path> app = !checksMachine || problems.count() != cpBefore
                || classpath.isEmpty()
                ? Optional.empty()
                : appJars.computeIfAbsent(classpath + " " + main, key -> jarHolding(classpath,
                    main));
            if (checksMachine && problems.count() == cpBefore && !classpath.isEmpty()
                && app.isEmpty() && !hasClassCached(classpath, main)) {
              problems.report(written.get(), "main class " + main + " of service " + name
                  + " is not on its classpath (" + String.join(", ", classpath.stream()
                  .map(p -> p.startsWith(directory) ? directory.relativize(p).toString()
                      : p.toString()).toList()) + "); check the "
                  + "spelling and package, and that the jar was built");
            } else if (app.isPresent() && named.containsKey(app.get())) {
              // the application's own jar: its Class-Path is what it runs with, where a
              // dependency's may name optional jars nobody ships; and what it names may be on
              // the classpath already, from another directory
              Set<String> given = new HashSet<>();
              classpath.forEach(p -> given.add(p.getFileName().toString()));
              // (jarHolding read the jar's Class-Path; a directory has none)
              reportMissingClassPath("classpath entry " + named.get(app.get()).text(), name,
                  named.get(app.get()), classPathsMissing.getOrDefault(app.get(), List.of())
                      .stream().filter(p -> !given.contains(p.getFileName().toString()))
                      .toList());
            }
          }
        }
      }
    }

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
    Optional<Position> requiresAt = keys.entry("requires")
        .map(at -> new Position(file, at.line(), at.column()));
    List<String> exports = protoNames(keys, "exports", name).stream().map(Node.Scalar::text)
        .toList();
    Optional<Position> exportsAt = keys.entry("exports")
        .map(at -> new Position(file, at.line(), at.column()));
    RestartPolicy restart = restart(keys, path, program);
    if (program && restart.mode() != RestartPolicy.Mode.NO) {
      Node.Entry at = keys.entry("restart").get();
      problems.report(at.line(), at.column(), "service " + name + " is the program, which is not "
          + "restarted: its exit ends the deployment, with its exit code. Remove its restart:, "
          + "or its program: true to have it restarted like a service");
    }
    Duration startupTimeout = keys.duration("startup_timeout", Duration.ofMillis(100), null)
        .orElse(ServiceSpec.DEFAULT_STARTUP_TIMEOUT);
    Optional<Duration> budget = keys.duration("budget", MIN_BUDGET, MAX_BUDGET);
    boolean archive = keys.bool("archive").orElse(true);
    if (problems.count() != before) {
      return Optional.empty();
    }
    return Optional.of(new ServiceSpec(name, jar, classpath, mainClass, args, env, jvmOptions,
        runtime, program, requires, requiresAt, exports, exportsAt, restart, startupTimeout,
        budget, archive, entry.line(), entry.column()));
  }

  /** One classpath item: a jar, a directory of classes, or {@code dir/*} for every jar in dir. */
  private List<Path> classpathEntry(String service, Node.Scalar item) {
    String written = item.text();
    if (written.isBlank()) {
      problems.report(item, "a classpath entry of service " + service + " is empty; give a jar, "
          + "a directory of classes, or dir/* for every jar in dir");
      return List.of();
    }
    if (!checksMachine) {
      return List.of(directory.resolve(written).normalize());
    }
    if (written.equals("*") || written.endsWith("/*")) {
      Path dir = directory.resolve(written.substring(0, written.length() - 1)).normalize();
      if (!Files.isDirectory(dir)) {
        problems.report(item, "classpath entry " + written + " of service " + service + ": "
            + "directory " + dir + " does not exist" + buildHint(item));
        return List.of();
      }
      List<Path> jars = new ArrayList<>();
      try (DirectoryStream<Path> stream = Files.newDirectoryStream(dir, "*.{jar,JAR}")) {
        stream.forEach(jars::add);
      } catch (IOException e) {
        problems.report(item, "cannot list " + dir + ": " + e.getMessage());
        return List.of();
      }
      if (jars.isEmpty()) {
        problems.report(item, "classpath entry " + written + " of service " + service
            + " matches no jar in " + dir);
      }
      jars.sort(null);
      return jars;
    }
    Path resolved = directory.resolve(written).normalize();
    if (!Files.exists(resolved)) {
      problems.report(item, "classpath entry " + written + " of service " + service
          + " does not exist (looked for " + resolved + ")" + buildHint(item));
      return List.of();
    }
    if (Files.isRegularFile(resolved)) {
      notJars.computeIfAbsent(resolved, DeployFile::notAJar).ifPresent(why -> problems.report(
          item, "classpath entry " + written
          + " of service " + service + " " + why + "; give jars and directories of classes"));
    }
    return List.of(resolved);
  }

  /** Why {@code file} is not a jar, from its first bytes (a jar is a zip), or empty. */
  private static Optional<String> notAJar(Path file) {
    byte[] start = new byte[4];
    int read;
    try (var in = Files.newInputStream(file)) {
      read = in.readNBytes(start, 0, 4);
    } catch (IOException e) {
      return Optional.of("cannot be read: " + e.getMessage());
    }
    if (read == 0) {
      return Optional.of("is an empty file, not a jar");
    }
    boolean zip = read == 4 && start[0] == 'P' && start[1] == 'K'
        && (start[2] == 3 && start[3] == 4 || start[2] == 5 && start[3] == 6);
    if (zip) {
      return Optional.empty();
    }
    // a zip is read from its end: an executable jar starts with a script, and is one
    try (JarFile jar = new JarFile(file.toFile())) {
      return Optional.empty();
    } catch (IOException e) {
      return Optional.of("is not a jar (not a zip file)");
    }
  }

  /**
   * The jars and directories {@code jar}'s manifest Class-Path names that are not there: the JVM
   * passes over them without a word, and the service fails later, at its first use of a class
   * that was in one of them.
   */
  private static List<Path> missingClassPath(Path jar, Manifest manifest) {
    return classPathOf(jar, manifest).stream().filter(p -> !Files.exists(p)).toList();
  }

  /**
   * The files {@code jar}'s manifest Class-Path names, as the JVM finds them: relative URLs
   * against the directory of the jar's real path (a symlinked jar's are beside its target),
   * {@code file:} URLs as they are; other URLs are not files to check.
   */
  static List<Path> classPathOf(Path jar, Manifest manifest) {
    String refs = manifest == null ? null : manifest.getMainAttributes().getValue("Class-Path");
    if (refs == null || refs.isBlank()) {
      return List.of();
    }
    Path real;
    try {
      real = jar.toRealPath();
    } catch (IOException e) {
      real = jar.toAbsolutePath();
    }
    URI base = real.getParent().toUri();
    List<Path> entries = new ArrayList<>();
    for (String ref : refs.trim().split("\\s+")) {
      try {
        URI uri = base.resolve(ref);
        if ("file".equals(uri.getScheme())) {
          entries.add(Path.of(uri).normalize());
        }
      } catch (IllegalArgumentException e) {
        // not a URL the JVM could read either
      }
    }
    return entries;
  }

  /** The jar or directory of {@code classpath} itself (not one a Class-Path adds) with the class. */
  private Optional<Path> jarHolding(List<Path> classpath, String className) {
    String entry = className.replace('.', '/') + ".class";
    for (Path item : classpath) {
      if (Files.isDirectory(item)) {
        if (Files.isRegularFile(item.resolve(entry))) {
          return Optional.of(item);
        }
      } else {
        try (JarFile jar = new JarFile(item.toFile())) {
          if (jar.getEntry(entry) != null) {
            // its Class-Path is asked for next: read it while the jar is open
            Manifest manifest = jar.getManifest();
            classPathsMissing.computeIfAbsent(item, j -> missingClassPath(j, manifest));
            return Optional.of(item);
          }
        } catch (IOException e) {
          // not a jar
        }
      }
    }
    return Optional.empty();
  }

  private void reportMissingClassPath(String what, String service, Node.Scalar at,
      List<Path> missing) {
    if (missing.isEmpty()) {
      return;
    }
    List<String> shown = missing.stream().limit(3).map(Path::toString).toList();
    problems.report(at, what + " of service " + service + " names "
        + (missing.size() == 1 ? "an entry" : missing.size() + " entries")
        + " in its manifest Class-Path that " + (missing.size() == 1 ? "is" : "are")
        + " not there: " + String.join(", ", shown)
        + (missing.size() > shown.size() ? " and " + (missing.size() - shown.size()) + " more"
            : "")
        + "; put what it names where it says, relative to the jar (with Maven: "
        + "dependency:copy-dependencies into that directory), or build the jar without them");
  }

  private String buildHint(Node.Scalar item) {
    return item.text().contains("target/") ? "; build it first (./mvnw -B package -DskipTests)"
        : "; paths are relative to the directory of " + file.getFileName();
  }

  private void checkJarMain(String service, Path jar, Node.Scalar at) {
    try (JarFile jf = new JarFile(jar.toFile())) {
      Manifest manifest = jf.getManifest();
      String main = manifest == null ? null
          : manifest.getMainAttributes().getValue("Main-Class");
      if (main == null) {
        problems.report(at, "jar " + at.text() + " of service " + service + " has no Main-Class "
            + "in its manifest, so java -jar cannot run it; use classpath: and main: instead");
      } else if (!hasClassCached(List.of(jar), main.strip())) {
        problems.report(at, "jar " + at.text() + " of service " + service + " names Main-Class "
            + main.strip() + ", which is not in the jar or its Class-Path");
      }
      reportMissingClassPath("jar " + at.text(), service, at,
          classPathsMissing.computeIfAbsent(jar, j -> missingClassPath(j, manifest)));
    } catch (IOException e) {
      problems.report(at, "jar " + at.text() + " of service " + service + " cannot be read as a "
          + "jar: " + e.getMessage());
    }
  }

  private boolean hasClassCached(List<Path> classpath, String className) {
    return classesFound.computeIfAbsent(classpath + " " + className,
        key -> hasClass(classpath, className));
  }

  /** Whether {@code className} is in one of the jars or directories, or their manifest Class-Path. */
  static boolean hasClass(List<Path> classpath, String className) {
    String entry = className.replace('.', '/') + ".class";
    Set<Path> seen = new LinkedHashSet<>();
    List<Path> queue = new ArrayList<>(classpath);
    while (!queue.isEmpty()) {
      Path item = queue.remove(0).toAbsolutePath().normalize();
      if (!seen.add(item)) {
        continue;
      }
      if (Files.isDirectory(item)) {
        if (Files.isRegularFile(item.resolve(entry))) {
          return true;
        }
      } else if (Files.isRegularFile(item)) {
        try (JarFile jar = new JarFile(item.toFile())) {
          if (jar.getEntry(entry) != null) {
            return true;
          }
          queue.addAll(classPathOf(item, jar.getManifest()));
        } catch (IOException e) {
          // not a jar: the JVM will not find classes in it either
        }
      }
    }
    return false;
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

  private Map<String, String> env(MapReader keys, String path) {
    Map<String, String> env = new LinkedHashMap<>();
    Optional<Node.Mapping> map = keys.mapping("env", "a map of variable names to values");
    if (map.isEmpty()) {
      return env;
    }
    MapReader vars = new MapReader(map.get(), path + ".env", null, problems);
    for (Node.Entry var : map.get().entries()) {
      if (!ENV_NAME.matcher(var.key()).matches()) {
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

  private RestartPolicy restart(MapReader keys, String path, boolean program) {
    RestartPolicy defaults = program
        ? new RestartPolicy(RestartPolicy.Mode.NO, RestartPolicy.DEFAULT.maxRestarts(),
            RestartPolicy.DEFAULT.window(), RestartPolicy.DEFAULT.initialBackoff(),
            RestartPolicy.DEFAULT.maxBackoff())
        : RestartPolicy.DEFAULT;
    Optional<Node> written = keys.node("restart");
    if (written.isEmpty()) {
      return defaults;
    }
    if (written.get() instanceof Node.Mapping map) {
      MapReader policy = new MapReader(map, path + ".restart", RESTART_KEYS, problems);
      RestartPolicy.Mode mode = policy.entry("policy").isPresent()
          ? mode(policy, "policy").orElse(defaults.mode()) : defaults.mode();
      int max = policy.count("max_restarts").orElse(defaults.maxRestarts());
      Duration window = policy.duration("window", Duration.ofSeconds(1), null)
          .orElse(defaults.window());
      Optional<Duration> backoffRead = policy.duration("backoff", Duration.ZERO,
          Duration.ofMinutes(10));
      // a backoff reported as wrong is not compared: the default in its place would mislead
      boolean backoffWrong = backoffRead.isEmpty() && policy.entry("backoff").isPresent();
      Duration backoff = backoffRead.orElse(defaults.initialBackoff());
      Duration maxBackoff = policy.duration("max_backoff", Duration.ZERO, Duration.ofHours(1))
          .orElse(defaults.maxBackoff());
      if (maxBackoff.compareTo(backoff) < 0 && policy.entry("max_backoff").isPresent()
          && !backoffWrong) {
        Node.Entry at = policy.entry("max_backoff").get();
        problems.report(at.value(), keys.name("restart.max_backoff") + " ("
            + MapReader.format(maxBackoff) + ") is shorter than backoff ("
            + MapReader.format(backoff) + "); make it at least as long");
      }
      return new RestartPolicy(mode, max, window, backoff, maxBackoff.compareTo(backoff) < 0
          ? backoff : maxBackoff);
    }
    RestartPolicy.Mode mode = mode(keys, "restart").orElse(defaults.mode());
    return new RestartPolicy(mode, defaults.maxRestarts(), defaults.window(),
        defaults.initialBackoff(), defaults.maxBackoff());
  }

  private Optional<RestartPolicy.Mode> mode(MapReader keys, String key) {
    Optional<Node> node = keys.node(key);
    if (node.isEmpty()) {
      return Optional.empty();
    }
    // YAML 1.1 reads a bare no as false; accept it as the policy the user wrote.
    if (node.get() instanceof Node.Scalar s && s.kind() == Node.Scalar.Kind.FALSE
        && s.text().equalsIgnoreCase("no")) {
      return Optional.of(RestartPolicy.Mode.NO);
    }
    String what = "no, on-failure or always, or a map with policy:, max_restarts:, window:, "
        + "backoff: and max_backoff:";
    if (node.get() instanceof Node.Scalar s && s.kind() == Node.Scalar.Kind.STRING) {
      for (RestartPolicy.Mode mode : RestartPolicy.Mode.values()) {
        if (mode.yaml().equals(s.text())) {
          return Optional.of(mode);
        }
      }
      String hint = DidYouMean.closest(s.text(), List.of("no", "on-failure", "always"))
          .map(m -> "; did you mean " + m + "?").orElse("");
      problems.report(s, keys.name(key) + " must be no, on-failure or always, not \"" + s.text()
          + "\"" + hint);
      return Optional.empty();
    }
    problems.report(node.get(), keys.name(key) + " must be " + what + ", not "
        + node.get().describe());
    return Optional.empty();
  }

  private void checkPrograms(List<ServiceSpec> services) {
    List<ServiceSpec> programs = services.stream().filter(ServiceSpec::isProgram).toList();
    for (ServiceSpec extra : programs.subList(Math.min(1, programs.size()), programs.size())) {
      problems.report(extra.line(), extra.column(), "service " + extra.name() + " is marked "
          + "program: true, but so is " + programs.get(0).name() + "; a deployment has at most "
          + "one program");
    }
  }

  /**
   * The requirement graph as far as the file declares it: a cycle is an error, and so is a
   * requirement nobody exports, when every service but the program says what it exports
   * ({@code exports: []} says it exports nothing).
   */
  private void checkGraph(List<ServiceSpec> services) {
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
    boolean allDeclare = !services.isEmpty()
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
        } else if (allDeclare) {
          problems.report(line, column, "service " + s.name() + " requires " + required
              + ", which no service of the deployment exports; add the service that does, or "
              + "remove the requirement");
        }
      }
      edges.put(s.name(), deps);
    }
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
}
