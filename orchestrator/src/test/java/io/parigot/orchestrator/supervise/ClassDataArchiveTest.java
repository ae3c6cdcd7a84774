package io.parigot.orchestrator.supervise;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.parigot.deploy.JavaRuntime;
import io.parigot.deploy.RestartPolicy;
import io.parigot.deploy.ServiceSpec;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.jar.JarOutputStream;
import java.util.jar.Manifest;
import java.util.zip.ZipEntry;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Which archive a service gets on which JDK, and when one is made, used, or made again. The
 * JVMs that make and map them are exercised by HelloworldIT; here the files are written by hand,
 * and static archives are dumped by a stand-in for {@code java -Xshare:dump}, a shell script.
 */
class ClassDataArchiveTest {
  private static final Duration DUMPED = Duration.ofSeconds(20);
  private static final JavaRuntime JDK_17 = jdk("17.0.15+6", 17);
  private static final JavaRuntime JDK_21 = jdk("21.0.5+11", 21);
  private static final JavaRuntime JDK_24 = jdk("24.0.2+12", 24);
  private static final JavaRuntime JDK_25 = jdk("25.0.3+9-LTS", 25);

  @TempDir
  Path dir;
  Path jar;
  ClassDataArchive archives;
  ArchiveDumper dumper;
  final List<String> warnings = new CopyOnWriteArrayList<>();

  @BeforeEach
  void setUp() throws IOException {
    jar = dir.resolve("app.jar");
    try (OutputStream file = Files.newOutputStream(jar);
        JarOutputStream out = new JarOutputStream(file, new Manifest())) {
      out.putNextEntry(new ZipEntry("com/example/Main.class"));
      out.write(new byte[] {(byte) 0xCA, (byte) 0xFE});
      out.closeEntry();
    }
    dumper = new ArchiveDumper(dir, new DeploymentOutput() {
      @Override
      public void serviceLine(String service, String line, boolean error) {}

      @Override
      public void say(String message) {}

      @Override
      public void warn(String message) {
        warnings.add(message);
      }
    });
    archives = new ClassDataArchive(dir.resolve(".parigot/cds"), true, new ArchiveKeys(), dumper);
  }

  @AfterEach
  void tearDown() {
    dumper.close();
  }

  @Test
  void jdk17To24ListTheClassesOfAStaticArchiveAndJdk25RecordsAnAotCache() {
    for (JavaRuntime java : List.of(JDK_17, JDK_21, JDK_24)) {
      ClassDataArchive.Plan plan = archives.plan(service("store", java, List.of()));
      assertEquals(ClassDataArchive.Kind.STATIC_CDS, plan.kind(), java.version());
      assertEquals(List.of("-XX:DumpLoadedClassList=" + plan.recording()), plan.jvmOptions());
      assertTrue(plan.sealAs().getFileName().toString().matches("store-[0-9a-f]{16}\\.jsa"));
      assertEquals(plan.sealAs().toString().replaceFirst("\\.jsa$", ".classlist"),
          plan.recording().toString());
      List<String> dump = new ArrayList<>(List.of(java.executable().toString(),
          "-XX:+UseSerialGC"));
      if (java.feature() >= 24) {
        dump.addAll(List.of("--sun-misc-unsafe-memory-access=allow",
            "--enable-native-access=ALL-UNNAMED"));
      }
      dump.addAll(List.of("-Xshare:dump", "-XX:SharedClassListFile=" + plan.recording(),
          "-XX:SharedArchiveFile=" + plan.sealAs() + ".part", "-Xlog:cds=off", "-cp",
          jar.toString()));
      assertEquals(dump, plan.dumpCommand(), "the same classpath and collector as the service");
      assertFalse(plan.recordsAtExit(), "the JVM only lists classes: its exit takes no longer");
    }
    ClassDataArchive.Plan plan = archives.plan(service("store", JDK_25, List.of()));
    assertEquals(ClassDataArchive.Kind.AOT_CACHE, plan.kind());
    assertEquals(List.of("-XX:AOTCacheOutput=" + plan.recording(), "-Xlog:aot=off",
        "-Xlog:cds=off"), plan.jvmOptions());
    assertTrue(plan.sealAs().getFileName().toString().matches("store-[0-9a-f]{16}\\.aot"));
    assertEquals(dir.resolve(".parigot/cds"), plan.sealAs().getParent());
    assertEquals(plan.sealAs() + ".part", plan.recording().toString());
    assertTrue(plan.recordsAtExit());
    assertEquals(List.of(), plan.dumpCommand());
  }

