package io.parigot.orchestrator.supervise;

import io.parigot.deploy.JavaRuntime;
import io.parigot.deploy.ServiceSpec;
import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Pattern;
import java.util.zip.CRC32C;

/**
 * A class-data archive per service, so that service JVMs start faster. Which kind depends on the
 * JDK the service runs on:
 *
 * <ul>
 *   <li>JDK 17 to 24: a static AppCDS archive. The first run lists the classes it loads ({@code
 *       -XX:DumpLoadedClassList}); once it has exited cleanly, the orchestrator dumps the archive
 *       from the list in a JVM of its own ({@code java -Xshare:dump}, in the background, see
 *       {@link ArchiveDumper}); later runs map it ({@code -XX:SharedArchiveFile}). Static rather
 *       than dynamic ({@code -XX:ArchiveClassesAtExit}): it holds the classes the service loads,
 *       the JDK's included, in place of the JDK's default archive with a dynamic one on top, and
 *       an idle service keeps about 3 MB less resident, starting as fast. JDK 24 gets it too:
 *       its AOT cache needs an assembly run as well (JEP 483), and gains nothing over it here.
 *   <li>JDK 25 and newer: an AOT cache (JEP 483, 514, 515), which also holds classes loaded and
 *       linked ahead of time and method profiles. The first run is the training run ({@code
 *       -XX:AOTCacheOutput}): at its exit the JVM assembles the cache in a JVM of its own; later
 *       runs start from it ({@code -XX:AOTCache}).
 * </ul>
 *
 * <p>An archive is keyed by the JDK (home and version) and by the path, size and time of every
 * jar on the service's classpath (also those a manifest Class-Path adds); a static archive also
 * by the options it is dumped with, and an AOT cache by all the service's JVM options, which it
 * must be used with. A changed jar, JDK or option means a new archive. A JVM given a missing or
 * unusable archive starts without it ({@code -Xshare:auto}, {@code -XX:AOTMode=auto}), but JDK
 * 17 can crash on a truncated archive and neither JDK checks the contents, so an archive is only
 * used after the supervisor sealed it (recorded its length, checksum and modification time
 * beside it) and it still matches the seal: not written since, or with the same length and
 * checksum. Archives live in {@code .parigot/cds/}. Archives take jars only: a classpath with a
 * directory gets none.
 */
final class ClassDataArchive {
  /**
   * JVM options with which a service manages class sharing itself; the JVM refuses to start
   * when one of them meets parigot's archive options, so such a service gets no archive.
   */
  private static final Pattern OWN_SHARING = Pattern.compile("-Xshare:.*|-XX:[+-]?(AOT\\w*"
      + "|SharedArchiveFile|ArchiveClassesAtExit|SharedClassListFile|DumpLoadedClassList"
      + "|AutoCreateSharedArchive)(=.*)?");
  /**
   * The service's JVM options that a static archive is dumped with: those a JVM checks an
   * archive against or that decide what it holds. The collector (only a G1 dump holds heap
   * objects, and only G1 maps them; with the services' serial collector the archive is smaller
   * and as fast), compressed pointers and the heap size that decides them, the object alignment,
   * the module system's options and the boot class path. Others stay out: an agent, a debugger
   * waiting for its client, a log or a flight recording would run or write in the dumping JVM.
   */
  private static final Pattern DUMP_OPTION = Pattern.compile("-XX:[+-](Use\\w+GC"
      + "|UseCompressedOops|UseCompressedClassPointers|Unlock\\w+VMOptions)"
      + "|-XX:(MaxHeapSize|MaxRAM|MaxRAMPercentage|MaxRAMFraction|ObjectAlignmentInBytes"
      + "|HeapBaseMinAddress)=.*|-Xmx.*|-Xbootclasspath/a:.*|--enable-preview"
      + "|--(module-path|upgrade-module-path|add-modules|limit-modules|add-exports|add-opens"
      + "|add-reads|patch-module|enable-native-access|sun-misc-unsafe-memory-access)(=.*)?|-p");
  /** Those of them that may take their value as the next argument. */
  private static final Pattern VALUE_FOLLOWS = Pattern.compile("--(module-path"
      + "|upgrade-module-path|add-modules|limit-modules|add-exports|add-opens|add-reads"
      + "|patch-module|enable-native-access)|-p");

