package example.helloworld;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.parigot.it.ParigotCli;
import io.parigot.it.ParigotCli.Result;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A program under {@code up -d} that ends after {@code up -d} has returned: its exit ends the
 * deployment in the background, and its code, the deployment's, is told where the user looks
 * next, as {@code docker compose ps -a} shows "Exited (7)".
 */
class DetachedProgramIT {
  private static final Duration LIMIT = Duration.ofSeconds(90);
  private static final Duration GRACE = Duration.ofSeconds(2);
  private static final Path EXAMPLE = Path.of("").toAbsolutePath();
  private static final String JAR = EXAMPLE.resolve("target/helloworld.jar").toString();
  private static final String TEST_CLASSES = EXAMPLE.resolve("target/test-classes").toString();

  @Test
  void psAndDownAfterTheProgramEndedSayTheCodeItEndedWith(@TempDir Path dir) throws Exception {
    Path go = dir.resolve("go");
    Files.writeString(dir.resolve("deploy.yaml"), """
        name: told
        services:
          told:
            classpath: [%s, %s]
            main: example.helloworld.fixtures.ExitsWhenTold
            jvm_options: [-Dexit.after=%s, -Dexit.code=7]
            program: true
        """.formatted(TEST_CLASSES, JAR, go));
    try {
      Result up = ParigotCli.run(dir, LIMIT, "up", "-d", "deploy.yaml");
      assertEquals(0, up.exitCode(), up.output());
      Files.createFile(go); // up -d has returned: now the program ends
      assertTrue(ParigotCli.waitFor(Duration.ofSeconds(30), () -> run(dir, "ps").exitCode() == 1),
          () -> run(dir, "ps").output());

      Result ps = run(dir, "ps");

      Path log = dir.toRealPath().resolve(".parigot/orchestrator.log");
      ps.assertPrinted("no deployment is running for deploy.yaml");
      ps.assertPrinted("the one started there with up -d ended at ");
      ps.assertPrinted(" with code 7, its output is in " + log);
      Result down = run(dir, "down");
      assertEquals(1, down.exitCode(), down.output());
      down.assertPrinted(" with code 7, its output is in " + log);
    } finally {
      ParigotCli.run(dir, LIMIT, "down");
      ParigotCli.assertNoJvmLeft(dir.toString(), GRACE);
    }
  }

  /**
   * An orchestrator killed by SIGKILL records no code, nor when it ended: ps says that it was
   * killed, and when it last wrote, rather than that it ended then.
   */
  @Test
  void psAfterTheOrchestratorWasKilledSaysSo(@TempDir Path dir) throws Exception {
    Files.writeString(dir.resolve("deploy.yaml"), """
        name: told
        services:
          told:
            classpath: [%s, %s]
            main: example.helloworld.fixtures.ExitsWhenTold
            jvm_options: [-Dexit.after=%s]
            program: true
        """.formatted(TEST_CLASSES, JAR, dir.resolve("go")));
    try {
      Result up = ParigotCli.run(dir, LIMIT, "up", "-d", "deploy.yaml");
      assertEquals(0, up.exitCode(), up.output());
      Matcher pid = Pattern.compile("orchestrator pid (\\d+)").matcher(up.output());
      assertTrue(pid.find(), up.output());
      long orchestrator = Long.parseLong(pid.group(1));
      ProcessHandle.of(orchestrator).orElseThrow().destroyForcibly();
      assertTrue(ParigotCli.waitFor(Duration.ofSeconds(30), () -> run(dir, "ps").exitCode() == 1),
          () -> run(dir, "ps").output());

      Result ps = run(dir, "ps");

      ps.assertPrinted("the one started there with up -d was killed (or crashed) after ");
      ps.assertPrinted(", when it last wrote to its output, in "
          + dir.toRealPath().resolve(".parigot/orchestrator.log"));
    } finally {
      ParigotCli.run(dir, LIMIT, "down");
      ParigotCli.assertNoJvmLeft(dir.toString(), GRACE);
    }
  }

  private static Result run(Path dir, String... args) {
    try {
      return ParigotCli.run(dir, LIMIT, args);
    } catch (Exception e) {
      throw new AssertionError(e);
    }
  }
}