  @Test
  void aStaticArchiveIsDumpedWithTheOptionsItDependsOnAndNoOthers() {
    List<String> options = List.of("-Xss1m", "-Xmx64m", "-XX:+UseG1GC", "-Xlog:gc:file=gc.log",
        "-agentlib:jdwp=transport=dt_socket,server=y,suspend=y,address=5005",
        "--add-modules", "jdk.incubator.vector", "-XX:-UseCompressedOops", "-Dstore.mode=fast",
        "-javaagent:agent.jar", "--add-opens=java.base/java.lang=ALL-UNNAMED");
    ClassDataArchive.Plan plan = archives.plan(service("store", JDK_17, options));
    List<String> dump = plan.dumpCommand();
    // the service's own collector, in place of parigot's serial one, as the service runs with
    assertEquals(List.of("-Xmx64m", "-XX:+UseG1GC", "--add-modules",
        "jdk.incubator.vector", "-XX:-UseCompressedOops",
        "--add-opens=java.base/java.lang=ALL-UNNAMED"),
        dump.subList(1, dump.indexOf("-Xshare:dump")));

    assertEquals(archives.plan(service("store", JDK_17, List.of("-Xss1m", "-Dx=1"))).sealAs(),
        archives.plan(service("store", JDK_17, List.of("-Xss2m", "-Dx=2"))).sealAs(),
        "options it is not dumped with");
    assertNotEquals(archives.plan(service("store", JDK_17, List.of("-Xmx64m"))).sealAs(),
        archives.plan(service("store", JDK_17, List.of("-Xmx64g"))).sealAs(),
        "a heap size that may turn compressed pointers off");
  }

  @Test
  void aStaticArchiveIsDumpedOnceTheListingRunExitedAndTheNextStartMapsIt() throws Exception {
    ServiceSpec store = service("store", fakeJdk(""), List.of("-Xss1m"));
    ClassDataArchive.Plan first = archives.plan(store);
    assertNull(first.using());
    Files.writeString(first.recording(), "java/lang/Object id: 0\n");

    archives.keep(first);

    assertTrue(dumper.awaitAll(DUMPED));
    assertEquals(List.of(), warnings);
    assertTrue(Files.isRegularFile(first.sealAs()));
    assertFalse(Files.exists(first.recording()), "the class list is dropped once dumped");
    assertFalse(Files.exists(Path.of(first.sealAs() + ".part")));
    ClassDataArchive.Plan second = archives.plan(store);
    assertEquals(first.sealAs(), second.using());
    assertNull(second.recording());
    assertEquals(List.of("-XX:SharedArchiveFile=" + first.sealAs(), "-Xshare:auto"),
        second.jvmOptions());
  }

  @Test
  void whileItsArchiveIsDumpedAServiceStartsWithoutOne() throws Exception {
    Path go = dir.resolve("go");
    ServiceSpec store = service("store", fakeJdk("until [ -f " + go + " ]; do sleep 0.02; done"),
        List.of());
    ClassDataArchive.Plan first = archives.plan(store);
    Files.writeString(first.recording(), "java/lang/Object id: 0\n");
    archives.keep(first);

    assertEquals(1, dumper.pending());
    assertSame(ClassDataArchive.Plan.NONE, archives.plan(store), "a restart meanwhile");
    assertTrue(Files.exists(first.recording()), "what the dump reads is left alone");

    Files.createFile(go);
    assertTrue(dumper.awaitAll(DUMPED));
    assertEquals(first.sealAs(), archives.plan(store).using());
  }

  @Test
  void aDumpThatFailsIsReportedAndTheNextRunListsTheClassesAgain() throws Exception {
    ServiceSpec store = service("store", fakeJdk("echo 'Error: the class list is unreadable'; "
        + "exit 1"), List.of());
    ClassDataArchive.Plan first = archives.plan(store);
    Files.writeString(first.recording(), "java/lang/Object id: 0\n");
    archives.keep(first);

    assertTrue(dumper.awaitAll(DUMPED));
    assertEquals(1, warnings.size(), warnings.toString());
    assertTrue(warnings.get(0).startsWith("could not record the class-data archive of service "
        + "\"store\" (java -Xshare:dump exited with code 1: Error: the class list is unreadable)"),
        warnings.get(0));
    assertFalse(Files.exists(first.sealAs()));
    ClassDataArchive.Plan again = archives.plan(store);
    assertNull(again.using());
    assertEquals(first.recording(), again.recording());
  }

