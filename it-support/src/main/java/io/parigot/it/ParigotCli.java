package io.parigot.it;

import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import io.parigot.control.ProcStat;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

/**
 * The real {@code parigot} CLI, run in its own process as a user would run it, for integration
 * tests. The jar is {@code orchestrator/target/parigot.jar}, found from the system property
 * {@code parigot.jar} or by walking up from the working directory.
 */
public final class ParigotCli {
  private ParigotCli() {}

  /** What one run printed (stdout and stderr together) and its exit code. */
  public record Result(int exitCode, String output, Duration took) {
    /** Fails unless the output contains {@code text}. */
    public void assertPrinted(String text) {
      assertTrue(output.contains(text), () -> "expected the output to contain\n  " + text
          + "\nbut parigot printed:\n" + output);
    }
  }

  /** The parigot jar under test. */
  public static Path jar() {
    String property = System.getProperty("parigot.jar");
    if (property != null) {
      return Path.of(property).toAbsolutePath().normalize();
    }
    Path dir = Path.of("").toAbsolutePath();
    while (dir != null) {
      Path candidate = dir.resolve("orchestrator/target/parigot.jar");
      if (Files.isRegularFile(candidate)) {
        return candidate;
      }
      dir = dir.getParent();
    }
    throw new IllegalStateException("orchestrator/target/parigot.jar not found; build it first");
  }

  /** Runs {@code parigot ARGS} in {@code directory} and waits for it, at most {@code limit}. */
  public static Result run(Path directory, Duration limit, String... args)
      throws IOException, InterruptedException {
    return run(new ProcessBuilder(command(args)), directory, limit, args);
  }

  /** {@link #run(Path, Duration, String...)} with {@code env} added to the environment. */
  public static Result run(Path directory, Duration limit, Map<String, String> env,
      String... args) throws IOException, InterruptedException {
    ProcessBuilder builder = new ProcessBuilder(command(args));
    builder.environment().putAll(env);
    return run(builder, directory, limit, args);
  }

  /**
   * Runs the checkout's {@code parigot} script, as a user types {@code ./parigot ARGS}, with
   * {@code env} added to the environment (say, a {@code JAVA_HOME}). The script is a copy, in
   * {@code checkout} (made when it is not there, kept for the next run), with links to the jar
   * under test and its libraries while it runs: it finds no source newer than the jar there,
   * so it never builds, and the orchestrator archive it records stays there, not in the
   * checkout's build.
   */
  public static Result runScript(Path checkout, Path directory, Duration limit,
      Map<String, String> env, String... args) throws IOException, InterruptedException {
    Path jar = jar();
    Path script = jar.getParent().getParent().getParent().resolve("parigot");
    if (!Files.isRegularFile(script)) {
      throw new IllegalStateException("no parigot script beside " + jar + " (at " + script + ")");
    }
    Path top = checkout;
    Path build = Files.createDirectories(top.resolve("orchestrator/target"));
    Files.copy(script, top.resolve("parigot"), StandardCopyOption.COPY_ATTRIBUTES,
        StandardCopyOption.REPLACE_EXISTING);
    // the jar finds its libraries beside it, through the link: its manifest names lib/...
    Path jarLink = Files.createSymbolicLink(build.resolve(jar.getFileName()), jar);
    Path libLink = Files.createSymbolicLink(build.resolve("lib"), jar.resolveSibling("lib"));
    try {
      List<String> command = new ArrayList<>(List.of(top.resolve("parigot").toString()));
      command.addAll(List.of(args));
      ProcessBuilder builder = new ProcessBuilder(command);
      builder.environment().putAll(env);
      return run(builder, directory, limit, args);
    } finally {
      Files.deleteIfExists(jarLink); // the links, not what they name
      Files.deleteIfExists(libLink);
    }
  }

