package example.helloworld;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import io.parigot.it.ParigotCli;
import io.parigot.it.ParigotCli.Result;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What an orchestrator killed before a reboot (or in a container since started again) leaves:
 * its control.json, whose pid now belongs to another process. The verbs must not take that
 * process for the orchestrator.
 */
class StaleStateIT {
  private static final Duration LIMIT = Duration.ofSeconds(90);
  private static final Duration GRACE = Duration.ofSeconds(5);
  private static final String JAR =
      Path.of("target/helloworld.jar").toAbsolutePath().toString();

  @Test
  void aControlFileWhosePidIsAnotherProcessNowRunsNoDeployment(@TempDir Path dir)
      throws Exception {
    Files.writeString(dir.resolve("deploy.yaml"), Files.readString(Path.of("greeting.yaml"))
        .replace("[target/helloworld.jar]", "[" + JAR + "]"));
    Path control = dir.resolve(".parigot/control.json");
    Files.createDirectories(control.getParent());
    // a process that started after the orchestrator wrote its record has its pid now
    Process other = new ProcessBuilder("sleep", "300").start();
    try {
      Files.writeString(control, "{\"deployment\":\"greeter\",\"file\":\""
          + dir.resolve("deploy.yaml") + "\",\"pid\":" + other.pid() + ",\"port\":1,"
          + "\"token\":\"t\",\"registry_port\":2}");
      Files.setLastModifiedTime(control, FileTime.from(Instant.now().minusSeconds(3600)));

      Result ps = ParigotCli.run(dir, LIMIT, "ps");
      assertEquals(1, ps.exitCode(), ps.output());
      ps.assertPrinted("no deployment is running for deploy.yaml");
      assertFalse(ps.output().contains("did not answer"), ps.output());

      Result up = ParigotCli.run(dir, LIMIT, "up", "-d");
      assertEquals(0, up.exitCode(), up.output());
      up.assertPrinted("deployment \"greeter\" is ready");
      Result down = ParigotCli.run(dir, LIMIT, "down");
      assertEquals(0, down.exitCode(), down.output());
    } finally {
      ParigotCli.run(dir, LIMIT, "down");
      other.destroyForcibly().waitFor();
      ParigotCli.assertNoJvmLeft(dir.toString(), GRACE);
      ParigotCli.assertNoJvmLeft(JAR, GRACE);
    }
  }
}
