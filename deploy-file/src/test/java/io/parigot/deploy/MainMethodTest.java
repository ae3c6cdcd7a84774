package io.parigot.deploy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import javax.tools.ToolProvider;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A main: that names a class the JVM cannot start is told before anything starts. */
class MainMethodTest {
  @TempDir
  Path dir;

  @BeforeEach
  void classes() throws Exception {
    Path src = Files.createDirectories(dir.resolve("src/com/shop"));
    Files.writeString(src.resolve("Store.java"), "package com.shop; public interface Store {}");
    Files.writeString(src.resolve("StoreImpl.java"),
        "package com.shop; public class StoreImpl implements Store {}");
    Files.writeString(src.resolve("Base.java"),
        "package com.shop; public class Base { public static void main(String[] a) {} }");
    Files.writeString(src.resolve("Child.java"),
        "package com.shop; public class Child extends Base {}");
    Files.writeString(src.resolve("Runs.java"),
        "package com.shop; public interface Runs { default void main() {} }");
    Files.writeString(src.resolve("Launched.java"),
        "package com.shop; public class Launched implements Runs {}");
    Files.writeString(src.resolve("RunsStatic.java"),
        "package com.shop; public interface RunsStatic { static void main(String[] a) {} }");
    Files.writeString(src.resolve("NotLaunched.java"),
        "package com.shop; public class NotLaunched implements RunsStatic {}");
    Files.writeString(src.resolve("ClosingStore.java"), "package com.shop; public class "
        + "ClosingStore implements Store, AutoCloseable { public void close() {} }");
    Files.writeString(src.resolve("Worker.java"),
        "package com.shop; public class Worker extends Thread {}");
    List<String> args = new ArrayList<>(List.of("-d", dir.resolve("classes").toString()));
    try (var files = Files.list(src)) {
      files.forEach(f -> args.add(f.toString()));
    }
    assertEquals(0, ToolProvider.getSystemJavaCompiler().run(null, null, null,
        args.toArray(String[]::new)));
  }

  @Test
  void anInterfaceOrAClassWithoutAMainIsToldWhatToName() {
    assertEquals("deploy.yaml:5:11: main class com.shop.Store of service store has no main "
        + "method (public static void main(String[] args)), so the JVM cannot start it; it is an "
        + "interface (protoc-gen-parigot generates one per service): name the class that "
        + "implements it and starts the service", problems("com.shop.Store"));
    assertEquals("deploy.yaml:5:11: main class com.shop.StoreImpl of service store has no main "
        + "method (public static void main(String[] args)), so the JVM cannot start it; name the "
        + "class whose main starts the service", problems("com.shop.StoreImpl"));
  }

  @Test
  void aMainInheritedOrOfAClassItCannotReadIsTaken() throws Exception {
    for (String main : new String[] {"com.shop.Base", "com.shop.Child", "com.shop.Worker"}) {
      Deployment d = DeployFile.load(write(main));
      assertEquals(main, d.services().get(0).mainClass().orElseThrow());
    }
  }

  @Test
  void aMainClassOfTheSameNameOnAnotherClasspathIsReadFromItsOwn() throws Exception {
    // two builds of one class, one with a main and one without, in services in that order and
    // back: each service's main is read from its own classpath, not from the last one read
    compile("with", "package com.shop; public class App { public static void main(String[] a) {} }");
    compile("without", "package com.shop; public class App {}");
    Path file = Files.writeString(dir.resolve("deploy.yaml"), """
        name: shop
        services:
          first:
            classpath: [with]
            main: com.shop.App
          second:
            classpath: [without]
            main: com.shop.App
          third:
            classpath: [with]
            main: com.shop.App
        """);
    DeployFileException e = assertThrows(DeployFileException.class, () -> DeployFile.load(file));
    assertEquals(1, e.problems().size(), e.getMessage());
    assertTrue(e.getMessage().contains("main class com.shop.App of service second has no main"),
        e.getMessage());
  }

  private void compile(String into, String source) throws IOException {
    Path src = Files.createDirectories(dir.resolve("src-" + into + "/com/shop"));
    Files.writeString(src.resolve("App.java"), source);
    assertEquals(0, ToolProvider.getSystemJavaCompiler().run(null, null, null, "-d",
        dir.resolve(into).toString(), src.resolve("App.java").toString()));
  }

  /**
   * JDK 25 starts a class whose main is a default method of an interface it implements (java
   * Launched runs Runs.main); a static main of an interface is not inherited, and does not count.
   */
  @Test
  void aDefaultMainOfAnInterfaceIsTakenAndAStaticOneIsNot() throws Exception {
    assertEquals("com.shop.Launched", DeployFile.load(write("com.shop.Launched")).services().get(0)
        .mainClass().orElseThrow());
    assertTrue(problems("com.shop.NotLaunched").startsWith("deploy.yaml:5:11: main class "
        + "com.shop.NotLaunched of service store has no main method"));
    // the JDK's interfaces have no main to inherit: reading them is not needed to be sure
    assertTrue(problems("com.shop.ClosingStore").startsWith("deploy.yaml:5:11: main class "
        + "com.shop.ClosingStore of service store has no main method"));
  }

  private String problems(String main) {
    DeployFileException e = assertThrows(DeployFileException.class,
        () -> DeployFile.load(write(main)));
    return e.getMessage().replace(dir + "/", "");
  }

  private Path write(String main) throws IOException {
    return Files.writeString(dir.resolve("deploy.yaml"), """
        name: shop
        services:
          store:
            classpath: [classes]
            main: %s
        """.formatted(main));
  }
}
