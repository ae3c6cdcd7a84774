package example.chain;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.parigot.it.ParigotCli;
import io.parigot.it.ParigotCli.Result;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The same services and fixtures as the *TogetherTest classes, each in its own JVM under the
 * real {@code parigot up}.
 */
class ChainIT {
  private static final Duration LIMIT = Duration.ofSeconds(120);
  private static final Duration GRACE = Duration.ofSeconds(2);
  private static final Path EXAMPLE = Path.of("").toAbsolutePath();
  private static final String JAR = EXAMPLE.resolve("target/chain.jar").toString();
  private static final String TEST_CLASSES = EXAMPLE.resolve("target/test-classes").toString();

  @Test
  void sixteenCallersHammerTheCounterAndItStaysExactOnOneThread() throws Exception {
    Result run = ParigotCli.run(EXAMPLE, LIMIT, "up", "hammer.yaml");

    assertEquals(0, run.exitCode(), run.output());
    run.assertPrinted("counter: 8000 calls (expected 8000), total 2004000 (expected 2004000), "
        + "16000 callbacks, ran on 1 thread(s): exact");
    for (int i = 1; i <= 16; i++) {
      // each caller was ready, each in its own JVM, before its first addition
      run.assertPrinted("service \"caller-" + i + "\" is ready");
    }
    ParigotCli.assertNoJvmLeft(JAR, GRACE);
  }

  @Test
  void frontComposesBacksAnswerAndKeepsServingWhileItWaits() throws Exception {
    Result run = ParigotCli.run(EXAMPLE, LIMIT, "up", "deploy.yaml");

    assertEquals(0, run.exitCode(), run.output());
    assertTrue(run.output().lines().anyMatch(l -> l.contains("chain-check: answer a(b(x)) after")
        && l.endsWith("10 of 10 pings answered meanwhile")), run.output());
    ParigotCli.assertNoJvmLeft(JAR, GRACE);
  }

  /**
   * Back's main throws at start. Before the deployment stops, front, which requires back, hears
   * it and says so in its own log: its launch fails with CRASHED, naming back and its exit code.
   * So does chain-check, which requires front. Then the deployment ends with exit code 1.
   */
  @Test
  void aRequirementThatCrashesAtStartIsReportedByItsDependentThenEndsTheDeployment(@TempDir Path dir)
      throws Exception {
    write(dir, """
        name: crash
        services:
          back:
            classpath: [%s, %s]
            main: example.chain.fixtures.CrashingBack
          front:
            classpath: [%s]
            main: example.chain.FrontService
          chain-check:
            classpath: [%s]
            main: example.chain.ChainCheck
            program: true
        """.formatted(TEST_CLASSES, JAR, JAR, JAR));

    Result run = ParigotCli.run(dir, LIMIT, "up", "deploy.yaml");

    assertEquals(1, run.exitCode(), run.output());
    run.assertPrinted("service \"back\" failed to start");
    run.assertPrinted("the answer table is corrupt");
    // front's own line, prefixed with its name: the reason, the requirement, its exit code
    assertTrue(run.output().lines().anyMatch(l -> l.matches("front +\\| front: launch failed "
        + "\\(CRASHED\\): service \"front\" requires chain\\.v1\\.Back.*")
        && l.contains("\"back\"") && l.contains("crashed before it was ready (exit code 1)")
        && l.contains("the answer table is corrupt")), run.output());
    assertTrue(run.output().lines().anyMatch(l -> l.matches("chain-check +\\| .*launch failed "
        + "\\(CRASHED\\): service \"chain-check\" requires chain\\.v1\\.Front, but "
        + "\"front\", which exports it, crashed before it was ready \\(exit code 1\\).*")),
        run.output());
    run.assertPrinted("deployment \"crash\" failed: service \"back\" failed to start");
    assertFalse(run.output().contains("service \"front\" is ready"), run.output());
    assertFalse(run.output().contains("program \"chain-check\" is ready"), run.output());
    ParigotCli.assertNoJvmLeft(JAR, GRACE);
  }

  @Test
  void aRequirementCycleIsReportedNotHung(@TempDir Path dir) throws Exception {
    write(dir, """
        name: cycle
        services:
          front:
            classpath: [%s]
            main: example.chain.FrontService
          back:
            classpath: [%s, %s]
            main: example.chain.fixtures.CyclicBack
          chain-check:
            classpath: [%s]
            main: example.chain.ChainCheck
            program: true
        """.formatted(JAR, TEST_CLASSES, JAR, JAR));

    Result run = ParigotCli.run(dir, LIMIT, "up", "deploy.yaml");

    assertEquals(1, run.exitCode(), run.output());
    assertTrue(run.output().contains("requirement cycle: front -> back -> front")
        || run.output().contains("requirement cycle: back -> front -> back"), run.output());
    ParigotCli.assertNoJvmLeft(JAR, GRACE);
  }

  private static void write(Path dir, String yaml) throws IOException {
    Files.writeString(dir.resolve("deploy.yaml"), yaml);
  }
}
