package io.parigot.deploy;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.jar.JarFile;
import java.util.jar.Manifest;
import java.util.zip.ZipEntry;
import java.util.stream.Stream;

/**
 * Looks into the jars and directories a deploy.yaml names, as the JVM will when it runs them:
 * whether a file is a jar at all, which entry of a classpath holds a class, what a jar's manifest
 * Class-Path adds and what it names that is not there. Each answer opens files, and the services
 * of one deployment often share jars and main classes, so every answer is kept for the one load
 * of the file this finder serves.
 */
final class ClassFinder {
  /**
   * What {@link #hasClass} answered for a classpath and class: services of one deployment often
   * share both, and each answer opens jars.
   */
  private final Map<String, Boolean> classesFound = new HashMap<>();
  /** Per classpath and main class, the entry of the classpath that holds the class itself. */
  private final Map<String, Optional<Path>> appJars = new HashMap<>();
  /** Per classpath file, why it is not a jar (empty when it is one). */
  private final Map<Path, Optional<String>> notJars = new HashMap<>();
  /** Per jar, what its manifest Class-Path names that is not there. */
  private final Map<Path, List<Path>> classPathsMissing = new HashMap<>();
  /**
   * The class files {@link #jarHolding} found, by classpath and class name, as {@link #appJars}:
   * services of one deployment may run two builds of one class from two classpaths.
   */
  private final Map<String, byte[]> classFiles = new HashMap<>();

  /** Why {@code file} is not a jar, or empty when it is one. */
  Optional<String> whyNotAJar(Path file) {
    return notJars.computeIfAbsent(file, ClassFinder::notAJar);
  }

  /**
   * The jar or directory of {@code classpath} itself (not one a Class-Path adds) with the class;
   * the Class-Path of a jar it finds is read on the way, for {@link #missingClassPathRead}.
   */
  Optional<Path> entryHolding(List<Path> classpath, String className) {
    return appJars.computeIfAbsent(key(classpath, className),
        key -> jarHolding(classpath, className));
  }

  /**
   * Whether {@code className} is in one of the jars or directories, or their manifest
   * Class-Path.
   */
  boolean hasClass(List<Path> classpath, String className) {
    return classesFound.computeIfAbsent(classpath + " " + className,
        key -> hasClassUncached(classpath, className));
  }

  /**
   * The jars and directories {@code jar}'s manifest Class-Path names that are not there: the JVM
   * passes over them without a word, and the service fails later, at its first use of a class
   * that was in one of them.
   */
  List<Path> missingClassPath(Path jar, Manifest manifest) {
    return classPathsMissing.computeIfAbsent(jar, j -> missingClassPathOf(j, manifest));
  }

  /**
   * What {@link #entryHolding} found missing from the Class-Path of the entry it gave; nothing
   * for a directory, which has no Class-Path.
   */
  List<Path> missingClassPathRead(Path entry) {
    return classPathsMissing.getOrDefault(entry, List.of());
  }

  /** Why {@code file} is not a jar, from its first bytes (a jar is a zip), or empty. */
  private static Optional<String> notAJar(Path file) {
    byte[] start = new byte[4];
    int read;
    try (var in = Files.newInputStream(file)) {
      read = in.readNBytes(start, 0, 4);
    } catch (IOException e) {
      return Optional.of("cannot be read: " + e.getMessage());
    }
    if (read == 0) {
      return Optional.of("is an empty file, not a jar");
    }
    boolean zip = read == 4 && start[0] == 'P' && start[1] == 'K'
        && (start[2] == 3 && start[3] == 4 || start[2] == 5 && start[3] == 6);
    if (zip) {
      return Optional.empty();
    }
    // a zip is read from its end: an executable jar starts with a script, and is one
    try (JarFile jar = new JarFile(file.toFile())) {
      return Optional.empty();
    } catch (IOException e) {
      return Optional.of("is not a jar (not a zip file)");
    }
  }

  private static List<Path> missingClassPathOf(Path jar, Manifest manifest) {
    return classPathOf(jar, manifest).stream().filter(p -> !Files.exists(p)).toList();
  }

  /**
   * The files {@code jar}'s manifest Class-Path names, as the JVM finds them: relative URLs
   * against the directory of the jar's real path (a symlinked jar's are beside its target),
   * {@code file:} URLs as they are; other URLs are not files to check.
   */
  private static List<Path> classPathOf(Path jar, Manifest manifest) {
    String refs = manifest == null ? null : manifest.getMainAttributes().getValue("Class-Path");
    if (refs == null || refs.isBlank()) {
      return List.of();
    }
    Path real;
    try {
      real = jar.toRealPath();
    } catch (IOException e) {
      real = jar.toAbsolutePath();
    }
    URI base = real.getParent().toUri();
    List<Path> entries = new ArrayList<>();
    for (String ref : refs.trim().split("\\s+")) {
      try {
        URI uri = base.resolve(ref);
        if ("file".equals(uri.getScheme())) {
          entries.add(Path.of(uri).normalize());
        }
      } catch (IllegalArgumentException e) {
        // not a URL the JVM could read either
      }
    }
    return entries;
  }