  private final Path directory;
  private final boolean enabled;
  private final ArchiveDumper dumper;
  /** Only the supervisor's thread plans, so only it asks for keys. */
  private final ArchiveKeys keys;
  /** The services whose static archive is being dumped; their starts meanwhile get none. */
  private final Set<String> dumping = ConcurrentHashMap.newKeySet();

  /**
   * Archives in {@code directory}, when {@code enabled}, keyed by {@code keys}; static archives
   * are dumped by {@code dumper}.
   */
  ClassDataArchive(Path directory, boolean enabled, ArchiveKeys keys, ArchiveDumper dumper) {
    this.directory = directory;
    this.enabled = enabled;
    this.keys = keys;
    this.dumper = dumper;
  }

  /** Which archive a JDK gets. */
  enum Kind {
    /** A static AppCDS archive, dumped from the class list of a first run (JDK 17 to 24). */
    STATIC_CDS("class-data archive", ".jsa"),
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
      return Optional.of(java.feature() >= AOT_CACHE_OUTPUT_FEATURE ? AOT_CACHE : STATIC_CDS);
    }
  }

  /**
   * What a start of {@code service} does with its archive: the JVM options it gets; the archive
   * it {@code uses}; or the file it is {@code recording} (the AOT cache being written, or the
   * class list a static archive is dumped from with {@code dumpCommand}), to be kept as {@code
   * sealAs}.
   */
  record Plan(Kind kind, String service, List<String> jvmOptions, Path using, Path recording,
      Path sealAs, List<String> dumpCommand) {
    static final Plan NONE = new Plan(null, null, List.of(), null, null, null, List.of());

    /** Whether this start records an archive as the JVM exits (an AOT cache's training run). */
    boolean recordsAtExit() {
      return kind == Kind.AOT_CACHE && recording != null;
    }

    /**
     * Whether {@code line} is the JVM reporting the AOT cache it records. A training run prints
     * these whatever the log settings (they all name the cache it writes, or the configuration
     * file beside it), as does the JVM that assembles the cache ("Picked up JAVA_TOOL_OPTIONS:
     * ... -XX:AOTCacheOutput=..."); like the archive's warnings, they are nothing a user acts on.
     */
    boolean isRecordingReport(String line) {
      return recordsAtExit() && line.contains(recording.toString());
    }
  }

  /** The JVM options of the next start of {@code spec}: use its archive, or record one. */
  Plan plan(ServiceSpec spec) {
    if (!enabled || dumping.contains(spec.name())) {
      return Plan.NONE;
    }
    Optional<Kind> kind = Kind.of(spec.java());
    if (kind.isEmpty()
        || spec.jvmOptions().stream().anyMatch(o -> OWN_SHARING.matcher(o).matches())) {
      return Plan.NONE;
    }
    List<String> dumpOptions = kind.get() == Kind.STATIC_CDS ? dumpOptions(spec) : List.of();
    // an AOT cache made with other options (a collector, compressed oops) goes unused; a
    // static archive's line is never that of an earlier parigot's dynamic archive
    Optional<String> key = keys.of(spec, kind.get() == Kind.AOT_CACHE
        ? String.join("\u0000", spec.jvmOptions())
        : "static\u0000" + String.join("\u0000", dumpOptions));
    if (key.isEmpty()) {
      return Plan.NONE;
    }
    Path archive = directory.resolve(spec.name() + "-" + key.get() + kind.get().extension);
    if (isSealed(archive)) {
      List<String> options = kind.get() == Kind.AOT_CACHE
          ? List.of("-XX:AOTCache=" + archive, "-XX:AOTMode=auto")
          : List.of("-XX:SharedArchiveFile=" + archive, "-Xshare:auto");
      return new Plan(kind.get(), spec.name(), options, archive, null, null, List.of());
    }
    try {
      Files.createDirectories(directory);
      discardAll(spec.name());
    } catch (IOException e) {
      return Plan.NONE;
    }
    if (kind.get() == Kind.AOT_CACHE) {
      Path cache = part(archive);
      // the JVM warns of every class it cannot archive; a user has nothing to do about them
      return new Plan(kind.get(), spec.name(), List.of("-XX:AOTCacheOutput=" + cache,
          "-Xlog:aot=off", "-Xlog:cds=off"), null, cache, archive, List.of());
    }
    Path classList = archive.resolveSibling(spec.name() + "-" + key.get() + ".classlist");
    List<String> dump = new ArrayList<>();
    dump.add(spec.java().executable().toString());
    dump.addAll(dumpOptions);
    dump.addAll(List.of("-Xshare:dump", "-XX:SharedClassListFile=" + classList,
        "-XX:SharedArchiveFile=" + part(archive), "-Xlog:cds=off", "-cp", classPath(spec)));
    return new Plan(kind.get(), spec.name(), List.of("-XX:DumpLoadedClassList=" + classList),
        null, classList, archive, List.copyOf(dump));
  }

  /**
   * After a JVM that recorded exited cleanly: an AOT cache is sealed at once; a static archive is
   * dumped from the class list in the background, and sealed when complete.
   */
  void keep(Plan plan) {
    if (plan.recording() == null || !Files.isRegularFile(plan.recording())) {
      return;
    }
    if (plan.kind() == Kind.AOT_CACHE) {
      seal(plan.recording(), plan.sealAs());
      return;
    }
    Path archive = part(plan.sealAs());
    dumping.add(plan.service());
    try {
      Files.deleteIfExists(archive);
    } catch (IOException e) {
      // the dump fails and says why
    }
    dumper.dump(plan.service(), plan.dumpCommand(), archive, dumped -> {
      try {
        if (dumped) {
          seal(archive, plan.sealAs());
        }
        deleteQuietly(archive);
        deleteQuietly(plan.recording());
      } finally {
        dumping.remove(plan.service());
      }
    });
  }

  /** The classpath exactly as the service's JVM gets it, which a static archive must match. */
  static String classPath(ServiceSpec spec) {
    return spec.jar().map(Path::toString).orElseGet(() -> String.join(File.pathSeparator,
        spec.classpath().stream().map(Path::toString).toList()));
  }

  /** The options of the service's JVM that its static archive is dumped with, in their order. */
  private static List<String> dumpOptions(ServiceSpec spec) {
    List<String> all = new ArrayList<>(Supervisor.defaultOptions(spec));
    all.addAll(spec.jvmOptions());
    List<String> kept = new ArrayList<>();
    for (int i = 0; i < all.size(); i++) {
      String option = all.get(i);
      if (DUMP_OPTION.matcher(option).matches()) {
        kept.add(option);
        if (VALUE_FOLLOWS.matcher(option).matches() && i + 1 < all.size()) {
          kept.add(all.get(++i));
        }
      }
    }
    return kept;
  }

  private void seal(Path written, Path archive) {
    try {
      Files.move(written, archive, StandardCopyOption.REPLACE_EXISTING,
          StandardCopyOption.ATOMIC_MOVE);
      Files.writeString(seal(archive), Files.size(archive) + " " + checksum(archive) + " "
          + Files.getLastModifiedTime(archive));
    } catch (IOException e) {
      discardQuietly(archive);
    }
  }

  private static Path part(Path archive) {
    return archive.resolveSibling(archive.getFileName() + ".part");
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
    deleteQuietly(archive);
    deleteQuietly(seal(archive));
  }

  private static void deleteQuietly(Path file) {
    try {
      Files.deleteIfExists(file);
    } catch (IOException e) {
      // the next plan of the service tries again
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
}
