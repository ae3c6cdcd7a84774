package io.parigot.codegen;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * protoc-gen-parigot under plain protoc (the protoc the build downloaded), as docs/codegen.md
 * shows it: the standalone jar behind a script, {@code --parigot_out=DIR}.
 */
class PlainProtocIT {
  private static final Path ROOT = Path.of(System.getProperty("repo.root", "..")).toAbsolutePath().normalize();
  private static final String VERSION = System.getProperty("parigot.version", "0.1.0-SNAPSHOT");
  private static final Path WORK = Path.of("target", "plain-protoc").toAbsolutePath();
  private static Path protoc;
  private static Path plugin;
  private static Path includes;

  @BeforeAll
  static void setUp() throws IOException {
    Path dir = Path.of(System.getProperty("protoc.dir", "none"));
    assumeTrue(Files.isDirectory(dir), "no protoc downloaded in " + dir);
    Path exe;
    try (Stream<Path> files = Files.list(dir)) {
      exe = files.filter(p -> p.getFileName().toString().endsWith(".exe")).findFirst().orElseThrow();
    }
    Files.createDirectories(WORK);
    protoc = WORK.resolve("protoc");
    Files.copy(exe, protoc, StandardCopyOption.REPLACE_EXISTING);
    plugin = WORK.resolve("protoc-gen-parigot");
    Files.writeString(plugin, "#!/bin/sh\nexec java -jar " + ROOT.resolve(
        "protoc-gen-parigot/target/protoc-gen-parigot-" + VERSION + "-standalone.jar") + " \"$@\"\n");
    for (Path p : List.of(protoc, plugin)) {
      Files.setPosixFilePermissions(p, PosixFilePermissions.fromString("rwxr-xr-x"));
    }
    includes = WORK.resolve("include");
    unzip(ROOT.resolve("sdk-java/target/parigot-sdk-" + VERSION + ".jar"), "parigot/", includes);
    Path protobufJar = Path.of(com.google.protobuf.Message.class.getProtectionDomain()
        .getCodeSource().getLocation().getPath());
    unzip(protobufJar, "google/protobuf/", includes);
  }

  private record Run(int exitCode, String output, Path out) {}

  private static Run protoc(String protoRoot, String file) throws Exception {
    Path out = WORK.resolve("out-" + file.replace('/', '_'));
    Files.createDirectories(out);
    List<String> command = new ArrayList<>(List.of(protoc.toString(),
        "--plugin=protoc-gen-parigot=" + plugin, "--parigot_out=" + out,
        "-I", ROOT.resolve(protoRoot).toString(), "-I", includes.toString(), file));
    Path log = WORK.resolve("protoc-" + file.replace('/', '_') + ".log");
    Process process = new ProcessBuilder(command).redirectErrorStream(true)
        .redirectOutput(log.toFile()).start();
    try {
      // waited for with a limit, not read to its end: a protoc that hangs fails the test
      assertTrue(process.waitFor(60, TimeUnit.SECONDS), () -> "protoc did not end within 60 s; "
          + "it printed:\n" + read(log));
      return new Run(process.exitValue(), read(log), out);
    } finally {
      // on a timeout, protoc and the plugin JVM it started: none outlives the test
      process.descendants().forEach(ProcessHandle::destroyForcibly);
      process.destroyForcibly();
    }
  }

  private static String read(Path log) {
    try {
      return Files.readString(log);
    } catch (IOException e) {
      return "(its output could not be read: " + e + ")";
    }
  }

  @Test
  void generatesTheServiceFiles() throws Exception {
    Run run = protoc("protoc-gen-parigot/src/test/proto/good", "greeting/v1/greeting.proto");
    assertEquals(0, run.exitCode(), run.output());
    Path dir = run.out().resolve("io/parigot/codegen/greeting/v1");
    for (String name : List.of("Greeting.java", "GreetingClient.java", "GreetingBinding.java")) {
      assertTrue(Files.isRegularFile(dir.resolve(name)), name);
    }
  }

  /** protoc refuses an editions file for a plugin that does not say it supports editions. */
  @Test
  void anEdition2023FileGenerates() throws Exception {
    Run run = protoc("protoc-gen-parigot/src/test/proto/good", "editions/v1/editions.proto");
    assertEquals(0, run.exitCode(), run.output());
    assertTrue(Files.isRegularFile(run.out().resolve("io/parigot/codegen/editions/v1/Stamper.java")),
        run.output());
  }

  @Test
  void anEdition2024FileFailsProtocSayingWhatToWrite() throws Exception {
    Run run = protoc("protoc-gen-parigot/src/test/proto/bad", "later_edition.proto");
    assertEquals(1, run.exitCode(), run.output());
    assertTrue(run.output().contains("later_edition.proto:1:1: edition 2024 is not supported by "
        + "protoc-gen-parigot yet"), run.output());
    assertTrue(run.output().contains("Write edition = \"2023\"; (or syntax = \"proto3\";) in "
        + "later_edition.proto."), run.output());
  }

  @Test
  void badInputFailsProtocWithTheMessageAndWritesNothing() throws Exception {
    Run run = protoc("protoc-gen-parigot/src/test/proto/bad", "reserved_order.proto");
    assertEquals(1, run.exitCode(), run.output());
    assertTrue(run.output().contains("reserved_order.proto:7:3: enum GreetErr (bound by service "
        + "Greeting's error_id_name): value 1 must be DISPATCH_ERROR = 1, found FOO = 1;"), run.output());
    try (Stream<Path> files = Files.walk(run.out())) {
      assertEquals(1, files.count(), "protoc wrote files for bad input");
    }
  }

  @Test
  void everyProblemOfAFileIsReportedInOneRun() throws Exception {
    Run run = protoc("protoc-gen-parigot/src/test/proto/bad", "every_problem.proto");
    assertEquals(1, run.exitCode(), run.output());
    List<String> positions = new ArrayList<>();
    for (Matcher m = Pattern.compile("every_problem\\.proto:(\\d+:\\d+): ").matcher(run.output());
        m.find(); ) {
      positions.add(m.group(1));
    }
    assertEquals(List.of("7:3", "8:3", "10:3", "13:3", "19:3", "26:3"), positions,
        run.output());
    try (Stream<Path> files = Files.walk(run.out())) {
      assertEquals(1, files.count(), "protoc wrote files for bad input");
    }
  }

  private static void unzip(Path jar, String prefix, Path to) throws IOException {
    try (ZipFile zip = new ZipFile(jar.toFile())) {
      for (ZipEntry entry : zip.stream().toList()) {
        if (entry.getName().startsWith(prefix) && entry.getName().endsWith(".proto")) {
          Path target = to.resolve(entry.getName());
          Files.createDirectories(target.getParent());
          try (InputStream in = zip.getInputStream(entry)) {
            Files.copy(in, target, StandardCopyOption.REPLACE_EXISTING);
          }
        }
      }
    }
  }
}
