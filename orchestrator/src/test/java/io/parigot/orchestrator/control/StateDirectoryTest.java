package io.parigot.orchestrator.control;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.PosixFileAttributeView;
import java.nio.file.attribute.PosixFilePermissions;
import java.nio.file.attribute.UserPrincipal;
import java.time.Instant;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class StateDirectoryTest {
  @TempDir
  Path dir;

  @Test
  void theCliFindsWhatTheOrchestratorClaimed() throws IOException {
    StateDirectory state = StateDirectory.of(dir);
    Path file = dir.resolve("deploy.yaml");
    state.claim("shop \"north\"", file, 40123, "c0ffee", 40124);

    StateDirectory.Running running = state.running().orElseThrow();
    assertEquals(new StateDirectory.Running("shop \"north\"", file.toString(),
        ProcessHandle.current().pid(), 40123, "c0ffee"), running);
    Path control = dir.resolve(".parigot/control.json");
    assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(control)));
    // the registry's port too, for whoever holds the file (the services get it in their env)
    assertTrue(Files.readString(control).contains("\"registry_port\":40124"),
        Files.readString(control));
    assertEquals("rwx------",
        PosixFilePermissions.toString(Files.getPosixFilePermissions(dir.resolve(".parigot"))));

    state.release();
    assertTrue(state.running().isEmpty());
  }

  @Test
  void oneOrchestratorAtATimeHoldsADirectory() throws IOException {
    StateDirectory first = StateDirectory.of(dir);
    StateDirectory second = StateDirectory.of(dir);
    first.claim("shop", dir.resolve("deploy.yaml"), 40123, "c0ffee", 40124);

    StateDirectory.AlreadyClaimedException refused = assertThrows(
        StateDirectory.AlreadyClaimedException.class,
        () -> second.claim("other", dir.resolve("other.yaml"), 40125, "beef", 40126));
    assertEquals("shop", refused.running().orElseThrow().deployment());
    second.release(); // it did not claim: the first one's record stays
    assertEquals("c0ffee", first.running().orElseThrow().token());

    first.release();
    second.claim("other", dir.resolve("other.yaml"), 40125, "beef", 40126);
    assertEquals("other", second.running().orElseThrow().deployment());
    second.release();
  }

  @Test
  void aFileOfADeadOrchestratorOrNotOursMeansNoneRuns() throws IOException {
    Path control = dir.resolve(".parigot/control.json");
    Files.createDirectories(control.getParent());
    StateDirectory state = StateDirectory.of(dir);

    Files.writeString(control, "{\"deployment\":\"d\",\"pid\":" + Long.MAX_VALUE
        + ",\"port\":1,\"token\":\"t\"}");
    assertTrue(state.running().isEmpty(), "no process has that pid");

    Files.writeString(control, "{\"deployment\":\"d\",\"pid\":"
        + ProcessHandle.current().pid() + ",\"port\":1}");
    assertTrue(state.running().isEmpty(), "no token");

    Files.writeString(control, "not json at all");
    assertTrue(state.running().isEmpty(), "not JSON");
  }

  /**
   * After a reboot, or in a container started again, the pid a killed orchestrator left in its
   * control.json may be another process's: one that started after the file was written, and
   * holds no lock on orchestrator.lock, is not the orchestrator.
   */
  @Test
  void aPidThatIsAnotherProcessNowMeansNoneRuns() throws Exception {
    StateDirectory state = StateDirectory.of(dir);
    state.claim("shop", dir.resolve("deploy.yaml"), 40123, "c0ffee", 40124);
    Path control = dir.resolve(".parigot/control.json");
    Process other = new ProcessBuilder("sleep", "60").start();
    try {
      Files.writeString(control, "{\"deployment\":\"shop\",\"pid\":" + other.pid()
          + ",\"port\":1,\"token\":\"t\"}");
      Files.setLastModifiedTime(control, FileTime.from(Instant.now().minusSeconds(3600)));
      // the lock is held (here): an orchestrator whose clock was set forward since it started
      assertEquals(other.pid(), state.running().orElseThrow().pid());

      state.release();
      Files.writeString(control, "{\"deployment\":\"shop\",\"pid\":" + other.pid()
          + ",\"port\":1,\"token\":\"t\"}");
      Files.setLastModifiedTime(control, FileTime.from(Instant.now().minusSeconds(3600)));
      assertTrue(state.running().isEmpty(), "a process younger than the record did not write it");
      assertTrue(state.endedWithoutReleasing());
      // and the next up claims the directory
      state.claim("shop", dir.resolve("deploy.yaml"), 40125, "beef", 40126);
      assertEquals(ProcessHandle.current().pid(), state.running().orElseThrow().pid());
      state.release();
    } finally {
      other.destroyForcibly().waitFor();
    }
  }

  /** Gives {@code path} (itself, not what a link points to) to the user nobody. */
  static void giveToNobody(Path path) throws IOException {
    assumeTrue("root".equals(System.getProperty("user.name")),
        "needs root: only root can give a file to another user (nobody)");
    UserPrincipal nobody = path.getFileSystem().getUserPrincipalLookupService()
        .lookupPrincipalByName("nobody");
    Files.getFileAttributeView(path, PosixFileAttributeView.class, LinkOption.NOFOLLOW_LINKS)
        .setOwner(nobody);
  }

  @Test
  void aStateDirectoryOfAnotherUserIsRefusedAndNothingIsWrittenThroughItsLinks()
      throws IOException {
    Path root = Files.createDirectories(dir.resolve(".parigot/logs")).getParent();
    Path mine = Files.writeString(dir.resolve("mine"), "not a log");
    Path planted = Files.createSymbolicLink(root.resolve("logs/greeting.log"), mine);
    for (Path path : new Path[] {planted, root.resolve("logs"), root}) {
      giveToNobody(path);
    }
    StateDirectory state = StateDirectory.of(dir);

    StateDirectory.ForeignOwnerException refused = assertThrows(
        StateDirectory.ForeignOwnerException.class,
        () -> state.claim("shop", dir.resolve("deploy.yaml"), 40123, "c0ffee", 40124));

    assertEquals(root, refused.found());
    assertEquals("nobody", refused.owner());
    assertEquals("root", refused.user());
    assertEquals("not a log", Files.readString(mine));
    assertFalse(Files.exists(root.resolve("control.json")));
    assertTrue(state.running().isEmpty());
  }

  @Test
  void whatAnotherUserPutInAStateDirectoryOpenToOthersIsRefused() throws IOException {
    Path root = Files.createDirectories(dir.resolve(".parigot"));
    Files.setPosixFilePermissions(root, PosixFilePermissions.fromString("rwxrwxrwx"));
    Path logs = Files.createDirectories(root.resolve("logs"));
    giveToNobody(logs);

    StateDirectory.ForeignOwnerException refused = assertThrows(
        StateDirectory.ForeignOwnerException.class, () -> StateDirectory.of(dir).checkOwner());

    assertEquals(logs, refused.found());
    assertEquals(root, refused.root());
  }

  @Test
  void aLinkToADirectoryOfAnotherUserIsRefused() throws IOException {
    Path theirs = Files.createDirectories(dir.resolve("theirs"));
    giveToNobody(theirs);
    Files.createSymbolicLink(dir.resolve(".parigot"), theirs);

    StateDirectory.ForeignOwnerException refused = assertThrows(
        StateDirectory.ForeignOwnerException.class, () -> StateDirectory.of(dir).checkOwner());

    assertEquals("nobody", refused.owner());
  }

  @Test
  void aStateDirectoryOfOnesOwnOpenToTheGroupIsClaimedAndMadeOwnerOnly() throws IOException {
    // a umask of 002 makes it so
    Path root = Files.createDirectories(dir.resolve(".parigot/logs")).getParent();
    Files.setPosixFilePermissions(root, PosixFilePermissions.fromString("rwxrwxr-x"));
    StateDirectory state = StateDirectory.of(dir);

    state.claim("shop", dir.resolve("deploy.yaml"), 40123, "c0ffee", 40124);
    try {
      assertEquals("rwx------", PosixFilePermissions.toString(Files.getPosixFilePermissions(root)));
    } finally {
      state.release();
    }
  }
}
