package io.parigot.orchestrator.supervise;

import io.parigot.deploy.JavaRuntime;
import io.parigot.deploy.ServiceSpec;
import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;
import java.util.zip.CRC32C;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;

/**
 * Netty's native transport library (epoll), taken out of a service's jar once rather than by
 * every JVM at every start. Netty loads it from {@code java.library.path} when it is there;
 * when it is not, each JVM copies it out of the jar into a temporary file first, which costs a
 * service about 40 ms of CPU at start-up (a secure random generator is seeded for the file's
 * name). The libraries live in {@code .parigot/native/}, one directory per jar, named by the
 * jar's name and a hash of its path, size and time: a changed jar gets a new one.
 *
 * <p>A service gets {@code -Djava.library.path=DIR:...} (the rest being the path the JVM would
 * have had) only when parigot can tell that path: it runs on the orchestrator's own JDK, and
 * neither its jvm_options nor its env set the library path. Otherwise it starts as before.
 */
final class NativeTransport {
  /** Netty's name for this machine's architecture; empty for one it has no library for. */
  private static final String ARCH = arch();
  private static final Pattern LIBRARY = Pattern.compile(
      "META-INF/native/lib[\\w]*netty_transport_native_epoll_" + ARCH + "\\.so");
  private static final String NONE = "none";

  private final Path directory;
  private final ArchiveKeys keys;
  /** What each jar was found to carry, as of its stamp then. */
  private final Map<Path, Found> found = new HashMap<>();

  private record Found(ArchiveKeys.Stamp stamp, Optional<Path> library) {}

  /** Libraries in {@code directory}; {@code keys} knows what the services' jars add. */
  NativeTransport(Path directory, ArchiveKeys keys) {
    this.directory = directory;
    this.keys = keys;
  }

  /** The JVM options that point a service at its extracted library; empty when it gets none. */
  List<String> jvmOptions(ServiceSpec spec) {
    if (ARCH.isEmpty() || !spec.java().home().equals(JavaRuntime.current().home())
        || spec.env().containsKey("LD_LIBRARY_PATH")
        || spec.jvmOptions().stream().anyMatch(o -> o.startsWith("-Djava.library.path="))) {
      return List.of();
    }
    for (Path jar : jars(spec)) {
      // looked up again when the jar's stamp changed: a jar rebuilt meanwhile gets its own
      Optional<Path> library = extracted(jar);
      if (library.isPresent()) {
        // the orchestrator's own path is the one the JVM made: the parigot script sets none
        return List.of("-Djava.library.path=" + library.get() + File.pathSeparator
            + System.getProperty("java.library.path", ""));
      }
    }
    return List.of();
  }

  /** The directory holding the library {@code jar} carries, taking it out on first sight. */
  private Optional<Path> extracted(Path jar) {
    Optional<ArchiveKeys.Stamp> stamp = keys.stamp(jar);
    if (stamp.isEmpty()) {
      return Optional.empty();
    }
    Found known = found.get(jar);
    if (known != null && known.stamp().sameAs(stamp.get())) {
      return known.library();
    }
    Optional<Path> library = extract(jar, stamp.get());
    found.put(jar, new Found(stamp.get(), library));
    return library;
  }

  private Optional<Path> extract(Path jar, ArchiveKeys.Stamp stamp) {
    try {
      String id = Long.toHexString(crc(jar + " " + stamp.size() + " " + stamp.modifiedMillis()));
      Path dir = directory.resolve(jar.getFileName() + "-" + id);
      Path none = dir.resolve(NONE);
      if (Files.isDirectory(dir)) {
        if (Files.exists(none)) {
          return Optional.empty();
        }
        try (DirectoryStream<Path> files = Files.newDirectoryStream(dir, "*.so")) {
          if (files.iterator().hasNext()) {
            return Optional.of(dir);
          }
        }
      }
      forgetOlder(jar.getFileName() + "-");
      Files.createDirectories(dir);
      if (!copyOut(jar, dir)) {
        Files.createFile(none);
        return Optional.empty();
      }
      return Optional.of(dir);
    } catch (IOException e) {
      return Optional.empty(); // the JVM takes the library out of the jar itself, as without us
    }
  }

  /** Copies the library out of {@code jar} into {@code dir}; false when the jar has none. */
  private static boolean copyOut(Path jar, Path dir) throws IOException {
    try (ZipFile zip = new ZipFile(jar.toFile())) {
      Optional<? extends ZipEntry> entry = zip.stream()
          .filter(e -> LIBRARY.matcher(e.getName()).matches()).findFirst();
      if (entry.isEmpty()) {
        return false;
      }
      String name = entry.get().getName().substring(entry.get().getName().lastIndexOf('/') + 1);
      // not Files.createTempFile: its random name would seed a SecureRandom
      Path temp = dir.resolve(name + "." + ProcessHandle.current().pid() + ".part");
      try (InputStream in = zip.getInputStream(entry.get())) {
        Files.copy(in, temp, StandardCopyOption.REPLACE_EXISTING);
      }
      // whole or not at all: a JVM that finds it loads it
      Files.move(temp, dir.resolve(name), StandardCopyOption.ATOMIC_MOVE,
          StandardCopyOption.REPLACE_EXISTING);
      return true;
    }
  }

  /** Removes the directories of earlier versions of a jar of this name. */
  private void forgetOlder(String prefix) throws IOException {
    if (!Files.isDirectory(directory)) {
      return;
    }
    try (DirectoryStream<Path> dirs = Files.newDirectoryStream(directory, p ->
        p.getFileName().toString().startsWith(prefix))) {
      for (Path dir : dirs) {
        try (DirectoryStream<Path> files = Files.newDirectoryStream(dir)) {
          for (Path file : files) {
            Files.deleteIfExists(file);
          }
        }
        Files.deleteIfExists(dir);
      }
    }
  }

  /** The jars of a service's classpath (netty's own first: the others are then not opened). */
  private List<Path> jars(ServiceSpec spec) {
    List<Path> ordered = new ArrayList<>(keys.jars(spec));
    ordered.sort(Comparator.comparing(jar -> !jar.getFileName().toString().contains("netty")));
    return ordered;
  }

  private static long crc(String text) {
    CRC32C crc = new CRC32C();
    crc.update(text.getBytes(StandardCharsets.UTF_8));
    return crc.getValue();
  }

  private static String arch() {
    return switch (System.getProperty("os.name", "").toLowerCase(Locale.ROOT).startsWith("linux")
        ? System.getProperty("os.arch", "") : "") {
      case "amd64", "x86_64" -> "x86_64";
      case "aarch64" -> "aarch_64";
      default -> "";
    };
  }
}
