package io.parigot.orchestrator.supervise;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.parigot.deploy.JavaRuntime;
import io.parigot.deploy.RestartPolicy;
import io.parigot.deploy.ServiceSpec;
import java.io.File;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.jar.Attributes;
import java.util.jar.JarOutputStream;
import java.util.jar.Manifest;
import java.util.zip.ZipEntry;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Where a service's JVM finds netty's native transport library. That a real service loads it
 * from there is checked by hand (its /proc/PID/maps); here the jars are written by hand.
 */
class NativeTransportTest {
  private static final String LIBRARY = "libio_grpc_netty_shaded_netty_transport_native_epoll_"
      + (System.getProperty("os.arch").equals("aarch64") ? "aarch_64" : "x86_64") + ".so";
  private static final byte[] CODE = {0x7f, 'E', 'L', 'F', 1, 2, 3};

  @TempDir
  Path dir;
  Path app;
  Path netty;
  NativeTransport natives;

  @BeforeEach
  void setUp() throws IOException {
    netty = dir.resolve("lib/grpc-netty-shaded-1.76.0.jar");
    Files.createDirectories(netty.getParent());
    jar(netty, null, "META-INF/native/" + LIBRARY, CODE);
    // the application's jar names its libraries in its manifest, as a thin jar does
    app = dir.resolve("app.jar");
    jar(app, "lib/grpc-netty-shaded-1.76.0.jar", "com/example/Main.class", new byte[] {1});
    natives = new NativeTransport(dir.resolve(".parigot/native"), new ArchiveKeys());
  }

  @Test
  void theLibraryIsTakenOutOnceAndPutFirstOnTheLibraryPath() throws IOException {
    List<String> options = natives.jvmOptions(service(List.of(), Map.of()));

    assertEquals(1, options.size(), options.toString());
    String path = options.get(0).substring("-Djava.library.path=".length());
    String[] entries = path.split(File.pathSeparator, 2);
    Path library = Path.of(entries[0]).resolve(LIBRARY);
    assertArrayEquals(CODE, Files.readAllBytes(library));
    assertEquals(System.getProperty("java.library.path"), entries[1],
        "the rest is the path the JVM would have had");

    // the next run finds it and leaves it alone
    FileTime written = Files.getLastModifiedTime(library);
    NativeTransport nextRun = new NativeTransport(dir.resolve(".parigot/native"), new ArchiveKeys());
    assertEquals(options, nextRun.jvmOptions(service(List.of(), Map.of())));
    assertEquals(written, Files.getLastModifiedTime(library));
  }

  @Test
  void aChangedJarGetsANewDirectoryAndTheOldOneGoes() throws IOException {
    String before = natives.jvmOptions(service(List.of(), Map.of())).get(0);
    Path oldDirectory = Path.of(before.substring(before.indexOf('=') + 1).split(File.pathSeparator)[0]);

    jar(netty, null, "META-INF/native/" + LIBRARY, new byte[] {9, 9});
    Files.setLastModifiedTime(netty, FileTime.fromMillis(System.currentTimeMillis() + 5_000));
    String after = new NativeTransport(dir.resolve(".parigot/native"), new ArchiveKeys())
        .jvmOptions(service(List.of(), Map.of())).get(0);

    assertNotEquals(before, after);
    assertFalse(Files.exists(oldDirectory), "the old version's directory is removed");
  }

  @Test
  void noLibraryWhenParigotCannotTellTheRestOfThePath() throws IOException {
    assertEquals(List.of(), natives.jvmOptions(
        service(List.of("-Djava.library.path=/opt/native"), Map.of())));
    assertEquals(List.of(), natives.jvmOptions(
        service(List.of(), Map.of("LD_LIBRARY_PATH", "/opt/native"))));
    Path other = Path.of("/opt/jdk-21");
    assertEquals(List.of(), natives.jvmOptions(new ServiceSpec("store", Optional.of(app),
        List.of(), Optional.empty(), List.of(), Map.of(), List.of(),
        new JavaRuntime(other.resolve("bin/java"), other, "21.0.5", 21), false, List.of(),
        Optional.empty(), List.of(), Optional.empty(), RestartPolicy.DEFAULT,
        Duration.ofSeconds(30), Optional.empty(), true, 1, 1)));
  }

  @Test
  void aClasspathWithoutNettysLibraryGetsNothing() throws IOException {
    Path plain = dir.resolve("plain.jar");
    jar(plain, null, "com/example/Main.class", new byte[] {1});
    ServiceSpec spec = new ServiceSpec("store", Optional.of(plain), List.of(), Optional.empty(),
        List.of(), Map.of(), List.of(), JavaRuntime.current(), false, List.of(), Optional.empty(),
        List.of(), Optional.empty(), RestartPolicy.DEFAULT, Duration.ofSeconds(30),
        Optional.empty(), true, 1, 1);

    assertEquals(List.of(), natives.jvmOptions(spec));
    assertEquals(List.of(), new NativeTransport(dir.resolve(".parigot/native"), new ArchiveKeys()).jvmOptions(spec),
        "and remembers it");
    assertTrue(Files.isDirectory(dir.resolve(".parigot/native")));
  }

  private ServiceSpec service(List<String> jvmOptions, Map<String, String> env) {
    return new ServiceSpec("store", Optional.of(app), List.of(), Optional.empty(), List.of(), env,
        jvmOptions, JavaRuntime.current(), false, List.of(), Optional.empty(), List.of(),
        Optional.empty(), RestartPolicy.DEFAULT, Duration.ofSeconds(30), Optional.empty(), true,
        1, 1);
  }

  private static void jar(Path jar, String classPath, String entry, byte[] content)
      throws IOException {
    Manifest manifest = new Manifest();
    manifest.getMainAttributes().put(Attributes.Name.MANIFEST_VERSION, "1.0");
    if (classPath != null) {
      manifest.getMainAttributes().put(Attributes.Name.CLASS_PATH, classPath);
    }
    try (OutputStream file = Files.newOutputStream(jar);
        JarOutputStream out = new JarOutputStream(file, manifest)) {
      out.putNextEntry(new ZipEntry(entry));
      out.write(content);
      out.closeEntry();
    }
  }
}
