package io.parigot.orchestrator.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class UpCommandTest {
  @TempDir
  Path dir;

  @Test
  void upWithAtMostAFileSkipsTheParser() {
    assertEquals(Path.of("deploy.yaml"), UpCommand.withoutOptions("up").file);
    assertEquals(Path.of("shop/deploy.yaml"), UpCommand.withoutOptions("up", "shop/deploy.yaml").file);
  }

  @Test
  void everythingElseGoesToPicocli() {
    assertNull(UpCommand.withoutOptions());
    assertNull(UpCommand.withoutOptions("ps"));
    assertNull(UpCommand.withoutOptions("up", "-d", "deploy.yaml"));
    assertNull(UpCommand.withoutOptions("up", "--help"));
    assertNull(UpCommand.withoutOptions("up", "--no-archive"));
    assertNull(UpCommand.withoutOptions("up", "@args.txt"));
    assertNull(UpCommand.withoutOptions("up", "a.yaml", "b.yaml"));
    assertNull(UpCommand.withoutOptions("up", ""));
  }

  @Test
  void bothWaysSayTheSameOfAMissingFile() {
    String missing = dir.resolve("nothing-here.yaml").toString();
    Cli.Said plain = Cli.run("up", missing);
    Cli.Said parsed = Cli.run("up", "--no-archive", missing);
    assertEquals(2, plain.code());
    assertEquals(2, parsed.code());
    assertEquals(parsed.err(), plain.err());
    assertTrue(plain.err().contains(missing + ": no such file"), plain.err());
  }

  @Test
  void aDirectoryWithoutADeployYamlSaysSo() {
    Cli.Said said = Cli.run("up", dir.toString());
    assertEquals(2, said.code());
    assertTrue(said.err().contains(dir + " is a directory with no deploy.yaml in it"), said.err());
  }

  @Test
  void picocliStillAnswersAWrongCommandLine() {
    Cli.Said said = Cli.run("up", "a.yaml", "b.yaml");
    assertEquals(2, said.code());
    assertTrue(said.err().contains("Unmatched argument"), said.err());
  }

  @Test
  void aRunThatEndsEarlyLeavesNoClassListBehind() throws Exception {
    // what the parigot script sets when it has the orchestrator record its archive
    Path classList = Files.writeString(dir.resolve("parigot-1.classlist"), "java/lang/Object\n");
    Path bad = Files.writeString(dir.resolve("deploy.yaml"), "name: shop\nservices: {}\n");
    System.setProperty(OrchestratorArchive.ARCHIVE_PROPERTY, dir.resolve("parigot.jsa").toString());
    System.setProperty(OrchestratorArchive.CLASS_LIST_PROPERTY, classList.toString());
    try {
      Cli.Said said = Cli.run("up", bad.toString());
      assertEquals(2, said.code(), said.err());
      assertFalse(Files.exists(classList), "the class list of a run that started nothing");
    } finally {
      System.clearProperty(OrchestratorArchive.ARCHIVE_PROPERTY);
      System.clearProperty(OrchestratorArchive.CLASS_LIST_PROPERTY);
    }
  }
}
