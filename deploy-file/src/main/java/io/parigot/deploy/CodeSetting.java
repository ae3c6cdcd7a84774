package io.parigot.deploy;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.jar.JarFile;
import java.util.jar.Manifest;

/**
 * The code a service of deploy.yaml runs: {@code jar:} (run with {@code java -jar}), or
 * {@code classpath:} with {@code main:}. Paths are relative to the file's directory. With the
 * machine's checks, each jar, directory and {@code dir/*} must be there, a jar must be a jar, the
 * main class (a jar's {@code Main-Class}, or {@code main:}) must be where the JVM will look for
 * it, and what the application jar's manifest Class-Path names must be there too; the looking
 * itself is {@link ClassFinder}'s. Without them, only the file's text is checked and paths are
 * resolved but not looked at.
 */
final class CodeSetting {
  private final Path directory;
  private final String fileName;
  private final Problems problems;
  private final boolean checksMachine;
  private final ClassFinder finder = new ClassFinder();

  /** What a service runs; what was wrong is reported and left out. */
  record Code(Optional<Path> jar, List<Path> classpath, Optional<String> mainClass) {}

  /**
   * {@code directory} is where the deploy.yaml named {@code fileName} is; {@code checksMachine}
   * false reads the settings as text and looks at no file.
   */
  CodeSetting(Path directory, String fileName, Problems problems, boolean checksMachine) {
    this.directory = directory;
    this.fileName = fileName;
    this.problems = problems;
    this.checksMachine = checksMachine;
  }

  /**
   * The code of service {@code name}, whose settings {@code keys} reads; {@code entry} is its
   * entry under {@code services:}, and {@code path} its place in the file, like
   * {@code services.hello}.
   */
  Code read(Node.Entry entry, MapReader keys, String name, String path) {
    boolean hasJar = keys.entry("jar").isPresent();
    boolean hasClasspath = keys.entry("classpath").isPresent();
    boolean hasMain = keys.entry("main").isPresent();
    if (keys.isPartial() && !(hasJar && (hasClasspath || hasMain))) {
      // what it lacks may be the merged alias's, which stands for nothing until it is mended
    } else if (hasJar && (hasClasspath || hasMain)) {
      Node.Entry at = keys.entry("jar").get();
      problems.report(at.line(), at.column(), path + " gives both jar: and "
          + (hasClasspath ? "classpath:" : "main:") + "; give either jar: (run with java -jar) "
          + "or classpath: with main:");
    } else if (!hasJar && !hasClasspath && !hasMain) {
      problems.report(entry.line(), entry.column(), "service " + name + " has no code; give "
          + "classpath: and main:, or jar:");
    } else if (!hasJar && hasMain != hasClasspath) {
      Node.Entry at = keys.entry(hasMain ? "main" : "classpath").get();
      problems.report(at.line(), at.column(), "service " + name + " gives "
          + (hasMain ? "main: but no classpath:" : "classpath: but no main:")
          + "; give both, or jar: alone");
    }
    Optional<Path> jar = hasJar ? jar(keys, name) : Optional.empty();
    List<Path> classpath = new ArrayList<>();
    Optional<String> mainClass = hasClasspath ? classpath(keys, name, hasMain, classpath)
        : Optional.empty();
    return new Code(jar, classpath, mainClass);
  }

  /** The jar of {@code jar:}, when it is one. */
  private Optional<Path> jar(MapReader keys, String name) {
    Optional<Path> jar = Optional.empty();
    Optional<Node.Scalar> written = keys.text("jar", "the path of a jar");
    if (written.isPresent()) {
      Path resolved = directory.resolve(written.get().text()).normalize();
      if (!checksMachine) {
        jar = Optional.of(resolved);
      } else if (Files.isDirectory(resolved)) {
        problems.report(written.get(), "jar " + written.get().text() + " of service " + name
            + " is a directory, not a jar; for a directory of classes give classpath: ["
            + written.get().text() + "] and main:");
      } else if (!Files.isRegularFile(resolved)) {
        problems.report(written.get(), "jar " + written.get().text() + " of service " + name
            + " does not exist (looked for " + resolved + ")" + buildHint(written.get(), resolved));
      } else {
        jar = Optional.of(resolved);
        checkJarMain(name, resolved, written.get());
      }
    }
    return jar;
  }

