package io.parigot.orchestrator.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class OrchestratorArchiveTest {
  @TempDir
  Path dir;

  /** What a detached orchestrator is started from: the archive of this very jar, or none. */
  @Test
  void anArchiveIsUsedOnlyForTheJarItWasRecordedFor() throws Exception {
    Path jar = Files.writeString(dir.resolve("parigot.jar"), "a jar");
    Path archive = Files.writeString(dir.resolve("parigot.jsa"), "an archive");
    Files.setLastModifiedTime(jar, FileTime.from(Instant.now().minusSeconds(60)));
    String classPath = System.getProperty("java.class.path");
    System.setProperty("java.class.path", jar.toString()); // as java -jar sets it
    System.setProperty(OrchestratorArchive.ARCHIVE_PROPERTY, archive.toString());
    try {
      List<String> used = List.of("-XX:SharedArchiveFile=" + archive, "-Xshare:auto",
          "-Xlog:cds=off");
      // recorded before the jar at this path was said (an archive of an older parigot)
      assertEquals(List.of(), OrchestratorArchive.jvmOptions());
      // recorded for the checkout at another path, since moved here
      Files.writeString(OrchestratorArchive.madeFor(archive), "/elsewhere/parigot.jar\n");
      assertEquals(List.of(), OrchestratorArchive.jvmOptions());

      Files.writeString(OrchestratorArchive.madeFor(archive), jar + "\n");
      assertEquals(used, OrchestratorArchive.jvmOptions());
      // and not once the jar is rebuilt
      Files.setLastModifiedTime(jar, FileTime.from(Instant.now().plusSeconds(60)));
      assertEquals(List.of(), OrchestratorArchive.jvmOptions());
    } finally {
      System.setProperty("java.class.path", classPath);
      System.clearProperty(OrchestratorArchive.ARCHIVE_PROPERTY);
    }
  }
}
