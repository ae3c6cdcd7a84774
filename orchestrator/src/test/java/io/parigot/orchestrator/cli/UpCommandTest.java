package io.parigot.orchestrator.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

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

  /** ps, kill, logs, down and their hints write --file FILE; up takes it too. */
  @Test
  void upTakesItsFileAsFileTooAsTheOtherVerbsDo() throws Exception {
    Path bad = Files.writeString(dir.resolve("deploy.yaml"), "name: shop\nservices: {}\n");
    Cli.Said byOption = Cli.run("up", "--file", bad.toString());
    Cli.Said byPosition = Cli.run("up", "--no-archive", bad.toString());
    assertEquals(2, byOption.code(), byOption.err());
    assertEquals(byPosition.err(), byOption.err());
    assertTrue(byOption.err().contains("nothing was started"), byOption.err());

    Cli.Said both = Cli.run("up", "--file", bad.toString(), dir.resolve("other.yaml").toString());
    assertEquals(2, both.code());
    assertTrue(both.err().contains("up was given two deployment files"), both.err());

    Cli.Said sameTwice = Cli.run("up", "--file", dir.resolve(".").resolve("deploy.yaml")
        .toString(), bad.toString());
    assertEquals(2, sameTwice.code());
    // read, not refused
    assertTrue(sameTwice.err().contains("services: is empty"), sameTwice.err());
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

  @Test
  void aStateDirectoryOfAnotherUserIsRefusedInOneLineBeforeAnythingIsWrittenInIt()
      throws Exception {
    Path deployYaml = Files.writeString(dir.resolve("deploy.yaml"),
        "name: shop\nservices:\n  store:\n    jar: store.jar\n");
    Path root = Files.createDirectories(dir.resolve(".parigot"));
    assumeTrue("root".equals(System.getProperty("user.name")),
        "needs root: only root can give a directory to another user (nobody)");
    Files.setOwner(root, root.getFileSystem().getUserPrincipalLookupService()
        .lookupPrincipalByName("nobody"));

    Cli.Said said = Cli.run("up", deployYaml.toString());

    assertEquals(2, said.code(), said.err());
    assertEquals("parigot: " + root + " belongs to user nobody, not to you (root): parigot keeps "
        + "the deployment's state in .parigot/ (its token, the services' logs) and writes there "
        + "as you, so another user's files in it could have it overwrite yours. Remove it (rm -rf "
        + root + ") and run parigot up again, or run the deployment from a directory of your "
        + "own.\n", said.err());
    try (var left = Files.list(root)) {
      assertEquals(0, left.count(), "nothing written in it (not the deploy.yaml's tree)");
    }
  }
}