  /**
   * Reads {@code classpath:} into {@code classpath}, and gives the class of {@code main:} when
   * the service has one and it is a class name.
   */
  private Optional<String> classpath(MapReader keys, String name, boolean hasMain,
      List<Path> classpath) {
    Optional<String> mainClass = Optional.empty();
    int cpBefore = problems.count();
    Optional<List<Node.Scalar>> items = keys.texts("classpath", "a jar or directory");
    Map<Path, Node.Scalar> named = new HashMap<>();
    for (Node.Scalar item : items.orElse(List.of())) {
      List<Path> entries = classpathEntry(name, item);
      if (entries.size() == 1 && !item.text().endsWith("*")) {
        named.putIfAbsent(entries.get(0), item);
      }
      classpath.addAll(entries);
    }
    if (items.isPresent() && items.get().isEmpty()) {
      Node.Entry at = keys.entry("classpath").get();
      problems.report(at.line(), at.column(), "classpath: of service " + name + " is empty; "
          + "list the jars or directories that hold its classes, like  classpath: [app.jar]");
    }
    if (hasMain) {
      Optional<Node.Scalar> written = keys.text("main", "a class name like com.example.Main");
      if (written.isPresent()) {
        String main = written.get().text();
        if (!ServiceReader.PROTO_NAME.matcher(main).matches()) {
          problems.report(written.get(), "main \"" + main + "\" of service " + name + " is not a "
              + "Java class name; write it like com.example.Main");
        } else {
          mainClass = Optional.of(main);
          // the entry that holds the class itself: one opening of the jar, most often all
          Optional<Path> app = !checksMachine || problems.count() != cpBefore
              || classpath.isEmpty() ? Optional.empty() : finder.entryHolding(classpath, main);
          Optional<String> noMain = app.flatMap(found -> finder.classFileRead(classpath, main))
              .flatMap(bytes -> MainMethod.missing(bytes,
                  parent -> ClassFinder.classFile(classpath, parent)));
          if (checksMachine && problems.count() == cpBefore && !classpath.isEmpty()
              && app.isEmpty() && !finder.hasClass(classpath, main)) {
            List<String> entries = classpath.stream().map(p -> p.startsWith(directory)
                ? directory.relativize(p).toString() : p.toString()).toList();
            problems.report(written.get(), "main class " + main + " of service " + name
                + " is not on its classpath (" + String.join(", ", entries.subList(0,
                    Math.min(3, entries.size())))
                + (entries.size() > 3 ? " and " + (entries.size() - 3) + " more" : "") + ")"
                + finder.closeTo(classpath, main).map(c -> "; did you mean " + c + "?")
                    .orElse("; check the spelling and package, and that the jar was built"));
          } else if (noMain.isPresent()) {
            problems.report(written.get(), "main class " + main + " of service " + name + " "
                + noMain.get());
          } else if (app.isPresent() && named.containsKey(app.get())) {
            // the application's own jar: its Class-Path is what it runs with, where a
            // dependency's may name optional jars nobody ships; and what it names may be on
            // the classpath already, from another directory
            Set<String> given = new HashSet<>();
            classpath.forEach(p -> given.add(p.getFileName().toString()));
            // (entryHolding read the jar's Class-Path; a directory has none)
            reportMissingClassPath("classpath entry " + named.get(app.get()).text(), name,
                named.get(app.get()), finder.missingClassPathRead(app.get())
                    .stream().filter(p -> !given.contains(p.getFileName().toString()))
                    .toList());
          }
        }
      }
    }
    return mainClass;
  }