  @Test
  void cancellingKillsTheDumpingJvmAndKeepsNothing() throws Exception {
    Path pid = dir.resolve("pid");
    ServiceSpec store = service("store", fakeJdk("echo $$ > " + pid + ".tmp; mv " + pid + ".tmp "
        + pid + "; sleep 30"), List.of());
    ClassDataArchive.Plan first = archives.plan(store);
    Files.writeString(first.recording(), "java/lang/Object id: 0\n");
    archives.keep(first);
    long deadline = System.nanoTime() + DUMPED.toNanos();
    while (!Files.exists(pid) && System.nanoTime() < deadline) {
      Thread.sleep(20);
    }
    ProcessHandle dumping = ProcessHandle.of(Long.parseLong(Files.readString(pid).strip()))
        .orElseThrow();

    dumper.cancel();

    assertTrue(dumper.awaitAll(DUMPED));
    dumping.onExit().get(10, TimeUnit.SECONDS);
    assertEquals(List.of(), warnings, "a cancelled dump is no failure to report");
    assertFalse(Files.exists(first.sealAs()));
    assertNull(archives.plan(store).using());
  }

  @Test
  void noArchiveWhenSwitchedOffOrTheJdkVersionIsUnknownOrTheClasspathHasADirectory()
      throws IOException {
    assertSame(ClassDataArchive.Plan.NONE, new ClassDataArchive(dir.resolve("cds"), false, new ArchiveKeys(), dumper)
        .plan(service("store", JDK_25, List.of())));
    assertSame(ClassDataArchive.Plan.NONE, archives.plan(service("store", jdk("", 0), List.of())));
    Files.createDirectories(dir.resolve("classes"));
    ServiceSpec withClasses = new ServiceSpec("store", Optional.empty(),
        List.of(jar, dir.resolve("classes")), Optional.of("com.example.Main"), List.of(), Map.of(),
        List.of(), JDK_25, false, List.of(), Optional.empty(), List.of(), Optional.empty(),
        RestartPolicy.DEFAULT, ServiceSpec.DEFAULT_STARTUP_TIMEOUT, Optional.empty(), true, 1, 1);
    assertSame(ClassDataArchive.Plan.NONE, archives.plan(withClasses));
  }

  @Test
  void aServiceThatManagesClassSharingInItsOwnOptionsGetsNoArchive() {
    for (String option : List.of("-Xshare:off", "-XX:SharedArchiveFile=app.jsa",
        "-XX:AOTCache=app.aot", "-XX:AOTMode=off", "-XX:+AutoCreateSharedArchive",
        "-XX:ArchiveClassesAtExit=app.jsa", "-XX:DumpLoadedClassList=app.classlist",
        "-XX:SharedClassListFile=app.classlist")) {
      for (JavaRuntime java : List.of(JDK_17, JDK_25)) {
        assertSame(ClassDataArchive.Plan.NONE, archives.plan(service("store", java,
            List.of("-Xmx64m", option))), option + " on " + java.version());
      }
    }
    assertEquals(ClassDataArchive.Kind.AOT_CACHE, archives.plan(service("store", JDK_25,
        List.of("-Xlog:aot=info", "-XX:+UseG1GC"))).kind());
  }

  @Test
  void aSealedCacheIsUsedUntilItsJarJdkOrOptionsChange() throws Exception {
    ServiceSpec store = service("store", JDK_25, List.of("-Xmx64m"));
    ClassDataArchive.Plan first = archives.plan(store);
    dumpAndSeal(first);

    ClassDataArchive.Plan second = archives.plan(store);
    assertEquals(first.sealAs(), second.using());
    assertNull(second.recording());
    assertEquals(List.of("-XX:AOTCache=" + first.sealAs(), "-XX:AOTMode=auto"),
        second.jvmOptions());

    Files.setLastModifiedTime(jar, FileTime.fromMillis(Files.getLastModifiedTime(jar).toMillis()
        + 2000));
    ClassDataArchive.Plan rebuilt = archives.plan(store);
    assertNotEquals(first.sealAs(), rebuilt.sealAs(), "a rebuilt jar");
    assertFalse(Files.exists(first.sealAs()), "the stale cache is removed when a new one is made");
    assertNotEquals(rebuilt.sealAs(), archives.plan(service("store", jdk("25.0.4+7", 25),
        List.of("-Xmx64m"))).sealAs(), "another JDK 25 build");
    assertNotEquals(rebuilt.sealAs(), archives.plan(service("store", JDK_25, List.of("-Xmx128m")))
        .sealAs(), "other JVM options");
  }

