package io.parigot.deploy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The {@code java:} key: which JDK a service runs on, and what it says about a wrong one. */
class JavaSettingTest {
  @TempDir
  Path dir;

  @BeforeEach
  void code() throws IOException {
    Path main = dir.resolve("classes/com/example/Main.class");
    Files.createDirectories(main.getParent());
    Files.write(main, new byte[] {(byte) 0xCA, (byte) 0xFE});
  }

  @Test
  void servicesRunOnTheOrchestratorsJavaUnlessTheFileSaysOtherwise() throws Exception {
    Deployment d = load("""
        name: shop
        services:
          store: {classpath: classes, main: com.example.Main}
        """);
    JavaRuntime java = d.service("store").orElseThrow().java();
    assertEquals(JavaRuntime.current(), java);
    assertEquals(Runtime.version().feature(), java.feature());
  }

  @Test
  void aTopLevelJavaIsEveryServicesAndAServiceMayNameItsOwn() throws Exception {
    jdk("jdks/temurin-25", "25.0.3", "25.0.3+9-LTS");
    jdk("jdks/corretto-21", "21.0.5", null);
    Deployment d = load("""
        name: shop
        java: jdks/temurin-25
        services:
          store: {classpath: classes, main: com.example.Main}
          legacy: {classpath: classes, main: com.example.Main, java: jdks/corretto-21/bin/java}
        """);
    JavaRuntime store = d.service("store").orElseThrow().java();
    assertEquals(dir.resolve("jdks/temurin-25/bin/java"), store.executable());
    assertEquals(dir.resolve("jdks/temurin-25"), store.home());
    assertEquals("25.0.3+9-LTS", store.version());
    assertEquals(25, store.feature());
    JavaRuntime legacy = d.service("legacy").orElseThrow().java();
    assertEquals(dir.resolve("jdks/corretto-21/bin/java"), legacy.executable());
    assertEquals(dir.toRealPath().resolve("jdks/corretto-21"), legacy.home());
    assertEquals("21.0.5", legacy.version());
    assertEquals(21, legacy.feature());
  }

  @Test
  void aLauncherReachedThroughALinkBelongsToTheJdkItLinksTo() throws Exception {
    jdk("jdks/temurin-25", "25.0.3", "25.0.3+9-LTS");
    Files.createDirectories(dir.resolve("usr/bin"));
    Files.createSymbolicLink(dir.resolve("usr/bin/java"), dir.resolve("jdks/temurin-25/bin/java"));
    Deployment d = load("""
        name: shop
        services:
          store: {classpath: classes, main: com.example.Main, java: usr/bin/java}
        """);
    JavaRuntime java = d.service("store").orElseThrow().java();
    assertEquals(dir.resolve("usr/bin/java"), java.executable());
    assertEquals(dir.toRealPath().resolve("jdks/temurin-25"), java.home());
    assertEquals(25, java.feature());
  }

  @Test
  void aMissingJdkIsNamedWithWhereItWasLookedForAndWhatIsBesideIt() throws Exception {
    jdk("jdks/temurin-25", "25.0.3", "25.0.3+9-LTS");
    jdk("jdks/corretto-21", "21.0.5", null);
    jdk("jdks/usr", null, null); // a bin/java, no release file: like /usr, not a JDK's home
    DeployFileException e = problems("""
        name: shop
        java: jdks/zulu-25
        services:
          store:
            classpath: classes
            main: com.example.Main
            java: jdks/temurn-25
        """);
    assertEquals(List.of(
        "deploy.yaml:2:7: java jdks/zulu-25 does not exist (looked for " + dir
            + "/jdks/zulu-25); the JDKs in " + dir + "/jdks are corretto-21, temurin-25",
        "deploy.yaml:7:11: services.store.java jdks/temurn-25 does not exist (looked for " + dir
            + "/jdks/temurn-25); did you mean " + dir + "/jdks/temurin-25?"),
        e.problems().stream().map(Problem::toString).map(this::relative).toList());
  }

  /**
   * A typo in the JDK's directory of a {@code .../bin/java}, the form a service's own java:
   * is often written in: the hint is for the directory that is not there, not "paths are
   * relative", which an absolute path is not.
   */
  @Test
  void aMissingJdkWrittenAsItsBinJavaIsNamedWithWhatIsBesideItsHome() throws Exception {
    jdk("jdks/temurin-25", "25.0.3", "25.0.3+9-LTS");
    jdk("jdks/corretto-21", "21.0.5", null);
    DeployFileException e = problems("""
        name: shop
        java: %s/jdks/zulu-25/bin/java
        services:
          store:
            classpath: classes
            main: com.example.Main
            java: jdks/temurn-25/bin/java
        """.formatted(dir));
    assertEquals(List.of(
        "deploy.yaml:2:7: java " + dir + "/jdks/zulu-25/bin/java does not exist; the JDKs in "
            + dir + "/jdks are corretto-21, temurin-25",
        "deploy.yaml:7:11: services.store.java jdks/temurn-25/bin/java does not exist (looked "
            + "for " + dir + "/jdks/temurn-25/bin/java); did you mean " + dir
            + "/jdks/temurin-25/bin/java?"),
        e.problems().stream().map(Problem::toString).map(this::relative).toList());
  }

