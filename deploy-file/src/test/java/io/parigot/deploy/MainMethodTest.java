package io.parigot.deploy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

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
