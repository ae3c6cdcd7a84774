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
   * Under {@code parigot up} a service that fails before it is ready ends the deployment at once
   * (the orchestrator's policy), so what a user sees is that crash, and that front, which
   * requires back, never became ready. Front's own CRASHED launch failure is asserted in
   * RequirementCrashTogetherTest, where the deployment lives on long enough to show it.
   */
  @Test
  void aRequirementThatCrashesAtStartEndsTheDeploymentNamingTheCause(@TempDir Path dir)
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
