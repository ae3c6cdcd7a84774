package io.parigot.orchestrator.supervise;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.parigot.orchestrator.deploy.JavaRuntime;
import io.parigot.orchestrator.deploy.RestartPolicy;
import io.parigot.orchestrator.deploy.ServiceSpec;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.jar.JarOutputStream;
import java.util.jar.Manifest;
import java.util.zip.ZipEntry;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Which archive a service gets on which JDK, and when one is made, used, or made again. The
 * JVMs that make and map them are exercised by HelloworldIT; here the files are written by hand.
 */
class ClassDataArchiveTest {
  private static final JavaRuntime JDK_17 = jdk("17.0.15+6", 17);
  private static final JavaRuntime JDK_21 = jdk("21.0.5+11", 21);
  private static final JavaRuntime JDK_24 = jdk("24.0.2+12", 24);
  private static final JavaRuntime JDK_25 = jdk("25.0.3+9-LTS", 25);

  @TempDir
  Path dir;
  Path jar;
  ClassDataArchive archives;

  @BeforeEach
  void setUp() throws IOException {
    jar = dir.resolve("app.jar");
    try (OutputStream file = Files.newOutputStream(jar);
        JarOutputStream out = new JarOutputStream(file, new Manifest())) {
      out.putNextEntry(new ZipEntry("com/example/Main.class"));
      out.write(new byte[] {(byte) 0xCA, (byte) 0xFE});
      out.closeEntry();
    }
    archives = new ClassDataArchive(dir.resolve(".parigot/cds"), true);
  }

  @Test
  void jdk17To24GetADynamicArchiveAndJdk25AnAotCache() {
    for (JavaRuntime java : List.of(JDK_17, JDK_21, JDK_24)) {
      ClassDataArchive.Plan plan = archives.plan(service("store", java, List.of()));
      assertEquals(ClassDataArchive.Kind.DYNAMIC_CDS, plan.kind(), java.version());
      assertEquals(List.of("-XX:ArchiveClassesAtExit=" + plan.dumping(), "-Xlog:cds=off",
          "-Xlog:cds+dynamic=off"), plan.jvmOptions());
      assertTrue(plan.sealAs().getFileName().toString().matches("store-[0-9a-f]{16}\\.jsa"));
    }
    ClassDataArchive.Plan plan = archives.plan(service("store", JDK_25, List.of()));
    assertEquals(ClassDataArchive.Kind.AOT_CACHE, plan.kind());
    assertEquals(List.of("-XX:AOTCacheOutput=" + plan.dumping(), "-Xlog:aot=off",
        "-Xlog:cds=off"), plan.jvmOptions());
    assertTrue(plan.sealAs().getFileName().toString().matches("store-[0-9a-f]{16}\\.aot"));
    assertEquals(dir.resolve(".parigot/cds"), plan.sealAs().getParent());
    assertEquals(plan.sealAs() + ".part", plan.dumping().toString());
  }

  @Test
  void noArchiveWhenSwitchedOffOrTheJdkVersionIsUnknownOrTheClasspathHasADirectory()
      throws IOException {
    assertSame(ClassDataArchive.Plan.NONE, new ClassDataArchive(dir.resolve("cds"), false)
        .plan(service("store", JDK_25, List.of())));
    assertSame(ClassDataArchive.Plan.NONE, archives.plan(service("store", jdk("", 0), List.of())));
    Files.createDirectories(dir.resolve("classes"));
    ServiceSpec withClasses = new ServiceSpec("store", Optional.empty(),
        List.of(jar, dir.resolve("classes")), Optional.of("com.example.Main"), List.of(), Map.of(),
        List.of(), JDK_25, false, List.of(), Optional.empty(), List.of(), RestartPolicy.DEFAULT,
        ServiceSpec.DEFAULT_STARTUP_TIMEOUT, Optional.empty(), true, 1, 1);
    assertSame(ClassDataArchive.Plan.NONE, archives.plan(withClasses));
  }

  @Test
  void aServiceThatManagesClassSharingInItsOwnOptionsGetsNoArchive() {
    for (String option : List.of("-Xshare:off", "-XX:SharedArchiveFile=app.jsa",
        "-XX:AOTCache=app.aot", "-XX:AOTMode=off", "-XX:+AutoCreateSharedArchive",
        "-XX:ArchiveClassesAtExit=app.jsa")) {
      for (JavaRuntime java : List.of(JDK_17, JDK_25)) {
        assertSame(ClassDataArchive.Plan.NONE, archives.plan(service("store", java,
            List.of("-Xmx64m", option))), option + " on " + java.version());
      }
    }
    assertEquals(ClassDataArchive.Kind.AOT_CACHE, archives.plan(service("store", JDK_25,
        List.of("-Xlog:aot=info", "-XX:+UseG1GC"))).kind());
  }

