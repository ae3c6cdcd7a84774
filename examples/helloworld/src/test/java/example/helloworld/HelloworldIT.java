package example.helloworld;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.parigot.it.ParigotCli;
import io.parigot.it.ParigotCli.Result;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** helloworld under the real {@code parigot up}, and the ways a bad deployment must fail. */
class HelloworldIT {
  private static final Duration LIMIT = Duration.ofSeconds(90);
  private static final Duration GRACE = Duration.ofSeconds(2);
  private static final Path EXAMPLE = Path.of("").toAbsolutePath();
  private static final String JAR = EXAMPLE.resolve("target/helloworld.jar").toString();
  private static final String TEST_CLASSES = EXAMPLE.resolve("target/test-classes").toString();

  @Test
  void helloPrintsBonjourWorldAndExitsZero() throws Exception {
    Result run = ParigotCli.run(EXAMPLE, LIMIT, "up", "deploy.yaml");

    assertEquals(0, run.exitCode(), run.output());
    assertTrue(run.output().lines().anyMatch(l -> l.matches("hello +\\| bonjour, world")),
        "expected the line 'hello   | bonjour, world' in:\n" + run.output());
    run.assertPrinted("deployment \"helloworld\" is ready");
    // the program's end stops greeting with SIGTERM: its exit hook runs first
    assertTrue(run.output().lines().anyMatch(
        l -> l.matches("greeting +\\| greeting: stopping after 1 greeting")),
        "expected greeting's exit hook line in:\n" + run.output());
    ParigotCli.assertNoJvmLeft(JAR, GRACE);
  }

  @Test
  void downStopsAServiceAfterItsExitHooksRan(@TempDir Path dir) throws Exception {
    write(dir, """
        name: greeter
        services:
          greeting:
            classpath: [%s]
            main: example.helloworld.GreetingService
        """.formatted(JAR));
    try {
      Result up = ParigotCli.run(dir, LIMIT, "up", "-d", "deploy.yaml");
      assertEquals(0, up.exitCode(), up.output());

      Result down = ParigotCli.run(dir, LIMIT, "down");

      assertEquals(0, down.exitCode(), down.output());
      Result logs = ParigotCli.run(dir, LIMIT, "logs", "greeting");
      logs.assertPrinted("greeting: stopping after 0 greetings");
    } finally {
      ParigotCli.run(dir, LIMIT, "down");
      ParigotCli.assertNoJvmLeft(dir.toString(), GRACE);
      ParigotCli.assertNoJvmLeft(JAR, GRACE);
    }
  }

  @Test
  void theFirstRunRecordsAClassDataArchivePerServiceAndTheNextStartsFromIt(@TempDir Path dir)
      throws Exception {
    write(dir, """
        name: archived
        services:
          greeting:
            classpath: [%1$s]
            main: example.helloworld.GreetingService
            jvm_options: [-Xlog:cds=info]
          hello:
            classpath: [%1$s]
            main: example.helloworld.Hello
            program: true
        """.formatted(JAR));

    Result first = ParigotCli.run(dir, LIMIT, "up", "deploy.yaml");
    assertEquals(0, first.exitCode(), first.output());
    Path cds = dir.resolve(".parigot/cds");
    for (String service : new String[] {"greeting", "hello"}) {
      try (var files = Files.list(cds)) {
        assertTrue(files.anyMatch(f -> f.getFileName().toString().matches(service
            + "-[0-9a-f]+\\.jsa")), service + " has no archive in " + cds + "; the run printed:\n"
            + first.output());
      }
    }

    Result second = ParigotCli.run(dir, LIMIT, "up", "deploy.yaml");
    assertEquals(0, second.exitCode(), second.output());
    assertTrue(second.output().lines().anyMatch(l -> l.startsWith("greeting")
        && l.contains("Opened archive") && l.contains("cds/greeting-")),
        "greeting did not start from its archive:\n" + second.output());
    second.assertPrinted("bonjour, world");
    ParigotCli.assertNoJvmLeft(JAR, GRACE);
  }

  @Test
  void aServiceThatThrowsAtStartEndsTheDeploymentWithItsCause(@TempDir Path dir) throws Exception {
    write(dir, """
        name: throwing
        services:
          greeting:
            classpath: [%s, %s]
            main: example.helloworld.fixtures.ThrowingGreeting
          hello:
            classpath: [%s]
            main: example.helloworld.Hello
            program: true
        """.formatted(TEST_CLASSES, JAR, JAR));

    Result run = ParigotCli.run(dir, LIMIT, "up", "deploy.yaml");

    assertEquals(1, run.exitCode(), run.output());
    run.assertPrinted("service \"greeting\" failed to start");
    run.assertPrinted("the greeting table is corrupt");
    ParigotCli.assertNoJvmLeft(JAR, GRACE);
  }

  @Test
  void aRequirementNobodyExportsEndsTheDeploymentNamingIt(@TempDir Path dir) throws Exception {
    write(dir, """
        name: lonely
        services:
          greeting:
            classpath: [%s]
            main: example.helloworld.GreetingService
          lonely:
            classpath: [%s, %s]
            main: example.helloworld.fixtures.LonelyHello
            program: true
        """.formatted(JAR, TEST_CLASSES, JAR));

    Result run = ParigotCli.run(dir, LIMIT, "up", "deploy.yaml");

    assertEquals(1, run.exitCode(), run.output());
    run.assertPrinted("requires farewell.v1.Farewell, but no service in this deployment exports it");
    run.assertPrinted("program \"lonely\" exited with code 1");
    ParigotCli.assertNoJvmLeft(JAR, GRACE);
  }

  @Test
  void aMissingJarIsABadInputErrorAndStartsNothing(@TempDir Path dir) throws Exception {
    write(dir, """
        name: missing
        services:
          greeting:
            classpath: [no/such/greeting.jar]
            main: example.helloworld.GreetingService
        """);

    Result run = ParigotCli.run(dir, LIMIT, "up", "deploy.yaml");

    assertEquals(2, run.exitCode(), run.output());
    run.assertPrinted("deploy.yaml:4:");
    run.assertPrinted("no/such/greeting.jar");
    run.assertPrinted("nothing was started");
  }

  @Test
  void aMissingMainClassIsABadInputError(@TempDir Path dir) throws Exception {
    write(dir, """
        name: noclass
        services:
          greeting:
            classpath: [%s]
            main: example.helloworld.NoSuchGreeting
        """.formatted(JAR));

    Result run = ParigotCli.run(dir, LIMIT, "up", "deploy.yaml");

    assertEquals(2, run.exitCode(), run.output());
    run.assertPrinted("example.helloworld.NoSuchGreeting");
    run.assertPrinted("nothing was started");
  }

  private static void write(Path dir, String yaml) throws IOException {
    Files.writeString(dir.resolve("deploy.yaml"), yaml);
  }
}