  private static Result run(ProcessBuilder builder, Path directory, Duration limit,
      String... args) throws IOException, InterruptedException {
    Path log = Files.createTempFile("parigot-it", ".out");
    long start = System.nanoTime();
    Process process = builder
        .directory(directory.toFile())
        .redirectErrorStream(true)
        .redirectOutput(log.toFile())
        .start();
    try {
      if (!process.waitFor(limit.toMillis(), TimeUnit.MILLISECONDS)) {
        killTree(process.toHandle());
        fail("parigot " + String.join(" ", args) + " did not end within " + limit
            + "; it printed:\n" + Files.readString(log));
      }
      return new Result(process.exitValue(), Files.readString(log, StandardCharsets.UTF_8),
          Duration.ofNanos(System.nanoTime() - start));
    } finally {
      killTree(process.toHandle());
      Files.deleteIfExists(log);
    }
  }

  /** Starts {@code parigot ARGS} without waiting; the caller stops it (see {@link #killTree}). */
  public static Process start(Path directory, Path output, String... args) throws IOException {
    return new ProcessBuilder(command(args))
        .directory(directory.toFile())
        .redirectErrorStream(true)
        .redirectOutput(output.toFile())
        .start();
  }

  /**
   * Starts {@code parigot ARGS} without waiting, its output a pipe the caller reads (and may
   * close: {@link Process#getInputStream}) and its errors in {@code errors}; the caller stops
   * it (see {@link #killTree}).
   */
  public static Process startPiped(Path directory, Path errors, String... args)
      throws IOException {
    return new ProcessBuilder(command(args))
        .directory(directory.toFile())
        .redirectError(errors.toFile())
        .start();
  }

  private static List<String> command(String... args) {
    List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    command.add("-jar");
    command.add(jar().toString());
    command.addAll(List.of(args));
    return command;
  }

  /** Kills a process and everything it started. */
  public static void killTree(ProcessHandle process) {
    process.descendants().forEach(ProcessHandle::destroyForcibly);
    process.destroyForcibly();
  }

  /**
   * Whether {@code pid} runs. Not {@link ProcessHandle#isAlive} alone: a process that has exited
   * and that its parent has yet to reap (a zombie) is alive to it, and an orchestrator that
   * outlived its {@code up -d} is reaped only by whoever adopted it (a container's first
   * process may never do it).
   */
  public static boolean runs(long pid) {
    if (!ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false)) {
      return false;
    }
    // no stat: gone since
    return ProcStat.of(pid).map(ProcStat::state).map(state -> state != 'Z').orElse(false);
  }

  /** The JVMs alive whose command line mentions {@code marker} (never this JVM). */
  public static List<ProcessHandle> jvmsMentioning(String marker) {
    return ProcessHandle.allProcesses()
        .filter(p -> p.pid() != ProcessHandle.current().pid())
        .filter(p -> p.info().commandLine().map(c -> c.contains(marker)).orElse(false))
        .toList();
  }

  /**
   * Fails when a JVM whose command line mentions {@code marker} is still alive after {@code
   * grace}; kills those it finds, so one failure does not leak into the next test.
   */
  public static void assertNoJvmLeft(String marker, Duration grace) throws InterruptedException {
    if (waitFor(grace, () -> jvmsMentioning(marker).isEmpty())) {
      return;
    }
    List<ProcessHandle> left = jvmsMentioning(marker);
    left.forEach(ParigotCli::killTree);
    fail("JVMs left running: " + left.stream()
        .map(p -> p.pid() + " " + p.info().commandLine().orElse("?")).toList());
  }

  /** Polls {@code condition} every 50 ms until it holds (true) or {@code limit} passes (false). */
  public static boolean waitFor(Duration limit, BooleanSupplier condition)
      throws InterruptedException {
    long deadline = System.nanoTime() + limit.toNanos();
    while (true) {
      if (condition.getAsBoolean()) {
        return true;
      }
      if (System.nanoTime() > deadline) {
        return false;
      }
      Thread.sleep(50);
    }
  }
}
