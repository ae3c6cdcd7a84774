package example.helloworld;

import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * One run of the real {@code parigot} CLI in its own process, as a user would start it, with
 * what it printed and its exit code. Every JVM it started is checked to be gone.
 */
final class ParigotRun {
  static final Path JAR = Path.of(System.getProperty("parigot.jar", "../../orchestrator/target/parigot.jar"));
  static final Path EXAMPLE = Path.of(System.getProperty("example.dir", ".")).toAbsolutePath().normalize();

  final int exitCode;
  final String output;
  final Duration took;

  private ParigotRun(int exitCode, String output, Duration took) {
    this.exitCode = exitCode;
    this.output = output;
    this.took = took;
  }

  /** Runs {@code parigot ARGS} in {@code directory}, waiting at most {@code limit}. */
  static ParigotRun run(Path directory, Duration limit, String... args)
      throws IOException, InterruptedException {
    List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    command.add("-jar");
    command.add(JAR.toAbsolutePath().toString());
    command.addAll(List.of(args));
    Path log = Files.createTempFile("parigot-it", ".out");
    long start = System.nanoTime();
    Process process = new ProcessBuilder(command)
        .directory(directory.toFile())
        .redirectErrorStream(true)
        .redirectOutput(log.toFile())
        .start();
    try {
      if (!process.waitFor(limit.toMillis(), TimeUnit.MILLISECONDS)) {
        process.descendants().forEach(ProcessHandle::destroyForcibly);
        process.destroyForcibly();
        fail("parigot " + String.join(" ", args) + " did not end within " + limit + "; it printed:\n"
            + Files.readString(log));
      }
      Duration took = Duration.ofNanos(System.nanoTime() - start);
      return new ParigotRun(process.exitValue(), Files.readString(log, StandardCharsets.UTF_8), took);
    } finally {
      process.descendants().forEach(ProcessHandle::destroyForcibly);
      Files.deleteIfExists(log);
    }
  }

  /** Fails when a JVM whose command line mentions {@code marker} is still alive (waits up to 2 s). */
  static void assertNoJvmLeft(String marker) throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(2);
    List<ProcessHandle> left;
    do {
      left = ProcessHandle.allProcesses()
          .filter(p -> p.pid() != ProcessHandle.current().pid())
          .filter(p -> p.info().commandLine().map(c -> c.contains(marker)).orElse(false))
          .toList();
      if (left.isEmpty()) {
        return;
      }
      Thread.sleep(50);
    } while (System.nanoTime() < deadline);
    left.forEach(ProcessHandle::destroyForcibly);
    fail("JVMs left running after parigot ended: "
        + left.stream().map(p -> p.pid() + " " + p.info().commandLine().orElse("?")).toList());
  }

  void assertPrinted(String text) {
    assertTrue(output.contains(text), () -> "expected the output to contain\n  " + text
        + "\nbut parigot printed:\n" + output);
  }
}
