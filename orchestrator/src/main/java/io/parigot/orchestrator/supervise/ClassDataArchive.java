package io.parigot.orchestrator.supervise;

import io.parigot.orchestrator.deploy.ServiceSpec;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.jar.JarFile;
import java.util.jar.Manifest;
import java.util.zip.CRC32C;

/**
 * A class-data archive per service (AppCDS), so that service JVMs start faster: the first run of
 * a service dumps the classes it loaded when it exits ({@code -XX:ArchiveClassesAtExit}); later
 * runs map them ({@code -XX:SharedArchiveFile}). An archive is keyed by the JDK and by the path,
 * size and time of every jar on the service's classpath (also those a manifest Class-Path adds),
 * so a changed jar means a new archive.
 *
 * <p>JDK 17 can crash on a truncated archive, so an archive is only used after the supervisor
 * sealed it (recorded its length and checksum beside it) and it still matches the seal. Archives
 * live in {@code .parigot/cds/}. AppCDS takes jars only: a classpath with a directory gets none.
 */
final class ClassDataArchive {
  private final Path directory;
  private final boolean enabled;

  ClassDataArchive(Path directory, boolean enabled) {
    this.directory = directory;
    this.enabled = enabled;
  }

  /** What a start of {@code spec} does with its archive. */
  record Plan(List<String> jvmOptions, Path using, Path dumping, Path sealAs) {
    static final Plan NONE = new Plan(List.of(), null, null, null);
  }

  /** The JVM options of the next start of {@code spec}: use its archive, or dump one. */
  Plan plan(ServiceSpec spec) {
    if (!enabled) {
      return Plan.NONE;
    }
    Optional<String> key = key(spec);
    if (key.isEmpty()) {
      return Plan.NONE;
    }
    Path archive = directory.resolve(spec.name() + "-" + key.get() + ".jsa");
    if (isSealed(archive)) {
      return new Plan(List.of("-XX:SharedArchiveFile=" + archive, "-Xshare:auto"), archive, null,
          null);
    }
    try {
      Files.createDirectories(directory);
      discardAll(spec.name());
    } catch (IOException e) {
      return Plan.NONE;
    }
    Path dump = directory.resolve(spec.name() + "-" + key.get() + ".jsa.part");
    // the JVM warns of every class it cannot archive; a user has nothing to do about them
    return new Plan(List.of("-XX:ArchiveClassesAtExit=" + dump, "-Xlog:cds=off",
        "-Xlog:cds+dynamic=off"), null, dump, archive);
  }

  /** After a JVM that dumped exited cleanly: keeps the dump as the service's archive. */
  void seal(Plan plan) {
    if (plan.dumping() == null || !Files.isRegularFile(plan.dumping())) {
      return;
    }
    try {
      Files.move(plan.dumping(), plan.sealAs(), StandardCopyOption.REPLACE_EXISTING,
          StandardCopyOption.ATOMIC_MOVE);
      Files.writeString(seal(plan.sealAs()), Files.size(plan.sealAs()) + " " + checksum(plan.sealAs()));
    } catch (IOException e) {
      discardQuietly(plan.sealAs());
    }
  }

  /** Forgets every archive of the service, e.g. after a start with one failed. */
  void discardAll(String service) throws IOException {
    if (!Files.isDirectory(directory)) {
      return;
    }
    try (DirectoryStream<Path> files = Files.newDirectoryStream(directory, service + "-*")) {
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
      String expected = Files.readString(seal).strip();
      if (expected.equals(Files.size(archive) + " " + checksum(archive))) {
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

  /** The archive key of a service, or empty when its classpath holds anything but jars. */
  private static Optional<String> key(ServiceSpec spec) {
    List<Path> jars = new ArrayList<>();
    if (spec.jar().isPresent()) {
      jars.add(spec.jar().get());
    } else {
      jars.addAll(spec.classpath());
    }
    Set<Path> all = new LinkedHashSet<>();
    for (Path jar : jars) {
      if (!jar.toString().endsWith(".jar") || !Files.isRegularFile(jar)) {
        return Optional.empty();
      }
      all.add(jar);
      all.addAll(manifestClassPath(jar));
    }
    try {
      MessageDigest digest = MessageDigest.getInstance("SHA-256");
      digest.update((System.getProperty("java.home") + "\n" + System.getProperty("java.vm.version")
          + "\n" + spec.mainClass().orElse("") + "\n").getBytes(StandardCharsets.UTF_8));
      for (Path jar : all) {
        digest.update((jar + " " + Files.size(jar) + " " + Files.getLastModifiedTime(jar).toMillis()
            + "\n").getBytes(StandardCharsets.UTF_8));
      }
      return Optional.of(HexFormat.of().formatHex(digest.digest(), 0, 8));
    } catch (IOException | NoSuchAlgorithmException e) {
      return Optional.empty();
    }
  }

  private static List<Path> manifestClassPath(Path jar) {
    List<Path> entries = new ArrayList<>();
    try (JarFile file = new JarFile(jar.toFile())) {
      Manifest manifest = file.getManifest();
      String classPath = manifest == null ? null : manifest.getMainAttributes().getValue("Class-Path");
      if (classPath != null) {
        for (String entry : classPath.trim().split("\\s+")) {
          Path resolved = jar.getParent().resolve(entry).normalize();
          if (Files.isRegularFile(resolved)) {
            entries.add(resolved);
          }
        }
      }
    } catch (IOException e) {
      // an unreadable jar fails the start with a clearer message than ours
    }
    return entries;
  }
}