  @Test
  void aJarsManifestClassPathIsPartOfTheKeyAsTheJarAndItsEntriesChange() throws IOException {
    Path app = dir.resolve("lib-app.jar");
    writeJar(app, "lib.jar");
    ServiceSpec store = new ServiceSpec("store", Optional.of(app), List.of(), Optional.empty(),
        List.of(), Map.of(), List.of(), JDK_25, false, List.of(), Optional.empty(), List.of(),
        Optional.empty(), RestartPolicy.DEFAULT, Duration.ofSeconds(30), Optional.empty(), true,
        1, 1);
    Path withoutLib = archives.plan(store).sealAs();
    assertEquals(withoutLib, archives.plan(store).sealAs(), "nothing changed");

    Path lib = dir.resolve("lib.jar");
    writeJar(lib, null);
    Path withLib = archives.plan(store).sealAs();
    assertNotEquals(withoutLib, withLib, "an entry of the manifest appeared");
    Files.setLastModifiedTime(lib, FileTime.fromMillis(Files.getLastModifiedTime(lib).toMillis()
        + 2000));
    assertNotEquals(withLib, archives.plan(store).sealAs(), "an entry of the manifest changed");

    Path rebuiltLib = archives.plan(store).sealAs();
    writeJar(app, "other.jar");
    Files.setLastModifiedTime(app, FileTime.fromMillis(Files.getLastModifiedTime(app).toMillis()
        + 2000));
    writeJar(dir.resolve("other.jar"), null);
    Path rebuiltApp = archives.plan(store).sealAs();
    assertNotEquals(rebuiltLib, rebuiltApp, "the jar was rebuilt with another Class-Path");
    Files.setLastModifiedTime(lib, FileTime.fromMillis(0));
    assertEquals(rebuiltApp, archives.plan(store).sealAs(), "lib.jar is no longer on its classpath");
  }

  @Test
  void anArchiveCutShortOrChangedAfterItWasSealedIsRecordedAgain() throws Exception {
    for (JavaRuntime java : List.of(JDK_25, fakeJdk(""))) {
      ServiceSpec store = service("store", java, List.of());
      ClassDataArchive.Plan first = archives.plan(store);
      dumpAndSeal(first);
      byte[] bytes = Files.readAllBytes(first.sealAs());
      bytes[bytes.length / 2] ^= 0x5A;
      Files.write(first.sealAs(), bytes);

      ClassDataArchive.Plan again = archives.plan(store);
      assertNull(again.using(), first.kind().noun());
      assertEquals(first.recording(), again.recording());
      assertFalse(Files.exists(first.sealAs()));

      dumpAndSeal(again);
      Files.write(again.sealAs(), new byte[1000]);
      assertNull(archives.plan(store).using(), "a truncated " + first.kind().noun());
    }
  }

  @Test
  void anArchiveIsKeptOnlyWhenTheFirstRunWroteWhatItIsMadeOf() throws Exception {
    for (JavaRuntime java : List.of(JDK_25, fakeJdk(""))) {
      ClassDataArchive.Plan plan = archives.plan(service("store", java, List.of()));
      archives.keep(plan);
      assertEquals(0, dumper.pending());
      assertFalse(Files.exists(plan.sealAs()));
      assertNull(archives.plan(service("store", java, List.of())).using());
    }
  }

  @Test
  void theTrainingRunsOwnReportsAreRecognisedAndNothingElse() {
    ClassDataArchive.Plan plan = archives.plan(service("store", JDK_25, List.of()));
    Path cache = plan.recording();
    for (String line : List.of(
        "Temporary AOTConfiguration recorded: " + cache + ".config",
        "Launching child process /jdk/bin/java to assemble AOT cache " + cache
            + " using configuration " + cache + ".config",
        "Picked up JAVA_TOOL_OPTIONS: -Djava.class.path=app.jar -XX:+UseSerialGC "
            + "-XX:AOTCacheOutput=" + cache + " -XX:AOTConfiguration=" + cache + ".config "
            + "-XX:AOTMode=create",
        "Reading AOTConfiguration " + cache + ".config and writing AOTCache " + cache,
        "AOTCache creation is complete: " + cache + " 30224384 bytes",
        "Removed temporary AOT configuration file " + cache + ".config")) {
      assertTrue(plan.isRecordingReport(line), line);
    }
    assertFalse(plan.isRecordingReport("Child process failed; status = 1"));
    assertFalse(plan.isRecordingReport("bonjour, world"));
    ClassDataArchive.Plan cds = archives.plan(service("legacy", JDK_17, List.of()));
    assertFalse(cds.isRecordingReport("listing classes in " + cds.recording()));
  }

