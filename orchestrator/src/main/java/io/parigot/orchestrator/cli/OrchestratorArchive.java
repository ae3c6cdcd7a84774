package io.parigot.orchestrator.cli;

import io.parigot.orchestrator.supervise.DeploymentOutput;
import io.parigot.orchestrator.supervise.Supervisor;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * The orchestrator's own class-data archive (a static AppCDS archive), so that {@code parigot up}
 * reaches its first service sooner and loads its classes from a mapped file instead of its jars.
 * The {@code parigot} script owns the plan: when the archive is missing or older than the jar,
 * it runs {@code up} with {@code -XX:DumpLoadedClassList} and names both files in system
 * properties; when the archive is there, it starts the JVM with it. This class does the part
 * that needs the JVM to have run: once a deployment that was ready has stopped, it dumps the
 * archive from the class list in a separate {@code java -Xshare:dump}, into a temporary file
 * that is renamed when complete, so a later start never maps a partial archive.
 */
final class OrchestratorArchive {
  /** Where the archive goes; set by the parigot script. */
  static final String ARCHIVE_PROPERTY = "parigot.archive";
  /** The class list this JVM writes; set by the script when the archive is to be recorded. */
  static final String CLASS_LIST_PROPERTY = "parigot.archive.classlist";
  private static final long DUMP_SECONDS = 120;

  private final Path archive;
  private final Path classList;

  private OrchestratorArchive(Path archive, Path classList) {
    this.archive = archive;
    this.classList = classList;
  }

  /** The archive this run records, when the script asked for one. */
  static Optional<OrchestratorArchive> toRecord() {
    String archive = System.getProperty(ARCHIVE_PROPERTY);
    String list = System.getProperty(CLASS_LIST_PROPERTY);
    if (archive == null || list == null || archive.isEmpty() || list.isEmpty()) {
      return Optional.empty();
    }
    return Optional.of(new OrchestratorArchive(Path.of(archive), Path.of(list)));
  }

  /**
   * The JVM options that start an orchestrator (a detached one) from the archive, when this JVM
   * was told of one and it exists; else none.
   */
  static List<String> jvmOptions() {
    String archive = System.getProperty(ARCHIVE_PROPERTY);
    if (archive == null || archive.isEmpty()) {
      return List.of();
    }
    try {
      // the script's rules: an archive older than the jar is of an earlier build, and one
      // recorded for the jar at another path (a checkout since moved) is not this jar's
      Path jar = Path.of(ownJar());
      if (!Files.isRegularFile(Path.of(archive)) || Files.getLastModifiedTime(Path.of(archive))
          .compareTo(Files.getLastModifiedTime(jar)) <= 0
          || !Files.readString(madeFor(Path.of(archive))).equals(ownJar() + "\n")) {
        return List.of();
      }
    } catch (IOException | RuntimeException e) {
      return List.of();
    }
    return List.of("-XX:SharedArchiveFile=" + archive, "-Xshare:auto", "-Xlog:cds=off");
  }

  /**
   * The file beside an archive that names the jar it was recorded for, as the script names it
   * ({@code -jar} makes that the class path): the archive holds the jar's path, and a JVM that
   * maps it for a jar elsewhere may not start from it, or start with classes whose code source
   * is gone (on JDK 25, a moved checkout's {@code up -d} could not find its own jar).
   */
  static Path madeFor(Path archive) {
    return archive.resolveSibling(archive.getFileName() + ".for");
  }

  /**
   * The jar this JVM runs, as {@code java -jar} was given it (the script's path, symlinks and
   * all): what a detached orchestrator is started with, and what an archive is recorded for.
   */
  static String ownJar() {
    return System.getProperty("java.class.path");
  }

  /** Drops this run's class list: a run that hands the deployment to another JVM records none. */
  void forget() {
    try {
      Files.deleteIfExists(classList);
    } catch (IOException e) {
      // a leftover in orchestrator/target/cds is harmless
    }
  }

  /**
   * Dumps the archive from this run's class list; {@code wasReady} says the deployment got as
   * far as ready, so the list holds every class a start needs. A failure is reported and leaves
   * no archive: the next {@code up} records again.
   */
  void record(boolean wasReady, DeploymentOutput output) {
    Path part = archive.resolveSibling(archive.getFileName() + "."
        + ProcessHandle.current().pid() + ".part");
    Process dump = null;
    try {
      if (!wasReady || !Files.isRegularFile(classList)) {
        return;
      }
      output.say("recording the orchestrator's class-data archive (first run after a build "
          + "only; it makes the next start faster)");
      List<String> command = new ArrayList<>();
      command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
      command.add("-XX:+UseSerialGC");
      // with the options the archive will be used with, as the script started this JVM: one
      // dumped for another module set is mapped without its module graph
      if (System.getProperty("jdk.module.enable.native.access") != null) {
        command.addAll(Supervisor.quietOnThisJdk());
      }
      command.add("-Xshare:dump");
      command.add("-XX:SharedClassListFile=" + classList);
      command.add("-XX:SharedArchiveFile=" + part);
      command.add("-Xlog:cds=off");
      command.add("-cp");
      command.add(System.getProperty("java.class.path"));
      Path log = Files.createTempFile(archive.getParent(), "dump", ".log");
      dump = new ProcessBuilder(command).redirectErrorStream(true)
          .redirectOutput(log.toFile()).start();
      boolean ended = dump.waitFor(DUMP_SECONDS, TimeUnit.SECONDS);
      if (!ended) {
        dump.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
      }
      String said = Files.readString(log).strip();
      Files.deleteIfExists(log);
      if (!ended || dump.exitValue() != 0 || !Files.isRegularFile(part)) {
        output.warn("could not record the orchestrator's class-data archive ("
            + (ended ? "java -Xshare:dump exited with code " + dump.exitValue()
                : "java -Xshare:dump took over " + DUMP_SECONDS + " s")
            + (said.isEmpty() ? "" : ": " + said.lines().reduce((a, b) -> b).orElse(""))
            + "); parigot starts without one and tries again next time");
        return;
      }
      Files.move(part, archive, StandardCopyOption.REPLACE_EXISTING,
          StandardCopyOption.ATOMIC_MOVE);
      // the jar it was recorded for, after it is complete: a moved checkout records its own
      Files.writeString(madeFor(archive), ownJar() + "\n");
    } catch (IOException e) {
      output.warn("could not record the orchestrator's class-data archive: " + e.getMessage()
          + "; parigot starts without one and tries again next time");
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } finally {
      if (dump != null && dump.isAlive()) {
        dump.destroyForcibly();
      }
      try {
        Files.deleteIfExists(part);
        Files.deleteIfExists(classList);
      } catch (IOException e) {
        // a leftover in orchestrator/target/cds is harmless; the next dump replaces the archive
      }
    }
  }
}