  @Test
  void aSealedCacheIsUsedUntilItsJarJdkOrOptionsChange() throws IOException {
    ServiceSpec store = service("store", JDK_25, List.of("-Xmx64m"));
    ClassDataArchive.Plan first = archives.plan(store);
    dumpAndSeal(first);

    ClassDataArchive.Plan second = archives.plan(store);
    assertEquals(first.sealAs(), second.using());
    assertNull(second.dumping());
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
  void aDynamicArchiveDoesNotDependOnTheServicesOptions() {
    assertEquals(archives.plan(service("store", JDK_17, List.of("-Xmx64m"))).sealAs(),
        archives.plan(service("store", JDK_17, List.of("-Xmx128m"))).sealAs());
  }

  @Test
  void aJarsManifestClassPathIsPartOfTheKeyAsTheJarAndItsEntriesChange() throws IOException {
    Path app = dir.resolve("lib-app.jar");
    writeJar(app, "lib.jar");
    ServiceSpec store = new ServiceSpec("store", Optional.of(app), List.of(), Optional.empty(),
        List.of(), Map.of(), List.of(), JDK_25, false, List.of(), Optional.empty(), List.of(),
        RestartPolicy.DEFAULT, Duration.ofSeconds(30), Optional.empty(), true, 1, 1);
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
  void aCacheCutShortOrChangedAfterItWasSealedIsRecordedAgain() throws IOException {
    ServiceSpec store = service("store", JDK_25, List.of());
    ClassDataArchive.Plan first = archives.plan(store);
    dumpAndSeal(first);
    byte[] bytes = Files.readAllBytes(first.sealAs());
    bytes[bytes.length / 2] ^= 0x5A;
    Files.write(first.sealAs(), bytes);

    ClassDataArchive.Plan again = archives.plan(store);
    assertNull(again.using());
    assertEquals(first.dumping(), again.dumping());
    assertFalse(Files.exists(first.sealAs()));

    dumpAndSeal(again);
    Files.write(again.sealAs(), new byte[1000]);
    assertNull(archives.plan(store).using(), "a truncated cache");
  }

  @Test
  void aCacheIsSealedOnlyWhenTheTrainingRunWroteOne() {
    ClassDataArchive.Plan plan = archives.plan(service("store", JDK_25, List.of()));
    archives.seal(plan);
    assertFalse(Files.exists(plan.sealAs()));
    assertNull(archives.plan(service("store", JDK_25, List.of())).using());
  }

  @Test
  void theTrainingRunsOwnReportsAreRecognisedAndNothingElse() {
    ClassDataArchive.Plan plan = archives.plan(service("store", JDK_25, List.of()));
    Path cache = plan.dumping();
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
    assertFalse(cds.isRecordingReport("dumping to " + cds.dumping()));
  }

  @Test
  void forgettingAServicesArchivesLeavesAServiceWithALongerNameAlone() throws IOException {
    ClassDataArchive.Plan greeting = archives.plan(service("greeting", JDK_25, List.of()));
    dumpAndSeal(greeting);
    ClassDataArchive.Plan v2 = archives.plan(service("greeting-v2", JDK_25, List.of()));
    dumpAndSeal(v2);

    archives.discardAll("greeting");

    assertFalse(Files.exists(greeting.sealAs()));
    assertTrue(Files.exists(v2.sealAs()));
    assertEquals(v2.sealAs(), archives.plan(service("greeting-v2", JDK_25, List.of())).using());
  }

  /** What a training run that exited cleanly leaves, then the supervisor's seal. */
  private void dumpAndSeal(ClassDataArchive.Plan plan) throws IOException {
    byte[] cache = new byte[64 * 1024];
    for (int i = 0; i < cache.length; i++) {
      cache[i] = (byte) (i * 31);
    }
    Files.write(plan.dumping(), cache);
    archives.seal(plan);
    assertTrue(Files.isRegularFile(plan.sealAs()));
    assertFalse(Files.exists(plan.dumping()));
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
        List.of(), Map.of(), jvmOptions, java, false, List.of(), Optional.empty(), List.of(), RestartPolicy.DEFAULT,
        Duration.ofSeconds(30), Optional.empty(), true, 1, 1);
  }

  private static JavaRuntime jdk(String version, int feature) {
    Path home = Path.of("/opt/jdk-" + version);
    return new JavaRuntime(home.resolve("bin/java"), home, version, feature);
  }
}
