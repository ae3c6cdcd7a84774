package io.parigot.junit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.parigot.deploy.DeployFile;
import io.parigot.deploy.DeployFileException;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What a user sees when together mode reads a deploy.yaml: parigot up's checks of the file. */
class DeployYamlTest {
  /** The file a tester found together mode running: parigot up refused it. */
  static final String BAD_FILE = """
      name: Counter!
      services:
        counter:
          classpath: [target/chain.jar]
          main: io.parigot.junit.RecordsArgs
          enviroment: {MODE: fast}
          restart: sometimes
        hammer-check:
          classpath: [target/chain.jar]
          main: io.parigot.junit.RecordsArgs
          program: maybe
      """;

  /** What a user sees of {@link #BAD_FILE}: parigot up's problems but those of missing jars. */
  static final List<String> BAD_FILE_PROBLEMS = List.of(
      "deploy.yaml:1:7: name \"Counter!\" is not a valid deployment name; use lower-case "
          + "letters, digits, '-' and '_', starting with a letter or digit, 63 characters at "
          + "most",
      "deploy.yaml:6:5: unknown key 'enviroment' in services.counter; did you mean 'env'?",
      "deploy.yaml:7:14: services.counter.restart must be no, on-failure or always, not "
          + "\"sometimes\"",
      "deploy.yaml:11:14: services.hammer-check.program must be true or false, not \"maybe\"",
      "deploy.yaml has 4 problems; nothing was started.");

  @TempDir
  Path dir;

  @Test
  void aBadFileIsRefusedWithEveryProblemAtItsLineAndColumn() throws Exception {
    Path file = write(BAD_FILE);
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> DeployYaml.together(file));

