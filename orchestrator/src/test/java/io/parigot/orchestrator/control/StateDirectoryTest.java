package io.parigot.orchestrator.control;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
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
}
