package io.parigot.orchestrator.supervise;

import io.parigot.deploy.ServiceSpec;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.jar.JarFile;
import java.util.jar.Manifest;

/**
 * The keys of the services' class-data archives: the JDK (home and version), the main class,
 * what else the archive depends on, and the path, size and time of every jar on the classpath,
 * also those a manifest Class-Path adds. Every start of every service asks for its key, on the
 * supervisor's thread while the deployment starts: a jar's manifest is read once per size and
 * time of the jar, not once per service (ten services on one jar read it once). Not thread-safe.
 */
final class ArchiveKeys {
  private final Map<Path, ManifestClassPath> manifestClassPaths = new HashMap<>();
  /** The stamps read while {@link #holdingStamps} runs. */
  private final Map<Path, Optional<Stamp>> held = new HashMap<>();
  private int holding;

  /**
   * Runs {@code work} with each file's stamp read once: the services started together (ten
   * services on one classpath ask for the same jars' stamps for their archive and their native
   * library) look at their jars once. Outside it, every question reads the file again.
   */
  void holdingStamps(Runnable work) {
    holding++;
    try {
      work.run();
    } finally {
      if (--holding == 0) {
        held.clear();
      }
    }
  }

  /** The size and time of a regular file, empty for anything else. */
  Optional<Stamp> stamp(Path file) {
    return holding == 0 ? Stamp.of(file) : held.computeIfAbsent(file, Stamp::of);
  }

  /**
   * The key of {@code spec}'s archive, which also depends on {@code dependsOn} (options it is
   * made or used with); empty when the classpath holds anything but jars.
   */
  Optional<String> of(ServiceSpec spec, String dependsOn) {
    List<Path> jars = new ArrayList<>();
    if (spec.jar().isPresent()) {
      jars.add(spec.jar().get());
    } else {
      jars.addAll(spec.classpath());
    }
    Map<Path, Stamp> all = new LinkedHashMap<>();
    for (Path jar : jars) {
      Optional<Stamp> stamp = stamp(jar);
      if (!jar.toString().endsWith(".jar") || stamp.isEmpty()) {
        return Optional.empty();
      }
      all.put(jar, stamp.get());
      for (Path entry : manifestClassPath(jar, stamp.get())) {
        stamp(entry).ifPresent(s -> all.putIfAbsent(entry, s));
      }
    }
    // FNV-1a, 64 bits: a cache key, not a signature (the seal checks the archive itself); a
    // MessageDigest would set up the security providers on the way to the first spawn
    StringBuilder text = new StringBuilder().append(spec.java().home()).append('\n')
        .append(spec.java().version()).append('\n').append(spec.mainClass().orElse(""))
        .append('\n').append(dependsOn).append('\n');
    for (Map.Entry<Path, Stamp> jar : all.entrySet()) {
      text.append(jar.getKey()).append(' ').append(jar.getValue().size()).append(' ')
          .append(jar.getValue().modifiedMillis()).append('\n');
    }
    long hash = 0xcbf29ce484222325L;
    for (byte b : text.toString().getBytes(StandardCharsets.UTF_8)) {
      hash = (hash ^ (b & 0xff)) * 0x100000001b3L;
    }
    return Optional.of(HexFormat.of().toHexDigits(hash));
  }

  /**
   * The jars on {@code spec}'s classpath, with those their manifests' Class-Path adds, those
   * that exist; directories and other entries are left out.
   */
  List<Path> jars(ServiceSpec spec) {
    Set<Path> all = new LinkedHashSet<>();
    for (Path jar : spec.jar().map(List::of).orElse(spec.classpath())) {
      Optional<Stamp> stamp = stamp(jar);
      if (jar.toString().endsWith(".jar") && stamp.isPresent()) {
        all.add(jar);
        for (Path entry : manifestClassPath(jar, stamp.get())) {
          if (stamp(entry).isPresent()) {
            all.add(entry);
          }
        }
      }
    }
    return List.copyOf(all);
  }

  /** The entries a jar's manifest Class-Path names, resolved; read again when the jar changed. */
  private List<Path> manifestClassPath(Path jar, Stamp stamp) {
    ManifestClassPath known = manifestClassPaths.get(jar);
    // the fields, not the record's equals(): a record's first equals() bootstraps
    // ObjectMethods, which spins method handles on the supervisor's thread before the first spawn
    if (known != null && known.stamp().sameAs(stamp)) {
      return known.entries();
    }
    List<Path> entries = new ArrayList<>();
    try (JarFile file = new JarFile(jar.toFile())) {
      Manifest manifest = file.getManifest();
      String classPath = manifest == null ? null : manifest.getMainAttributes().getValue("Class-Path");
      if (classPath != null) {
        for (String entry : classPath.trim().split("\\s+")) {
          // kept whether or not it exists now: the key has those that do at each start
          entries.add(jar.getParent().resolve(entry).normalize());
        }
      }
    } catch (IOException e) {
      // an unreadable jar fails the start with a clearer message than ours
      return entries;
    }
    manifestClassPaths.put(jar, new ManifestClassPath(stamp, List.copyOf(entries)));
    return entries;
  }

  /** A regular file's size and modification time. */
  record Stamp(long size, long modifiedMillis) {
    /** The same file as far as a stamp can tell: not the record's equals() (see above). */
    boolean sameAs(Stamp other) {
      return size == other.size && modifiedMillis == other.modifiedMillis;
    }

    static Optional<Stamp> of(Path file) {
      try {
        BasicFileAttributes attributes = Files.readAttributes(file, BasicFileAttributes.class);
        return attributes.isRegularFile()
            ? Optional.of(new Stamp(attributes.size(), attributes.lastModifiedTime().toMillis()))
            : Optional.empty();
      } catch (IOException e) {
        return Optional.empty();
      }
    }
  }

  /** What a jar's manifest adds to the classpath, as read when the jar had {@code stamp}. */
  private record ManifestClassPath(Stamp stamp, List<Path> entries) {}
}
