package io.parigot.codegen;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * Builds a service project that lives outside this repository, using exactly the pom lines of
 * docs/codegen.md, offline, against a private local repository that holds only the jars this
 * build just made (parigot-parent, control-plane, sdk, protoc-gen-parigot); everything else is
 * read from ~/.m2 as a read-only tail, so nothing is installed where other builds look.
 */
class OutOfTreeIT {
  private static final Path ROOT = Path.of(System.getProperty("repo.root", "..")).toAbsolutePath().normalize();
  private static final String VERSION = System.getProperty("parigot.version", "0.1.0-SNAPSHOT");

  @Test
  void aProjectOutsideTheRepositoryBuildsFromTheDocumentedPomLines() throws Exception {
    Path work = Path.of("target", "outside").toAbsolutePath();
    deleteTree(work);
    Path project = work.resolve("greeting-service");
    copyTree(Path.of("src", "test", "resources", "outside"), project);
    String docs = Files.readString(ROOT.resolve("docs/codegen.md"));
    Path pom = project.resolve("pom.xml");
    Files.writeString(pom, Files.readString(pom)
        .replace("<!-- pom:dependencies -->", block(docs, "pom:dependencies"))
        .replace("<!-- pom:plugins -->", block(docs, "pom:plugins")));

    Path repo = work.resolve("repo");
    publish(repo, "parigot-parent", ROOT.resolve("pom.xml"), null);
    publish(repo, "parigot-control-plane", ROOT.resolve("control-plane/pom.xml"),
        ROOT.resolve("control-plane/target/parigot-control-plane-" + VERSION + ".jar"));
    publish(repo, "parigot-sdk", ROOT.resolve("sdk-java/pom.xml"),
        ROOT.resolve("sdk-java/target/parigot-sdk-" + VERSION + ".jar"));
    publish(repo, "protoc-gen-parigot", ROOT.resolve("protoc-gen-parigot/pom.xml"),
        ROOT.resolve("protoc-gen-parigot/target/protoc-gen-parigot-" + VERSION + ".jar"));

    Path log = work.resolve("build.log");
    Process maven = new ProcessBuilder(ROOT.resolve("mvnw").toString(), "-B", "-o", "-q",
        "-f", pom.toString(),
        "-Dmaven.repo.local=" + repo,
        "-Dmaven.repo.local.tail=" + Path.of(System.getProperty("user.home"), ".m2", "repository"),
        "-DskipTests", "package")
        .redirectErrorStream(true)
        .redirectOutput(log.toFile())
        .start();
    try {
      assertTrue(maven.waitFor(150, TimeUnit.SECONDS), "the build took longer than 150 s");
    } finally {
      maven.descendants().forEach(ProcessHandle::destroyForcibly);
      maven.destroyForcibly();
    }
    assertEquals(0, maven.exitValue(), "the out-of-tree build failed:\n" + Files.readString(log));

    Path generated = project.resolve("target/generated-sources/protobuf/com/example/greeting/v1");
    for (String name : List.of("Greeting.java", "GreetingClient.java", "GreetingBinding.java")) {
      assertTrue(Files.isRegularFile(generated.resolve(name)), "generated " + name);
    }
    assertTrue(Files.isRegularFile(project.resolve("target/classes/com/example/Hello.class")));
    assertTrue(Files.isRegularFile(project.resolve("target/greeting-service-1.0.jar")));
  }

  /** The ```xml block that follows the marker comment in docs/codegen.md. */
  private static String block(String docs, String marker) {
    Matcher m = Pattern.compile("<!-- " + Pattern.quote(marker) + "[^>]*-->\\s*```xml\\n(.*?)```",
        Pattern.DOTALL).matcher(docs);
    assertTrue(m.find(), "docs/codegen.md has no ```xml block after <!-- " + marker + " -->");
    String lines = m.group(1);
    assertTrue(lines.lines().count() <= 10, marker + " is more than ten lines");
    return lines;
  }

  /** Lays out {@code artifactId} as `mvn install` would, without touching any shared repository. */
  private static void publish(Path repo, String artifactId, Path pom, Path jar) throws IOException {
    Path dir = repo.resolve("io/parigot/" + artifactId + "/" + VERSION);
    Files.createDirectories(dir);
    Files.copy(pom, dir.resolve(artifactId + "-" + VERSION + ".pom"), StandardCopyOption.REPLACE_EXISTING);
    if (jar != null) {
      assertTrue(Files.isRegularFile(jar), jar + " is missing; build it first (./mvnw -B package)");
      Files.copy(jar, dir.resolve(artifactId + "-" + VERSION + ".jar"), StandardCopyOption.REPLACE_EXISTING);
    }
  }

  private static void copyTree(Path from, Path to) throws IOException {
    try (Stream<Path> walk = Files.walk(from)) {
      for (Path path : walk.toList()) {
        Path target = to.resolve(from.relativize(path).toString());
        if (Files.isDirectory(path)) {
          Files.createDirectories(target);
        } else {
          Files.copy(path, target, StandardCopyOption.REPLACE_EXISTING);
        }
      }
    }
  }

  private static void deleteTree(Path dir) throws IOException {
    if (!Files.exists(dir)) {
      return;
    }
    try (Stream<Path> walk = Files.walk(dir)) {
      for (Path path : walk.sorted((a, b) -> b.compareTo(a)).toList()) {
        Files.delete(path);
      }
    }
  }
}