  @Test
  void aDirectoryThatIsNotAJdkAndAJdkTooOldAreErrors() throws Exception {
    jdk("jdks/jdk-11", "11.0.2", "11.0.2+9");
    jdk("jdks/jdk8", "1.8.0_292", null);
    Files.createDirectories(dir.resolve("jdks/empty"));
    DeployFileException e = problems("""
        name: shop
        services:
          a: {classpath: classes, main: com.example.Main, java: jdks/jdk-11}
          b: {classpath: classes, main: com.example.Main, java: jdks/jdk8/bin/java}
          c: {classpath: classes, main: com.example.Main, java: jdks/empty}
          d: {classpath: classes, main: com.example.Main, java: 17}
        """);
    assertEquals(List.of(
        "deploy.yaml:3:57: services.a.java jdks/jdk-11 is JDK 11.0.2+9 (from " + dir
            + "/jdks/jdk-11/release); parigot services need JDK 17 or newer",
        "deploy.yaml:4:57: services.b.java jdks/jdk8/bin/java is JDK 1.8.0_292 (from "
            + dir.toRealPath() + "/jdks/jdk8/release); parigot services need JDK 17 or newer",
        "deploy.yaml:5:57: services.c.java jdks/empty is not a JDK: " + dir + "/jdks/empty has "
            + "no bin/java. Give the JDK's home directory (the one holding bin/ and release) or "
            + "its bin/java",
        "deploy.yaml:6:57: services.d.java 17 does not exist (looked for " + dir + "/17); give a "
            + "JDK's home directory or its bin/java (paths are relative to the directory of "
            + "deploy.yaml)"),
        e.problems().stream().map(Problem::toString).map(this::relative).toList());
  }

  @Test
  void aJdkWithoutAReleaseFileRunsWithAnUnknownVersion() throws Exception {
    jdk("jdks/custom", null, null);
    Deployment d = load("""
        name: shop
        java: jdks/custom
        services:
          store: {classpath: classes, main: com.example.Main}
        """);
    JavaRuntime java = d.service("store").orElseThrow().java();
    assertFalse(java.isVersionKnown());
    assertEquals(dir.resolve("jdks/custom/bin/java"), java.executable());
  }

  @Test
  void theVersionIsReadTheWayJdksWriteIt() {
    assertEquals(Optional.of(25), JavaRuntime.feature("25.0.3"));
    assertEquals(Optional.of(17), JavaRuntime.feature("17"));
    assertEquals(Optional.of(26), JavaRuntime.feature("26-ea"));
    assertEquals(Optional.of(8), JavaRuntime.feature("1.8.0_292"));
    assertEquals(Optional.empty(), JavaRuntime.feature("unknown"));
  }

  @Test
  void keysPeopleWriteForTheJdkLeadToJava() {
    assertEquals("java", DidYouMean.closest("java_home", DeployFile.SERVICE_KEYS).orElseThrow());
    assertEquals("java", DidYouMean.closest("JAVA_HOME", DeployFile.TOP_KEYS).orElseThrow());
    assertEquals("java", DidYouMean.closest("jdk", DeployFile.SERVICE_KEYS).orElseThrow());
    assertEquals("jvm_options", DidYouMean.closest("java_opts", DeployFile.SERVICE_KEYS)
        .orElseThrow());
  }

  /** A JDK's home as far as parigot looks at it: bin/java and, when given, a release file. */
  private void jdk(String home, String javaVersion, String runtimeVersion) throws IOException {
    Path java = dir.resolve(home).resolve("bin/java");
    Files.createDirectories(java.getParent());
    Files.writeString(java, "#!/bin/sh\nexit 0\n");
    Files.setPosixFilePermissions(java, PosixFilePermissions.fromString("rwxr-xr-x"));
    if (javaVersion != null) {
      Files.writeString(dir.resolve(home).resolve("release"), "IMPLEMENTOR=\"Test\"\n"
          + (runtimeVersion == null ? "" : "JAVA_RUNTIME_VERSION=\"" + runtimeVersion + "\"\n")
          + "JAVA_VERSION=\"" + javaVersion + "\"\n");
    }
  }

  private Deployment load(String yaml) throws Exception {
    Path file = dir.resolve("deploy.yaml");
    Files.writeString(file, yaml);
    return DeployFile.load(file);
  }

  private DeployFileException problems(String yaml) throws IOException {
    Path file = dir.resolve("deploy.yaml");
    Files.writeString(file, yaml);
    return assertThrows(DeployFileException.class, () -> DeployFile.load(file));
  }

  private String relative(String problem) {
    return problem.replace(dir.resolve("deploy.yaml").toString(), "deploy.yaml");
  }
}
