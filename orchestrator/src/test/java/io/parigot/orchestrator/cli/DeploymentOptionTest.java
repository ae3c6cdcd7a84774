package io.parigot.orchestrator.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.parigot.orchestrator.control.StateDirectory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Instant;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DeploymentOptionTest {
  @TempDir
  Path dir;
  StateDirectory state;

  @BeforeEach
  void aDeploymentRunsFromDeployYaml() throws Exception {
    Files.writeString(dir.resolve("deploy.yaml"), "name: shop\n");
    Files.writeString(dir.resolve("other.yaml"), "name: other\n");
    state = StateDirectory.of(dir);
    // this JVM plays the orchestrator: its pid is alive
    state.claim("shop", dir.resolve("deploy.yaml"), 40123, "c0ffee", 40124);
  }

  @AfterEach
  void release() {
    state.release();
  }

  @Test
  void theRunningDeploymentIsFoundByItsFileOrItsDirectory() {
    assertEquals("shop", option(dir.resolve("deploy.yaml")).running().deployment());
    assertEquals("shop", option(dir.resolve("./sub/../deploy.yaml")).running().deployment());
    assertEquals("shop", option(dir).running().deployment());
  }

  @Test
  void anotherFileOfTheSameDirectoryIsNotTheRunningDeployment() {
    DeploymentOption.NotRunningException e = assertThrows(
        DeploymentOption.NotRunningException.class,
        () -> option(dir.resolve("other.yaml")).running());
    assertTrue(e.getMessage().contains("no deployment of " + dir.resolve("other.yaml")
        + " is running; the one running in " + dir + " is \"shop\", from deploy.yaml. Name it "
        + "with --file " + dir.resolve("deploy.yaml")),
        e.getMessage());
  }

  @Test
  void aDirectoryWithoutADeployYamlWhereNothingRunsIsBadInput(@TempDir Path empty) {
    Cli.Said said = Cli.run("ps", "--file", empty.toString());
    assertEquals(2, said.code(), said.err());
    assertEquals("parigot: " + empty + " is a directory with no deploy.yaml in it. Give the path "
        + "of a deploy.yaml, or of the directory that holds it.\n", said.err());
  }

  @Test
  void anEmptyFileIsBadUsage() {
    // `parigot ps --file "$DEPLOY"` with DEPLOY unset: not the current directory, as up says
    for (String[] args : new String[][] {{"ps", "--file="}, {"kill", "--file=", "store"},
        {"restart", "--file=", "store"}, {"stop", "--file=", "store"},
        {"start", "--file=", "store", "cart"}, {"logs", "--file="}, {"down", "--file="}}) {
      Cli.Said said = Cli.run(args);
      assertEquals(2, said.code(), String.join(" ", args) + ": " + said.err());
      assertEquals("parigot: the file name is empty. Give the path of a deploy.yaml, or of the "
          + "directory that holds it.\n", said.err());
    }
  }

  @Test
  void theLastUpDashDIsToldOnlyWhenNoRunStartedSince() throws Exception {
    Path log = state.root().resolve(Detached.LOG);
    Path listed = state.logs().resolve(Console.SERVICES);
    Files.writeString(log, "orchestrator: deployment \"shop\" failed\n");
    Files.writeString(listed, "store\n");
    Instant now = Instant.now();
    // an up -d listed its services, then wrote its log to its end
    Files.setLastModifiedTime(listed, FileTime.from(now.minusSeconds(60)));
    Files.setLastModifiedTime(log, FileTime.from(now.minusSeconds(50)));
    assertTrue(DeploymentOption.lastDetached(state).startsWith("; the one started there with "
        + "up -d ended at "), DeploymentOption.lastDetached(state));
    // a foreground up started since: the up -d's log is not of the run that ended last
    Files.setLastModifiedTime(listed, FileTime.from(now.minusSeconds(10)));
    assertEquals("", DeploymentOption.lastDetached(state));
  }

  private static DeploymentOption option(Path file) {
    DeploymentOption option = new DeploymentOption();
    option.file = file;
    return option;
  }
}
