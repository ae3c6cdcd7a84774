package io.parigot.orchestrator.supervise;

import io.parigot.orchestrator.deploy.JavaRuntime;
import io.parigot.orchestrator.deploy.ServiceSpec;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.jar.JarFile;
import java.util.jar.Manifest;
import java.util.regex.Pattern;
import java.util.zip.CRC32C;

/**
 * A class-data archive per service, so that service JVMs start faster. Which kind depends on the
 * JDK the service runs on:
 *
 * <ul>
 *   <li>JDK 17 to 24: a dynamic AppCDS archive. The first run dumps the classes it loaded when
 *       it exits ({@code -XX:ArchiveClassesAtExit}); later runs map them ({@code
 *       -XX:SharedArchiveFile}). JDK 24's AOT cache needs a separate assembly run (JEP 483),
 *       so it gets the dynamic archive too.
 *   <li>JDK 25 and newer: an AOT cache (JEP 483, 514, 515), which also holds classes loaded and
 *       linked ahead of time and method profiles. The first run is the training run ({@code
 *       -XX:AOTCacheOutput}): at its exit the JVM assembles the cache in a JVM of its own; later
 *       runs start from it ({@code -XX:AOTCache}).
 * </ul>
 *
 * <p>An archive is keyed by the JDK (home and version) and by the path, size and time of every
 * jar on the service's classpath (also those a manifest Class-Path adds); an AOT cache also by
 * the service's JVM options, which it must be used with. A changed jar, JDK or option means a new
 * archive. A JVM given a missing or unusable archive starts without it ({@code -Xshare:auto},
 * {@code -XX:AOTMode=auto}), but JDK 17 can crash on a truncated archive and neither JDK checks
 * the contents, so an archive is only used after the supervisor sealed it (recorded its length,
 * checksum and modification time beside it) and it still matches the seal: not written since,
 * or with the same length and checksum. Archives live in {@code .parigot/cds/}.
 * Archives take jars only: a classpath with a directory gets none.
 */
final class ClassDataArchive {
  /**
   * JVM options with which a service manages class sharing itself; the JVM refuses to start
   * when one of them meets parigot's archive options, so such a service gets no archive.
   */
  private static final Pattern OWN_SHARING = Pattern.compile("-Xshare:.*|-XX:[+-]?(AOT\\w*"
      + "|SharedArchiveFile|ArchiveClassesAtExit|SharedClassListFile|DumpLoadedClassList"
      + "|AutoCreateSharedArchive)(=.*)?");

  private final Path directory;
  private final boolean enabled;
  /** By jar; only the supervisor's thread plans, so only it reads or writes this. */
  private final Map<Path, ManifestClassPath> manifestClassPaths = new HashMap<>();

  ClassDataArchive(Path directory, boolean enabled) {
    this.directory = directory;
    this.enabled = enabled;
  }

  /** Which archive a JDK gets. */
  enum Kind {
    /** A dynamic AppCDS archive (JDK 17 to 24). */
    DYNAMIC_CDS("class-data archive", ".jsa"),
    /** An AOT cache made by a one-step training run (JDK 25 and newer). */
    AOT_CACHE("AOT cache", ".aot");

    /** The first JDK whose training run writes the AOT cache at exit (JEP 514). */
    static final int AOT_CACHE_OUTPUT_FEATURE = 25;

    private final String noun;
    private final String extension;

    Kind(String noun, String extension) {
      this.noun = noun;
      this.extension = extension;
    }

    /** What the user reads it called. */
    String noun() {
      return noun;
    }

    /** The kind for {@code java}; empty when its version is unknown, so no flag is safe. */
    static Optional<Kind> of(JavaRuntime java) {
      if (!java.isVersionKnown()) {
        return Optional.empty();
      }
      return Optional.of(java.feature() >= AOT_CACHE_OUTPUT_FEATURE ? AOT_CACHE : DYNAMIC_CDS);
    }
  }

  /** What a start of {@code spec} does with its archive. */
  record Plan(Kind kind, List<String> jvmOptions, Path using, Path dumping, Path sealAs) {
    static final Plan NONE = new Plan(null, List.of(), null, null, null);

    /**
     * Whether {@code line} is the JVM reporting the AOT cache it records. A training run prints
     * these whatever the log settings (they all name the cache it writes, or the configuration
     * file beside it), as does the JVM that assembles the cache ("Picked up JAVA_TOOL_OPTIONS:
     * ... -XX:AOTCacheOutput=..."); like the archive's warnings, they are nothing a user acts on.
     */
    boolean isRecordingReport(String line) {
      return kind == Kind.AOT_CACHE && dumping != null && line.contains(dumping.toString());
    }
  }

  /** The JVM options of the next start of {@code spec}: use its archive, or dump one. */
  Plan plan(ServiceSpec spec) {
    if (!enabled) {
      return Plan.NONE;
    }
    Optional<Kind> kind = Kind.of(spec.java());
    if (kind.isEmpty()
        || spec.jvmOptions().stream().anyMatch(o -> OWN_SHARING.matcher(o).matches())) {
      return Plan.NONE;
    }
    Optional<String> key = key(spec, kind.get());
    if (key.isEmpty()) {
      return Plan.NONE;
    }
    Path archive = directory.resolve(spec.name() + "-" + key.get() + kind.get().extension);
    if (isSealed(archive)) {
      List<String> options = kind.get() == Kind.AOT_CACHE
          ? List.of("-XX:AOTCache=" + archive, "-XX:AOTMode=auto")
          : List.of("-XX:SharedArchiveFile=" + archive, "-Xshare:auto");
      return new Plan(kind.get(), options, archive, null, null);
    }
    try {
      Files.createDirectories(directory);
      discardAll(spec.name());
    } catch (IOException e) {
      return Plan.NONE;
    }
    Path dump = archive.resolveSibling(archive.getFileName() + ".part");
    // the JVM warns of every class it cannot archive; a user has nothing to do about them
    List<String> options = kind.get() == Kind.AOT_CACHE
        ? List.of("-XX:AOTCacheOutput=" + dump, "-Xlog:aot=off", "-Xlog:cds=off")
        : List.of("-XX:ArchiveClassesAtExit=" + dump, "-Xlog:cds=off", "-Xlog:cds+dynamic=off");
    return new Plan(kind.get(), options, null, dump, archive);
  }