  private Optional<Path> jarHolding(List<Path> classpath, String className) {
    String entry = className.replace('.', '/') + ".class";
    for (Path item : classpath) {
      try {
        if (Files.isDirectory(item)) {
          if (Files.isRegularFile(item.resolve(entry))) {
            classFiles.put(key(classpath, className), Files.readAllBytes(item.resolve(entry)));
            return Optional.of(item);
          }
        } else {
          try (JarFile jar = new JarFile(item.toFile())) {
            ZipEntry found = jar.getEntry(entry);
            if (found != null) {
              // its Class-Path and the class's main are asked for next: read while it is open
              Manifest manifest = jar.getManifest();
              missingClassPath(item, manifest);
              try (InputStream in = jar.getInputStream(found)) {
                classFiles.put(key(classpath, className), in.readAllBytes());
              }
              return Optional.of(item);
            }
          }
        }
      } catch (IOException e) {
        // not a jar, or one that cannot be read: the JVM will not find the class there either
      }
    }
    return Optional.empty();
  }

  /**
   * The class file of {@code className} as {@link #entryHolding} found it in {@code classpath},
   * if it did.
   */
  Optional<byte[]> classFileRead(List<Path> classpath, String className) {
    return Optional.ofNullable(classFiles.get(key(classpath, className)));
  }

  private static String key(List<Path> classpath, String className) {
    return classpath + " " + className;
  }

  /**
   * The class file of the class {@code internalName} ({@code com/example/Base}) in one of the
   * jars or directories, or their manifest Class-Path, as the JVM would find it.
   */
  static Optional<byte[]> classFile(List<Path> classpath, String internalName) {
    return find(classpath, internalName + ".class", true);
  }

  /**
   * The class of {@code classpath} (its jars and directories, not what their Class-Path adds)
   * that {@code className} is most likely a slip for: one of the same simple name in another
   * package, else one a typo or two away; read only for a main class that is not there.
   */
  Optional<String> closeTo(List<Path> classpath, String className) {
    String simple = className.substring(className.lastIndexOf('.') + 1);
    String best = null;
    int bestDistance = Integer.MAX_VALUE;
    for (String candidate : classesOf(classpath)) {
      String candidateSimple = candidate.substring(candidate.lastIndexOf('.') + 1);
      // another package's class of this very name beats any typo
      int distance = candidateSimple.equalsIgnoreCase(simple) ? 0
          : DidYouMean.distance(className, candidate) + 1;
      if (distance < bestDistance) {
        best = candidate;
        bestDistance = distance;
      }
    }
    return bestDistance <= 3 ? Optional.ofNullable(best) : Optional.empty();
  }

  /** The top-level classes in {@code classpath}'s jars and directories. */
  private static List<String> classesOf(List<Path> classpath) {
    List<String> classes = new ArrayList<>();
    for (Path item : classpath) {
      if (Files.isDirectory(item)) {
        try (Stream<Path> files = Files.walk(item)) {
          files.map(f -> item.relativize(f).toString()).forEach(f -> addClass(classes, f));
        } catch (IOException | UncheckedIOException e) {
          // what could be read is enough for a hint
        }
      } else if (Files.isRegularFile(item)) {
        try (JarFile jar = new JarFile(item.toFile())) {
          jar.stream().forEach(entry -> addClass(classes, entry.getName()));
        } catch (IOException e) {
          // not a jar: reported as such
        }
      }
    }
    return classes;
  }

  private static void addClass(List<String> classes, String file) {
    if (file.endsWith(".class") && !file.contains("$") && !file.startsWith("META-INF/")
        && !file.endsWith("module-info.class") && !file.endsWith("package-info.class")) {
      classes.add(file.substring(0, file.length() - ".class".length())
          .replace('/', '.').replace('\\', '.'));
    }
  }

  private static boolean hasClassUncached(List<Path> classpath, String className) {
    return find(classpath, className.replace('.', '/') + ".class", false).isPresent();
  }

  /** The entry's bytes (when {@code read}, else none) from the first jar or directory with it. */
  private static Optional<byte[]> find(List<Path> classpath, String entry, boolean read) {
    Set<Path> seen = new LinkedHashSet<>();
    List<Path> queue = new ArrayList<>(classpath);
    while (!queue.isEmpty()) {
      Path item = queue.remove(0).toAbsolutePath().normalize();
      if (!seen.add(item)) {
        continue;
      }
      try {
        if (Files.isDirectory(item)) {
          if (Files.isRegularFile(item.resolve(entry))) {
            return Optional.of(read ? Files.readAllBytes(item.resolve(entry)) : new byte[0]);
          }
        } else if (Files.isRegularFile(item)) {
          try (JarFile jar = new JarFile(item.toFile())) {
            ZipEntry found = jar.getEntry(entry);
            if (found != null) {
              if (!read) {
                return Optional.of(new byte[0]);
              }
              try (InputStream in = jar.getInputStream(found)) {
                return Optional.of(in.readAllBytes());
              }
            }
            queue.addAll(classPathOf(item, jar.getManifest()));
          }
        }
      } catch (IOException e) {
        // not a jar, or not readable: the JVM will not find classes in it either
      }
    }
    return Optional.empty();
  }
}
