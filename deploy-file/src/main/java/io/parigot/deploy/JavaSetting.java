package io.parigot.deploy;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The {@code java:} setting of deploy.yaml, at the top level or in a service: a JDK's home
 * directory or its {@code bin/java}. It must exist, be a JDK and be JDK 17 or newer (what
 * services are compiled for). A JDK that several services name is looked at once; without the
 * machine's checks, only that the setting is text.
 */
final class JavaSetting {
  /** The oldest JDK parigot's services run on. */
  static final int MINIMUM_FEATURE = 17;
  private static final int LISTED = 8;

  private final Path directory;
  private final String fileName;
  private final Problems problems;
  private final boolean looksAtJdks;
  private final Map<Path, JavaRuntime> looked = new HashMap<>();

  /**
   * {@code directory} is where the deploy.yaml named {@code fileName} is; {@code looksAtJdks}
   * false reads the setting as text and gives no JDK for it.
   */
  JavaSetting(Path directory, String fileName, Problems problems, boolean looksAtJdks) {
    this.directory = directory;
    this.fileName = fileName;
    this.problems = problems;
    this.looksAtJdks = looksAtJdks;
  }

  /**
   * The JDK the {@code java:} key of {@code keys} names; empty when absent or wrong, and when
   * JDKs are not looked at.
   */
  Optional<JavaRuntime> read(MapReader keys) {
    Optional<Node.Scalar> written = keys.text("java", "a JDK's home directory or its bin/java");
    if (written.isEmpty() || !looksAtJdks) {
      return Optional.empty();
    }
    Node.Scalar at = written.get();
    String name = keys.name("java") + " " + at.text();
    Path resolved = resolve(at.text());
    if (!Files.exists(resolved)) {
      String lookedFor = Path.of(at.text()).isAbsolute() ? "" : " (looked for " + resolved + ")";
      problems.report(at, name + " does not exist" + lookedFor + nearby(resolved));
      return Optional.empty();
    }
    Path executable;
    Path home;
    if (Files.isDirectory(resolved)) {
      if (Files.isRegularFile(resolved.resolve("bin").resolve("java"))) {
        home = resolved;
        executable = resolved.resolve("bin").resolve("java");
      } else if (resolved.getFileName() != null && resolved.getFileName().toString().equals("bin")
          && Files.isRegularFile(resolved.resolve("java"))) {
        home = resolved.getParent();
        executable = resolved.resolve("java");
      } else {
        problems.report(at, name + " is not a JDK: " + resolved + " has no bin/java. Give the "
            + "JDK's home directory (the one holding bin/ and release) or its bin/java");
        return Optional.empty();
      }
    } else {
      executable = resolved;
      home = homeOf(resolved);
    }
    if (!Files.isExecutable(executable)) {
      problems.report(at, name + ": " + executable + " is not executable; give a JDK's home "
          + "directory or its bin/java");
      return Optional.empty();
    }
    JavaRuntime runtime = looked.computeIfAbsent(executable, e -> JavaRuntime.of(e, home));
    if (runtime.isVersionKnown() && runtime.feature() < MINIMUM_FEATURE) {
      problems.report(at, name + " is JDK " + runtime.version() + " (from "
          + home.resolve("release") + "); parigot services need JDK " + MINIMUM_FEATURE + " or newer");
      return Optional.empty();
    }
    return Optional.of(runtime);
  }

  private Path resolve(String written) {
    if (written.equals("~") || written.startsWith("~/")) {
      return Path.of(System.getProperty("user.home") + written.substring(1)).normalize();
    }
    return directory.resolve(written).normalize();
  }

  /** The home of a launcher: two levels above it, after following links like /usr/bin/java. */
  private static Path homeOf(Path executable) {
    Path real;
    try {
      real = executable.toRealPath();
    } catch (IOException e) {
      real = executable;
    }
    Path bin = real.getParent();
    return bin == null || bin.getParent() == null ? real : bin.getParent();
  }

  /**
   * A hint for a path that does not exist: a close name beside its first part that is not there
   * (the JDK's directory of a {@code .../bin/java} with a typo), or the JDKs that are there.
   */
  private String nearby(Path missing) {
    Path first = missing;
    while (first.getParent() != null && !Files.exists(first.getParent())) {
      first = first.getParent();
    }
    Path parent = first.getParent();
    if (parent == null || first.getFileName() == null || !Files.isDirectory(parent)) {
      return "; paths are relative to the directory of " + fileName;
    }
    Path rest = first.relativize(missing);
    List<String> siblings = new ArrayList<>();
    List<String> jdks = new ArrayList<>();
    try (DirectoryStream<Path> entries = Files.newDirectoryStream(parent)) {
      for (Path entry : entries) {
        siblings.add(entry.getFileName().toString());
        // a JDK's home has its release file too; /usr has a bin/java, and is not one
        if (Files.isRegularFile(entry.resolve("bin").resolve("java"))
            && Files.isRegularFile(entry.resolve("release"))) {
          jdks.add(entry.getFileName().toString());
        }
      }
    } catch (IOException e) {
      return "";
    }
    Optional<String> close = DidYouMean.closest(first.getFileName().toString(), siblings);
    if (close.isPresent()) {
      Path meant = parent.resolve(close.get());
      return "; did you mean " + (Files.exists(meant.resolve(rest)) ? meant.resolve(rest) : meant)
          + "?";
    }
    if (!jdks.isEmpty()) {
      jdks.sort(null);
      return "; the JDKs in " + parent + " are " + String.join(", ",
          jdks.subList(0, Math.min(LISTED, jdks.size()))) + (jdks.size() > LISTED ? ", ..." : "");
    }
    return "; give a JDK's home directory or its bin/java (paths are relative to the directory "
        + "of " + fileName + ")";
  }
}
