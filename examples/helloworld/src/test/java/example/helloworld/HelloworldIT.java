package example.helloworld;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** helloworld under the real {@code parigot up}, and the ways a bad deployment must fail. */
class HelloworldIT {
  private static final Duration LIMIT = Duration.ofSeconds(60);
  private static final String JAR = EXAMPLE_JAR();

  private static String EXAMPLE_JAR() {
    return ParigotRun.EXAMPLE.resolve("target/helloworld.jar").toString();
  }

  @Test
  void helloPrintsBonjourWorldAndExitsZero() throws Exception {
    ParigotRun run = ParigotRun.run(ParigotRun.EXAMPLE, LIMIT, "up", "deploy.yaml");

    assertEquals(0, run.exitCode, run.output);
    assertTrue(run.output.lines().anyMatch(l -> l.matches("hello +\\| bonjour, world")),
        "expected the line 'hello   | bonjour, world' in:\n" + run.output);
    run.assertPrinted("deployment \"helloworld\" is ready");
    ParigotRun.assertNoJvmLeft(JAR);
  }

  @Test
  void aServiceThatThrowsAtStartEndsTheDeploymentWithItsCause(@TempDir Path dir) throws Exception {
    Path deploy = write(dir, """
        name: throwing
        services:
          greeting:
            classpath: [%s, %s]
            main: example.helloworld.fixtures.ThrowingGreeting
          hello:
            classpath: [%s]
            main: example.helloworld.Hello
            program: true
        """.formatted(testClasses(), JAR, JAR));

    ParigotRun run = ParigotRun.run(dir, LIMIT, "up", deploy.toString());

    assertEquals(1, run.exitCode, run.output);
    run.assertPrinted("service \"greeting\" failed to start");
    run.assertPrinted("the greeting table is corrupt");
    ParigotRun.assertNoJvmLeft(JAR);
  }

  @Test
  void aRequirementNobodyExportsEndsTheDeploymentNamingIt(@TempDir Path dir) throws Exception {
    Path deploy = write(dir, """
        name: lonely
        services:
          greeting:
            classpath: [%s]
            main: example.helloworld.GreetingService
          lonely:
            classpath: [%s, %s]
            main: example.helloworld.fixtures.LonelyHello
            program: true
        """.formatted(JAR, testClasses(), JAR));

    ParigotRun run = ParigotRun.run(dir, LIMIT, "up", deploy.toString());

    assertEquals(1, run.exitCode, run.output);
    run.assertPrinted("requires farewell.v1.Farewell, but no service in this deployment exports it");
    run.assertPrinted("program \"lonely\" exited with code 1");
    ParigotRun.assertNoJvmLeft(JAR);
  }

  @Test
  void aMissingJarIsABadInputErrorAndStartsNothing(@TempDir Path dir) throws Exception {
    Path deploy = write(dir, """
        name: missing
        services:
          greeting:
            classpath: [no/such/greeting.jar]
            main: example.helloworld.GreetingService
        """);

    ParigotRun run = ParigotRun.run(dir, LIMIT, "up", deploy.toString());

    assertEquals(2, run.exitCode, run.output);
    run.assertPrinted("deploy.yaml:4:");
    run.assertPrinted("no/such/greeting.jar");
    run.assertPrinted("nothing was started");
  }

  @Test
  void aMissingMainClassIsABadInputError(@TempDir Path dir) throws Exception {
    Path deploy = write(dir, """
        name: noclass
        services:
          greeting:
            classpath: [%s]
            main: example.helloworld.NoSuchGreeting
        """.formatted(JAR));

    ParigotRun run = ParigotRun.run(dir, LIMIT, "up", deploy.toString());

    assertEquals(2, run.exitCode, run.output);
    run.assertPrinted("example.helloworld.NoSuchGreeting");
    ParigotRun.assertNoJvmLeft(JAR);
  }

  private static String testClasses() {
    return ParigotRun.EXAMPLE.resolve("target/test-classes").toString();
  }

  private static Path write(Path dir, String yaml) throws IOException {
    Path file = dir.resolve("deploy.yaml");
    Files.writeString(file, yaml);
    return file;
  }
}
