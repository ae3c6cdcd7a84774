package io.parigot.orchestrator.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.parigot.orchestrator.control.StateDirectory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Instant;
import java.time.ZonedDateTime;
import java.time.temporal.ChronoUnit;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
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

  @Test
  void theCodeTheLastUpDashDEndedWithIsToldUntilTheNextRunClaimsTheDirectory() throws Exception {
    Path log = state.root().resolve(Detached.LOG);
    Path listed = state.logs().resolve(Console.SERVICES);
    Files.writeString(listed, "store\n");
    Files.setLastModifiedTime(listed, FileTime.from(Instant.now().minusSeconds(60)));
    Files.writeString(log, "parigot | program \"shopper\" exited with code 7\n");
    state.recordExitCode(7); // as a detached orchestrator does before it lets go
    state.release();

    String told = DeploymentOption.lastDetached(state);
    assertTrue(told.startsWith("; the one started there with up -d ended at ")
        && told.endsWith(" with code 7, its output is in " + log), told);
    // the next run has not ended: its claim forgets the code of the one before
    state.claim("shop", dir.resolve("deploy.yaml"), 40123, "c0ffee", 40124);
    assertTrue(state.lastExitCode().isEmpty(), "" + state.lastExitCode());
    assertFalse(DeploymentOption.lastDetached(state).contains("with code"),
        DeploymentOption.lastDetached(state));
  }

  @Test
  void anUpDashDWhoseOrchestratorWasKilledIsSaidToHaveBeenKilledNotToHaveEnded(
      @TempDir Path other) throws Exception {
    Files.writeString(other.resolve("deploy.yaml"), "name: cafe\n");
    StateDirectory killed = StateDirectory.of(other);
    Files.createDirectories(killed.logs());
    Process gone = new ProcessBuilder("true").start();
    gone.waitFor();
    // what a SIGKILL leaves: the control.json it never removed, of a pid that is no one's
    Files.writeString(killed.root().resolve("control.json"), "{\"deployment\": \"cafe\", "
        + "\"pid\": " + gone.pid() + ", \"port\": 1, \"token\": \"t\"}");
    Path log = killed.root().resolve(Detached.LOG);
    Path listed = killed.logs().resolve(Console.SERVICES);
    Files.writeString(listed, "store\n");
    Files.setLastModifiedTime(listed, FileTime.from(Instant.now().minusSeconds(60)));
    Files.writeString(log, "parigot | deployment \"cafe\" is ready\n");

    String told = DeploymentOption.lastDetached(killed);

    assertTrue(told.startsWith("; the one started there with up -d was killed (or crashed) "
        + "after ") && told.endsWith(", when it last wrote to its output, in " + log), told);
  }

  @Test
  void aVerbTypedWhileAnUpDashDIsStartingWaitsForItsOrchestratorsClaim(@TempDir Path other)
      throws Exception {
    Files.writeString(other.resolve("deploy.yaml"), "name: cafe\n");
    StateDirectory starting = StateDirectory.of(other);
    Files.createDirectories(starting.root());
    // a live process plays the up -d: its log has its own name until the orchestrator's claim
    Process upDashD = new ProcessBuilder("sleep", "60").start();
    try {
      Files.writeString(starting.root().resolve("orchestrator-" + upDashD.pid() + ".log"), "");
      CompletableFuture<String> ps = new CompletableFuture<>();
      Thread verb = new Thread(() -> {
        try {
          ps.complete(option(other).running().deployment());
        } catch (RuntimeException e) {
          ps.completeExceptionally(e);
        }
      });
      verb.start();
      // the orchestrator claims the directory once the verb waits for it, not before
      while (!ps.isDone() && verb.getState() != Thread.State.TIMED_WAITING) {
        Thread.onSpinWait();
      }
      assertFalse(ps.isDone(), () -> "the verb did not wait: " + ps.handle((r, e) -> e).join());
      starting.claim("cafe", other.resolve("deploy.yaml"), 40125, "beef", 40126);
      try {
        assertEquals("cafe", ps.get(30, TimeUnit.SECONDS));
      } finally {
        starting.release();
      }
    } finally {
      upDashD.destroyForcibly().waitFor();
    }
  }

  @Test
  void anUpDashDThatHasEndedIsNotWaitedFor(@TempDir Path other) throws Exception {
    Files.writeString(other.resolve("deploy.yaml"), "name: cafe\n");
    StateDirectory ended = StateDirectory.of(other);
    Files.createDirectories(ended.root());
    Process gone = new ProcessBuilder("true").start();
    gone.waitFor();
    // killed before its orchestrator's claim: its log is left, its pid is no one's
    Files.writeString(ended.root().resolve("orchestrator-" + gone.pid() + ".log"), "");
    DeploymentOption.NotRunningException e = assertThrows(
        DeploymentOption.NotRunningException.class, () -> option(other).running());
    assertEquals("no deployment is running for " + other + " (nothing alive in " + ended.root()
        + "). Start one with: parigot up " + other, e.getMessage());
  }

  @Test
  void theLeftLogOfAnUpDashDWhosePidIsAnotherProcessNowIsNotWaitedFor(@TempDir Path other)
      throws Exception {
    Files.writeString(other.resolve("deploy.yaml"), "name: cafe\n");
    StateDirectory left = StateDirectory.of(other);
    Files.createDirectories(left.root());
    // a process that started an hour after the log was last written did not write it
    Process another = new ProcessBuilder("sleep", "60").start();
    try {
      Path log = left.root().resolve("orchestrator-" + another.pid() + ".log");
      Files.writeString(log, "");
      assertTrue(Detached.isStarting(left), "the log of a live process is an up -d starting");
      Files.setLastModifiedTime(log, FileTime.from(Instant.now().minusSeconds(3600)));
      assertFalse(Detached.isStarting(left), "a process younger than the log did not write it");
    } finally {
      another.destroyForcibly().waitFor();
    }
  }

  @Test
  void theEndOfTheLastUpDashDIsSaidToTheSecondEvenAtSecondZero() throws Exception {
    Path log = state.root().resolve(Detached.LOG);
    Path listed = state.logs().resolve(Console.SERVICES);
    Files.writeString(log, "orchestrator: deployment \"shop\" failed\n");
    Files.writeString(listed, "store\n");
    ZonedDateTime minute = ZonedDateTime.now().truncatedTo(ChronoUnit.MINUTES).minusMinutes(1);
    Files.setLastModifiedTime(listed, FileTime.from(minute.minusMinutes(1).toInstant()));
    Files.setLastModifiedTime(log, FileTime.from(minute.toInstant()));
    assertEquals(String.format("; the one started there with up -d ended at %02d:%02d:00, its "
        + "output is in %s", minute.getHour(), minute.getMinute(), log),
        DeploymentOption.lastDetached(state));
  }

  @Test
  void theCommandsAnAnswerSuggestsCarryTheFileTheUserGave() {
    String answer = "service \"cart\" is not running (stopped); no signal was sent. parigot "
        + "start cart starts it again; see `parigot logs`, or stop the deployment with parigot "
        + "down; it was stopped (parigot stop; parigot start cart starts it again)";
    assertEquals("service \"cart\" is not running (stopped); no signal was sent. parigot start "
        + "--file shop/deploy.yaml cart starts it again; see `parigot logs --file "
        + "shop/deploy.yaml`, or stop the deployment with parigot down --file shop/deploy.yaml; "
        + "it was stopped (parigot stop --file shop/deploy.yaml; parigot start --file "
        + "shop/deploy.yaml cart starts it again)",
        option(Path.of("shop/deploy.yaml")).fromHere(answer));
    // a path that a shell would split is quoted; one that names the deployment already is kept
    assertEquals("to run it too, name it to parigot up --file 'my shop' (parigot down --file x)",
        option(Path.of("my shop")).fromHere(
            "to run it too, name it to parigot up (parigot down --file x)"));
    // words that only begin as a verb does are no command
    assertEquals("it stopped (parigot stopped it)",
        option(Path.of("shop")).fromHere("it stopped (parigot stopped it)"));
  }

  @Test
  void aCommandAloneInParenthesesSaysWhatALineWasForAndIsKept() {
    assertEquals("stopping service \"cart\" (pid 7) (parigot stop); parigot start --file "
        + "shop cart starts it (see parigot logs --file shop)",
        option(Path.of("shop")).fromHere("stopping service \"cart\" (pid 7) (parigot stop); "
            + "parigot start cart starts it (see parigot logs)"));
  }

  @Test
  void theControlFileIsNamedAsItIsFoundFromHere() {
    assertEquals(Path.of(".parigot", "control.json"), option(null).controlFileFromHere());
    assertEquals(Path.of("shop", ".parigot", "control.json"),
        option(Path.of("shop/deploy.yaml")).controlFileFromHere());
    assertEquals(dir.resolve(".parigot").resolve("control.json"),
        option(dir.resolve("deploy.yaml")).controlFileFromHere());
    assertEquals(dir.resolve(".parigot").resolve("control.json"),
        option(dir).controlFileFromHere());
  }

  @Test
  void theLogsDirectoryIsNamedAsItIsFoundFromHere() {
    DeploymentOption shop = option(Path.of("shop/deploy.yaml"));
    assertEquals(Path.of("shop", ".parigot", "logs"), shop.pathFromHere(shop.state().logs()));
    DeploymentOption here = option(null);
    assertEquals(Path.of(".parigot", "logs"), here.pathFromHere(here.state().logs()));
  }

  @Test
  void withoutAFileOrWithTheCurrentDirectorysTheCommandsAnAnswerSuggestsAreKept() {
    String answer = "parigot start cart starts it again";
    assertEquals(answer, option(null).fromHere(answer));
    assertEquals(answer, option(Path.of("deploy.yaml")).fromHere(answer));
    assertEquals(answer, option(Path.of(".")).fromHere(answer));
    assertEquals("parigot start --file other.yaml cart starts it again",
        option(Path.of("other.yaml")).fromHere(answer));
  }

  private static DeploymentOption option(Path file) {
    DeploymentOption option = new DeploymentOption();
    option.file = file;
    return option;
  }
}
