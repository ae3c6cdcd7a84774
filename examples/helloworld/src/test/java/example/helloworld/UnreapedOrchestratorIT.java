package example.helloworld;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.parigot.it.ParigotCli;
import io.parigot.it.ParigotCli.Result;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * An orchestrator whose parent never waits for it: a script that started {@code parigot up} and
 * went on, a container's first process that reaps nothing. Once it has ended it stays a zombie
 * until its parent goes, and {@code ps}, {@code down} and {@code up} must tell that from an
 * orchestrator that runs. Here its parent is a {@code sleep} that a shell became.
 */
class UnreapedOrchestratorIT {
  private static final Duration LIMIT = Duration.ofSeconds(90);
  private static final Duration GRACE = Duration.ofSeconds(5);
  private static final String JAR =
      Path.of("target/helloworld.jar").toAbsolutePath().toString();

  @TempDir
  Path dir;

  @Test
  void downReturnsOnceTheOrchestratorHasEndedThoughNothingReapedIt() throws Exception {
    Process parent = upUnderAParentThatNeverWaits();
    try {
      Result down = ParigotCli.run(dir, LIMIT, "down");

      assertEquals(0, down.exitCode(), down.output());
      down.assertPrinted("deployment \"greeter\" is down");
      assertTrue(down.took().compareTo(Duration.ofSeconds(20)) < 0,
          "down took " + down.took() + " to see the orchestrator end");
    } finally {
      ParigotCli.killTree(parent.toHandle());
      ParigotCli.assertNoJvmLeft(JAR, GRACE);
    }
  }

  @Test
  void anOrchestratorKilledAndNotReapedRunsNoDeployment() throws Exception {
    Process parent = upUnderAParentThatNeverWaits();
    try {
      ProcessHandle orchestrator = parent.children().findFirst().orElseThrow();
      orchestrator.destroyForcibly();
      assertTrue(ParigotCli.waitFor(LIMIT, () -> ParigotCli.jvmsMentioning(JAR).isEmpty()),
          "the service outlived its orchestrator");

      Result ps = ParigotCli.run(dir, LIMIT, "ps");
      assertEquals(1, ps.exitCode(), ps.output());
      ps.assertPrinted("no deployment is running");

      Result up = ParigotCli.run(dir, LIMIT, "up", "-d", "deploy.yaml");
      assertEquals(0, up.exitCode(), up.output());
      up.assertPrinted("deployment \"greeter\" is ready");
    } finally {
      ParigotCli.run(dir, LIMIT, "down");
      ParigotCli.killTree(parent.toHandle());
      ParigotCli.assertNoJvmLeft(JAR, GRACE);
    }
  }

  /** {@code parigot up} of greeting alone, ready, its parent a process that never waits. */
  private Process upUnderAParentThatNeverWaits() throws IOException, InterruptedException {
    Files.writeString(dir.resolve("deploy.yaml"), Files.readString(Path.of("greeting.yaml"))
        .replace("[target/helloworld.jar]", "[" + JAR + "]"));
    Path output = dir.resolve("up.out");
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    // the shell starts parigot up, then becomes a sleep: the orchestrator's parent, which never
    // waits for its children
    Process parent = new ProcessBuilder("sh", "-c",
        "\"$0\" -jar \"$1\" up deploy.yaml > up.out 2>&1 & exec sleep 300",
        java, ParigotCli.jar().toString())
        .directory(dir.toFile()).start();
    boolean ready = ParigotCli.waitFor(LIMIT, () -> read(output).contains("is ready: 1 service"));
    if (!ready) {
      ParigotCli.killTree(parent.toHandle());
    }
    assertTrue(ready, () -> "not ready; parigot up printed:\n" + read(output));
    return parent;
  }

  private static String read(Path file) {
    try {
      return Files.exists(file) ? Files.readString(file) : "";
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