  /** After a JVM that dumped exited cleanly: keeps the dump as the service's archive. */
  void seal(Plan plan) {
    if (plan.dumping() == null || !Files.isRegularFile(plan.dumping())) {
      return;
    }
    try {
      Files.move(plan.dumping(), plan.sealAs(), StandardCopyOption.REPLACE_EXISTING,
          StandardCopyOption.ATOMIC_MOVE);
      Files.writeString(seal(plan.sealAs()), Files.size(plan.sealAs()) + " "
          + checksum(plan.sealAs()) + " " + Files.getLastModifiedTime(plan.sealAs()));
    } catch (IOException e) {
      discardQuietly(plan.sealAs());
    }
  }

  /** Forgets every archive of the service, e.g. after a start with one failed. */
  void discardAll(String service) throws IOException {
    if (!Files.isDirectory(directory)) {
      return;
    }
    // the service's name, then a 16-digit key and a dot: not the files of a service "name-x"
    try (DirectoryStream<Path> files = Files.newDirectoryStream(directory,
        service + "-????????????????.*")) {
      for (Path file : files) {
        Files.deleteIfExists(file);
      }
    }
  }

  private boolean isSealed(Path archive) {
    Path seal = seal(archive);
    if (!Files.isRegularFile(archive) || !Files.isRegularFile(seal)) {
      return false;
    }
    try {
      // length, checksum, and the time the archive was last written when it was sealed
      String[] expected = Files.readString(seal).strip().split(" ");
      long length = Files.size(archive);
      if (expected.length == 3 && expected[0].equals(Long.toString(length))
          && expected[2].equals(Files.getLastModifiedTime(archive).toString())) {
        // Not written since it was sealed (a write changes the time; one cut short, the length
        // too): the checksum holds, and reading 15 to 30 MB for it at every start is not free.
        return true;
      }
      if (expected.length >= 2 && expected[0].equals(Long.toString(length))
          && expected[1].equals(checksum(archive))) {
        return true;
      }
    } catch (IOException e) {
      // unreadable: treat as corrupt
    }
    discardQuietly(archive);
    return false;
  }

  private static Path seal(Path archive) {
    return archive.resolveSibling(archive.getFileName() + ".seal");
  }

  private static void discardQuietly(Path archive) {
    try {
      Files.deleteIfExists(archive);
      Files.deleteIfExists(seal(archive));
    } catch (IOException e) {
      // the next plan tries again
    }
  }

  private static String checksum(Path file) throws IOException {
    CRC32C crc = new CRC32C();
    byte[] buffer = new byte[1 << 16];
    try (InputStream in = Files.newInputStream(file)) {
      int n;
      while ((n = in.read(buffer)) > 0) {
        crc.update(buffer, 0, n);
      }
    }
    return Long.toHexString(crc.getValue());
  }

  /**
   * The archive key of a service, or empty when its classpath holds anything but jars. Every
   * start of every service asks for it, on the supervisor's thread while the deployment starts:
   * a jar's manifest is read once per size and time of the jar, not once per service.
   */
  private Optional<String> key(ServiceSpec spec, Kind kind) {
    List<Path> jars = new ArrayList<>();
    if (spec.jar().isPresent()) {
      jars.add(spec.jar().get());
    } else {
      jars.addAll(spec.classpath());
    }
    Map<Path, Stamp> all = new LinkedHashMap<>();
    for (Path jar : jars) {
      Optional<Stamp> stamp = Stamp.of(jar);
      if (!jar.toString().endsWith(".jar") || stamp.isEmpty()) {
        return Optional.empty();
      }
      all.put(jar, stamp.get());
      for (Path entry : manifestClassPath(jar, stamp.get())) {
        Stamp.of(entry).ifPresent(s -> all.putIfAbsent(entry, s));
      }
    }
    try {
      MessageDigest digest = MessageDigest.getInstance("SHA-256");
      digest.update((spec.java().home() + "\n" + spec.java().version() + "\n"
          + spec.mainClass().orElse("") + "\n").getBytes(StandardCharsets.UTF_8));
      if (kind == Kind.AOT_CACHE) {
        // an AOT cache made with other options (a collector, compressed oops) goes unused
        digest.update((String.join("\u0000", spec.jvmOptions()) + "\n")
            .getBytes(StandardCharsets.UTF_8));
      }
      for (Map.Entry<Path, Stamp> jar : all.entrySet()) {
        digest.update((jar.getKey() + " " + jar.getValue().size() + " "
            + jar.getValue().modifiedMillis() + "\n").getBytes(StandardCharsets.UTF_8));
      }
      return Optional.of(HexFormat.of().formatHex(digest.digest(), 0, 8));
    } catch (NoSuchAlgorithmException e) {
      return Optional.empty();
    }
  }

  /** The entries a jar's manifest Class-Path names, resolved; read again when the jar changed. */
  private List<Path> manifestClassPath(Path jar, Stamp stamp) {
    ManifestClassPath known = manifestClassPaths.get(jar);
    if (known != null && known.stamp().equals(stamp)) {
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

  /** A regular file's size and modification time, which the archive key is made of. */
  private record Stamp(long size, long modifiedMillis) {
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