    assertEquals(BAD_FILE_PROBLEMS, lines(e));
    assertEquals(4, assertInstanceOf(DeployFileException.class, e.getCause()).problems().size());
    // parigot up's own reading: the same lines, and the jars it looks for besides
    DeployFileException up = assertThrows(DeployFileException.class, () -> DeployFile.load(file));
    List<String> upSays = up.getMessage().replace(dir + "/", "").lines().toList();
    assertEquals(6, upSays.size(), up.getMessage());
    assertEquals(BAD_FILE_PROBLEMS.subList(0, 4), upSays.stream()
        .filter(p -> !p.contains("classpath entry target/chain.jar of service")).toList());
  }

  @Test
  void theTestsExtensionRefusesItTheSameWay() throws Exception {
    Path file = write("""
        name: shop
        services:
          store:
            main: io.parigot.junit.RecordsArgs
            classpath: target/classes
            depends_on: [cart]
        """);
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> ParigotExtension.builder().deployFile(file));

    assertEquals(List.of(
        "deploy.yaml:6:5: unknown key 'depends_on' in services.store; did you mean 'requires'?",
        "deploy.yaml has 1 problem; nothing was started."), lines(e));
  }

  @Test
  void aYamlSyntaxErrorIsNamedWhereItIsNotInJacksonsWords() throws Exception {
    Path file = write("""
        name: shop
        services:
          store:
            main: io.parigot.junit.RecordsArgs
           classpath: [target/classes]
        """);
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> DeployYaml.together(file));

    List<String> lines = lines(e);
    assertEquals(2, lines.size(), e.getMessage());
    assertTrue(lines.get(0).startsWith("deploy.yaml:5:4: YAML syntax error: "), lines.get(0));
    assertTrue(lines.get(0).endsWith("Indent it as the other keys of the map it belongs to."),
        lines.get(0));
    assertEquals("deploy.yaml has 1 problem; nothing was started.", lines.get(1));
    assertTrue(!e.getMessage().contains("Source:") && !e.getMessage().contains("[Source"),
        e.getMessage());
  }

  @Test
  void aFileWhoseJarsAreNotBuiltYetRunsFromTheTestsClasspath() throws Exception {
    Path file = write("""
        name: shop
        java: /no/such/jdk
        services:
          store:
            classpath: [target/shop.jar, lib/*]
            main: io.parigot.junit.RecordsArgs
            args: [store, --fast]
            env: {MODE: fast}
            jvm_options: [-Xmx48m]
            exports: [shop.Store]
          front:
            classpath: [target/shop.jar]
            main: io.parigot.junit.RecordsArgs
            args: [front]
            requires: [shop.Store]
            program: true
        """);
    assertEquals(0, DeployYaml.together(file).build().run());

    assertEquals(List.of("front"), RecordsArgs.RUNS.get("front"));
  }

  @Test
  void aMainClassNotOnTheTestsClasspathIsNamedForEveryService() throws Exception {
    Path file = write("""
        name: shop
        services:
          store:
            classpath: [target/shop.jar]
            main: com.example.StoreService
          front:
            jar: target/front.jar
            program: true
        """);
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> DeployYaml.together(file));

    assertEquals(List.of(
        "deploy.yaml:3:3: main class com.example.StoreService of service store (with a public "
            + "static main(String[])) is not on this JVM's classpath; together mode runs "
            + "services from the classpath of the test (or of java -cp), not from jar: or "
            + "classpath:",
        // (where it looked is absolute: lines() takes the directory off, as off the file's name)
        "deploy.yaml:6:3: service front runs jar target/front.jar, which is not there (looked "
            + "for target/front.jar); together mode takes the main class "
            + "from its manifest: build the jar first, or give the service classpath: and main: "
            + "instead",
        "deploy.yaml has 2 problems; nothing was started."), lines(e));
  }

  /**
   * A main class that is on the classpath but has no main (the generated interface, say) is not
   * said to be missing from the classpath.
   */
  @Test
  void aMainClassWithoutAMainIsToldSoNotThatItIsMissing() throws Exception {
    Path file = write("""
        name: shop
        services:
          store:
            classpath: [target/shop.jar]
            main: java.lang.Runnable
          cart:
            classpath: [target/shop.jar]
            main: io.parigot.junit.DeployYamlTest
          shopper:
            classpath: [target/shop.jar]
            main: io.parigot.junit.DeployYamlTest
            program: true
        """);
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> DeployYaml.together(file));

    assertEquals(List.of(
        "deploy.yaml:3:3: main class java.lang.Runnable of service store is an interface "
            + "without public static void main(String[]); name the class whose main exports "
            + "the service (its Parigot.service(...).run()), not the interface it implements",
        "deploy.yaml:6:3: main class io.parigot.junit.DeployYamlTest of service cart has no "
            + "public static void main(String[]); name the class whose main exports the service "
            + "(its Parigot.service(...).run())",
        "deploy.yaml:9:3: main class io.parigot.junit.DeployYamlTest of service shopper has no "
            + "public static void main(String[]); name the class whose main runs the program",
        "deploy.yaml has 3 problems; nothing was started."), lines(e));
  }

  /** A directory stands for its deploy.yaml, as for parigot up. */
  @Test
  void aDirectoryIsReadAsItsDeployYaml() throws Exception {
    write("""
        name: shop
        services:
          store:
            classpath: [target/shop.jar]
            main: io.parigot.junit.RecordsArgs
            args: [store]
            program: true
        """);
    assertEquals(0, DeployYaml.together(dir).build().run());
  }

  /** The extension runs the services, not the program: a program it cannot load is no matter. */
  @Test
  void theTestsExtensionDoesNotLookForTheProgramsMainClass() throws Exception {
    Path file = write("""
        name: shop
        services:
          store:
            classpath: [target/shop.jar]
            main: io.parigot.junit.RecordsArgs
          cli:
            classpath: [../cli/target/cli.jar]
            main: com.example.cli.Main
            program: true
        """);

    ParigotExtension.builder().deployFile(file); // does not throw
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> DeployYaml.together(file));
    assertTrue(e.getMessage().contains("main class com.example.cli.Main of service cli"),
        e.getMessage());
  }

  /** A main class that is there but cannot be loaded is not said to be missing. */
  @Test
  void aMainClassThatCannotBeLoadedSaysWhy() throws Exception {
    Path classes = Files.createDirectories(dir.resolve("classes/com/example"));
    // a class file of a JDK far newer than this one
    Files.write(classes.resolve("Future.class"), new byte[] {(byte) 0xCA, (byte) 0xFE,
        (byte) 0xBA, (byte) 0xBE, 0, 0, 0, 99, 0, 0});
    Path file = write("""
        name: shop
        services:
          store:
            classpath: [target/shop.jar]
            main: com.example.Future
        """);
    Thread thread = Thread.currentThread();
    ClassLoader before = thread.getContextClassLoader();
    try (URLClassLoader loader = new URLClassLoader(
        new URL[] {dir.resolve("classes").toUri().toURL()}, before)) {
      thread.setContextClassLoader(loader);
      IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
          () -> DeployYaml.together(file));

      assertTrue(lines(e).get(0).startsWith("deploy.yaml:3:3: main class com.example.Future of "
          + "service store is on this JVM's classpath but cannot be loaded: "
          + "java.lang.UnsupportedClassVersionError"), e.getMessage());
    } finally {
      thread.setContextClassLoader(before);
    }
  }

  private Path write(String yaml) throws Exception {
    Path file = dir.resolve("deploy.yaml");
    Files.writeString(file, yaml);
    return file;
  }

  /** The message's lines, the file named as it is from its own directory. */
  private List<String> lines(IllegalArgumentException e) {
    return e.getMessage().replace(dir + "/", "").lines().toList();
  }
}
