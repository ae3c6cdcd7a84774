package io.parigot.deploy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
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
 *
 * <p>This class reads the file and its top level ({@code name:}, {@code java:},
 * {@code services:}); each service is read by {@link ServiceReader}, and the services taken
 * together are checked by {@link RequirementGraph}.
 */
public final class DeployFile {
  static final List<String> TOP_KEYS = List.of("name", "java", "services");
  static final List<String> SERVICE_KEYS = List.of("jar", "classpath", "main", "args", "env",
      "env_file", "jvm_options", "java", "program", "requires", "exports", "restart",
      "startup_timeout", "stop_grace_period", "budget", "archive");
  static final List<String> RESTART_KEYS = List.of("policy", "max_restarts", "window", "backoff",
      "max_backoff");

  /** What the deployment and each of its services may be named. */
  static final Pattern NAME = Pattern.compile("[a-z0-9][a-z0-9_-]{0,62}");
  /** What {@link #NAME} says, in words. */
  static final String NAME_RULE = "use lower-case letters, digits, '-' and '_', "
      + "starting with a letter or digit, 63 characters at most";

  /**
   * " (did you mean "cart"?)" for a name that is one once lower-cased, its spaces and dots made
   * dashes (Cart, My Shop, shop.v2); "" for any other, whose rule says what to do.
   */
  static String validNameLike(String name) {
    String like = name.strip().toLowerCase(Locale.ROOT).replace(' ', '-').replace('.', '-');
    return !like.equals(name) && isName(like) ? " (did you mean \"" + like + "\"?)" : "";
  }

  /** Whether a deployment or a service may have this name. */
  public static boolean isName(String name) {
    return NAME.matcher(name).matches();
  }

  /** {@code d} as deploy.yaml writes a duration: 250ms, 30s, 2m, 1h. */
  public static String durationText(Duration d) {
    return MapReader.format(d);
  }

  /**
   * The duration {@code written} as deploy.yaml writes one (250ms, 30s, 1h30m; a bare number is
   * milliseconds); empty when it is none, or longer than any bound.
   */
  public static Optional<Duration> duration(String written) {
    return MapReader.isDuration(written) ? Optional.ofNullable(MapReader.parseDuration(written))
        : Optional.empty();
  }

  /** The rule of {@link #isName}, in words, for a message. */
  public static String nameRule() {
    return NAME_RULE;
  }

  private final Path file;
  /** Where the values' variables come from ({@link Interpolation}), over the file's .env. */
  private final Map<String, String> environment;
  private final Problems problems;
  private final JavaSetting java;
  private final ServiceReader serviceReader;

  /** The trees of files read before; null when none are kept. */
  private final TreeCache trees;
  /** The file's text and, when it was read from the YAML itself, the tree to keep of it. */
  private byte[] text;
  private Node treeToKeep;

  /**
   * {@code checksMachine}: whether the jars, classes and JDKs the file names are looked at, or
   * only the file's text.
   */
  private DeployFile(Path file, TreeCache trees, boolean checksMachine,
      Map<String, String> environment) {
    this.file = file;
    this.environment = environment;
    this.trees = trees;
    Path directory = file.toAbsolutePath().normalize().getParent();
    String fileName = file.getFileName().toString();
    this.problems = new Problems(file);
    this.java = new JavaSetting(directory, fileName, problems, checksMachine);
    this.serviceReader = new ServiceReader(file, problems, java,
        new CodeSetting(directory, fileName, problems, checksMachine));
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
    return load(file, treeDirectory, System.getenv());
  }

  /** {@link #load(Path, Path)} with the variables of {@code environment}. */
  static Deployment load(Path file, Path treeDirectory, Map<String, String> environment)
      throws DeployFileException {
    DeployFile reader = new DeployFile(file,
        treeDirectory == null ? null : new TreeCache(treeDirectory), true, environment);
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
    DeployFile reader = new DeployFile(file, null, false, System.getenv());
    Deployment deployment = reader.read();
    reader.problems.throwIfAny();
    return deployment;
  }

  /**
   * The names of the services in {@code file}'s {@code services:} map, in file order, as its YAML
   * reads in whatever form it is written (block or flow style, quoted keys, anchors, aliases and
   * merge keys, JSON): the keys that are service names and whose value is a map. Nothing else of
   * the file is read or checked; a file that cannot be read, or is no such YAML, has none. For
   * shell completion, which must not fail.
   */
  public static List<String> serviceNames(Path file) {
    byte[] text;
    try {
      text = Files.readAllBytes(file);
    } catch (IOException e) {
      return List.of();
    }
    Optional<Node> root = YamlTree.read(text, new Problems(file));
    if (!(root.orElse(null) instanceof Node.Mapping top)
        || !(top.get("services").map(Node.Entry::value).orElse(null)
            instanceof Node.Mapping services)) {
      return List.of();
    }
    return services.entries().stream()
        .filter(e -> isName(e.key()) && e.value() instanceof Node.Mapping)
        .map(Node.Entry::key).distinct().toList();
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
    Map<String, String> variables = DotEnv.under(
        DotEnv.read(file.resolveSibling(DotEnv.NAME), problems), environment);
    // a file without a $ has no variable to read: its tree is used as it is
    Optional<Node> root = tree().map(t -> YamlTree.contains(text, (byte) '$')
        ? Interpolation.apply(t, variables, problems) : t);
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
    if (keys.entry("name").isEmpty() && !keys.isPartial()) {
      problems.report(1, 1, "the deployment has no name; add a line like  name: shop");
    } else {
      Optional<Node.Scalar> written = keys.text("name", "a name like shop");
      if (written.isPresent()) {
        name = written.get().text();
        if (!NAME.matcher(name).matches()) {
          problems.report(written.get(), "name \"" + name + "\" is not a valid deployment name"
              + validNameLike(name) + "; " + NAME_RULE);
        }
      }
    }
    // read once here: every service without a java: of its own runs on this one
    JavaRuntime deploymentJava = java.read(keys).orElseGet(JavaRuntime::current);
    List<ServiceSpec> services = List.of();
    if (keys.entry("services").isEmpty()) {
      if (!keys.isPartial()) {
        problems.report(1, 1, "the deployment has no services; add  services:  with one "
            + "entry per service (see docs/deploy-yaml.md)");
      }
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
        services = serviceReader.read(written.get(), deploymentJava);
      }
    }
    checkPrograms(services);
    RequirementGraph.check(services, serviceReader.requiredItems(),
        serviceReader.unreadExports(), serviceReader.isAnUnreadExportUnknown(), problems);
    return name == null ? null : new Deployment(name, file.toAbsolutePath().normalize(),
        services);
  }

  private void checkPrograms(List<ServiceSpec> services) {
    List<ServiceSpec> programs = services.stream().filter(ServiceSpec::isProgram).toList();
    for (ServiceSpec extra : programs.subList(Math.min(1, programs.size()), programs.size())) {
      problems.report(extra.line(), extra.column(), "service " + extra.name() + " is marked "
          + "program: true, but so is " + programs.get(0).name() + "; a deployment has at most "
          + "one program");
    }
  }
}