  /** One classpath item: a jar, a directory of classes, or {@code dir/*} for every jar in dir. */
  private List<Path> classpathEntry(String service, Node.Scalar item) {
    String written = item.text();
    if (written.isBlank()) {
      problems.report(item, "a classpath entry of service " + service + " is empty; give a jar, "
          + "a directory of classes, or dir/* for every jar in dir");
      return List.of();
    }
    if (!checksMachine) {
      return List.of(directory.resolve(written).normalize());
    }
    if (written.equals("*") || written.endsWith("/*")) {
      Path dir = directory.resolve(written.substring(0, written.length() - 1)).normalize();
      if (!Files.isDirectory(dir)) {
        problems.report(item, "classpath entry " + written + " of service " + service + ": "
            + "directory " + dir + " does not exist" + buildHint(item, dir));
        return List.of();
      }
      List<Path> jars = new ArrayList<>();
      try (DirectoryStream<Path> stream = Files.newDirectoryStream(dir, "*.{jar,JAR}")) {
        stream.forEach(jars::add);
      } catch (IOException e) {
        problems.report(item, "cannot list " + dir + ": " + e.getMessage());
        return List.of();
      }
      if (jars.isEmpty()) {
        problems.report(item, "classpath entry " + written + " of service " + service
            + " matches no jar in " + dir);
      }
      jars.sort(null);
      return jars;
    }
    Path resolved = directory.resolve(written).normalize();
    if (!Files.exists(resolved)) {
      problems.report(item, "classpath entry " + written + " of service " + service
          + " does not exist (looked for " + resolved + ")" + buildHint(item, resolved));
      return List.of();
    }
    if (Files.isRegularFile(resolved)) {
      finder.whyNotAJar(resolved).ifPresent(why -> problems.report(item, "classpath entry "
          + written + " of service " + service + " " + why
          + "; give jars and directories of classes"));
    }
    return List.of(resolved);
  }

  private void reportMissingClassPath(String what, String service, Node.Scalar at,
      List<Path> missing) {
    if (missing.isEmpty()) {
      return;
    }
    List<String> shown = missing.stream().limit(3).map(Path::toString).toList();
    problems.report(at, what + " of service " + service + " names "
        + (missing.size() == 1 ? "an entry" : missing.size() + " entries")
        + " in its manifest Class-Path that " + (missing.size() == 1 ? "is" : "are")
        + " not there: " + String.join(", ", shown)
        + (missing.size() > shown.size() ? " and " + (missing.size() - shown.size()) + " more"
            : "")
        + "; put what it names where it says, relative to the jar (with Maven: "
        + "dependency:copy-dependencies into that directory), or build the jar without them");
  }

  /**
   * What to do about a path that is not there: a build's output (under a {@code target/}) is
   * built with the Maven wrapper of the project, or its nearest parent's, else with Maven; any
   * other path may be written relative to the wrong directory.
   */
  private String buildHint(Node.Scalar item, Path resolved) {
    if (!item.text().contains("target/")) {
      return "; paths are relative to the directory of " + fileName;
    }
    Path project = resolved;
    while (project != null && (project.getFileName() == null
        || !project.getFileName().toString().equals("target"))) {
      project = project.getParent();
    }
    project = project == null ? null : project.getParent();
    if (project == null || !Files.isRegularFile(project.resolve("pom.xml"))) {
      return "; build it first";
    }
    for (Path dir = project; dir != null; dir = dir.getParent()) {
      if (Files.isRegularFile(dir.resolve("mvnw"))) {
        return "; build it first (./mvnw -B package -DskipTests in " + dir + ")";
      }
    }
    return "; build it first (mvn -B package -DskipTests in " + project + ")";
  }

  private void checkJarMain(String service, Path jar, Node.Scalar at) {
    try (JarFile jf = new JarFile(jar.toFile())) {
      Manifest manifest = jf.getManifest();
      String main = manifest == null ? null
          : manifest.getMainAttributes().getValue("Main-Class");
      if (main == null) {
        problems.report(at, "jar " + at.text() + " of service " + service + " has no Main-Class "
            + "in its manifest, so java -jar cannot run it; use classpath: and main: instead");
      } else if (!finder.hasClass(List.of(jar), main.strip())) {
        problems.report(at, "jar " + at.text() + " of service " + service + " names Main-Class "
            + main.strip() + ", which is not in the jar or its Class-Path");
      }
      reportMissingClassPath("jar " + at.text(), service, at,
          finder.missingClassPath(jar, manifest));
    } catch (IOException e) {
      problems.report(at, "jar " + at.text() + " of service " + service + " cannot be read as a "
          + "jar: " + e.getMessage());
    }
  }
}