  @Test
  void forgettingAServicesArchivesLeavesAServiceWithALongerNameAlone() throws Exception {
    ClassDataArchive.Plan greeting = archives.plan(service("greeting", JDK_25, List.of()));
    dumpAndSeal(greeting);
    ClassDataArchive.Plan v2 = archives.plan(service("greeting-v2", JDK_25, List.of()));
    dumpAndSeal(v2);

    archives.discardAll("greeting");

    assertFalse(Files.exists(greeting.sealAs()));
    assertTrue(Files.exists(v2.sealAs()));
    assertEquals(v2.sealAs(), archives.plan(service("greeting-v2", JDK_25, List.of())).using());
  }

  /**
   * What a first run that exited cleanly leaves (an AOT cache, or a class list), then what the
   * supervisor does with it: seals the cache, or dumps the static archive and seals it.
   */
  private void dumpAndSeal(ClassDataArchive.Plan plan) throws Exception {
    if (plan.kind() == ClassDataArchive.Kind.AOT_CACHE) {
      byte[] cache = new byte[64 * 1024];
      for (int i = 0; i < cache.length; i++) {
        cache[i] = (byte) (i * 31);
      }
      Files.write(plan.recording(), cache);
    } else {
      Files.writeString(plan.recording(), "java/lang/Object id: 0\n");
    }
    archives.keep(plan);
    assertTrue(dumper.awaitAll(DUMPED));
    assertTrue(Files.isRegularFile(plan.sealAs()), warnings.toString());
    assertFalse(Files.exists(plan.recording()));
  }

  /**
   * A JDK 17 whose java is a shell script that runs {@code before}, then writes a 64 KB archive
   * where {@code -XX:SharedArchiveFile} says, as {@code java -Xshare:dump} does, from the class
   * list that {@code -XX:SharedClassListFile} names (it fails without one).
   */
  private JavaRuntime fakeJdk(String before) throws IOException {
    Path home = Files.createTempDirectory(dir, "jdk");
    Path java = home.resolve("bin/java");
    Files.createDirectories(java.getParent());
    Files.writeString(java, """
        #!/bin/sh
        for arg in "$@"; do
          case "$arg" in
            -XX:SharedArchiveFile=*) archive="${arg#*=}" ;;
            -XX:SharedClassListFile=*) list="${arg#*=}" ;;
          esac
        done
        %s
        [ -f "$list" ] || { echo "Error: no class list at $list"; exit 1; }
        head -c 65536 /dev/urandom > "$archive"
        """.formatted(before));
    Files.setPosixFilePermissions(java, PosixFilePermissions.fromString("rwxr-xr-x"));
    return new JavaRuntime(java, home, "17.0.15+6", 17);
  }

  private static void writeJar(Path file, String classPath) throws IOException {
    Manifest manifest = new Manifest();
    manifest.getMainAttributes().put(java.util.jar.Attributes.Name.MANIFEST_VERSION, "1.0");
    if (classPath != null) {
      manifest.getMainAttributes().put(java.util.jar.Attributes.Name.CLASS_PATH, classPath);
    }
    try (OutputStream out = Files.newOutputStream(file);
        JarOutputStream jar = new JarOutputStream(out, manifest)) {
      jar.putNextEntry(new ZipEntry("com/example/Main.class"));
      jar.write(new byte[] {(byte) 0xCA, (byte) 0xFE});
      jar.closeEntry();
    }
  }

  private ServiceSpec service(String name, JavaRuntime java, List<String> jvmOptions) {
    return new ServiceSpec(name, Optional.empty(), List.of(jar), Optional.of("com.example.Main"),
        List.of(), Map.of(), jvmOptions, java, false, List.of(), Optional.empty(), List.of(),
        Optional.empty(), RestartPolicy.DEFAULT, Duration.ofSeconds(30), Optional.empty(), true,
        1, 1);
  }

  private static JavaRuntime jdk(String version, int feature) {
    Path home = Path.of("/opt/jdk-" + version);
    return new JavaRuntime(home.resolve("bin/java"), home, version, feature);
  }
}
