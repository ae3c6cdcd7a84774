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
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Stopping what does not stop by itself: a service JVM suspended by SIGSTOP (a {@code kill -STOP},
 * a {@code parigot kill --signal STOP}).
 */
class StoppingIT {
  private static final Duration LIMIT = Duration.ofSeconds(90);
  private static final Duration GRACE = Duration.ofSeconds(5);
  /** The services' stop_grace_period: what a suspended JVM would sit out before its SIGKILL. */
  private static final Duration LONG_GRACE = Duration.ofSeconds(30);
  private static final Path EXAMPLE = Path.of("").toAbsolutePath();
  private static final String JAR = EXAMPLE.resolve("target/helloworld.jar").toString();

  @TempDir
  Path dir;

  @AfterEach
  void stopEverything() throws Exception {
    ParigotCli.run(dir, LIMIT, "down");
    ParigotCli.assertNoJvmLeft(dir.toString(), GRACE);
    ParigotCli.assertNoJvmLeft(JAR, GRACE);
  }

  /** down sends a suspended JVM SIGCONT after its SIGTERM: it runs its exit hooks, and ends. */
  @Test
  void downStopsASuspendedServiceAtOnceWithItsExitHooks() throws Exception {
    upDetachedWithGreetingSuspended();

    Result down = ParigotCli.run(dir, LIMIT, "down");

    assertEquals(0, down.exitCode(), down.output());
    down.assertPrinted("deployment \"greeter\" is down");
    assertTrue(down.took().compareTo(LONG_GRACE) < 0, "down took " + down.took());
    assertTrue(log().contains("greeting: stopping after 0 greetings"), log());
  }

  @Test
  void stopAndRestartOfASuspendedServiceDoNotWaitOutItsGracePeriod() throws Exception {
    upDetachedWithGreetingSuspended();

    Result stop = ParigotCli.run(dir, LIMIT, "stop", "greeting");

    assertEquals(0, stop.exitCode(), stop.output());
    stop.assertPrinted("stopped service \"greeting\"");
    assertTrue(stop.took().compareTo(LONG_GRACE) < 0, "stop took " + stop.took());
    assertEquals(0, ParigotCli.run(dir, LIMIT, "start", "greeting").exitCode());
    suspend("greeting");

    Result restart = ParigotCli.run(dir, LIMIT, "restart", "greeting");

    assertEquals(0, restart.exitCode(), restart.output());
    restart.assertPrinted("service \"greeting\" is ready");
    assertTrue(restart.took().compareTo(LONG_GRACE) < 0, "restart took " + restart.took());
  }

  /** up -d of greeting alone with a long grace period, then greeting suspended. */
  private void upDetachedWithGreetingSuspended() throws Exception {
    Files.writeString(dir.resolve("deploy.yaml"), """
        name: greeter
        services:
          greeting:
            classpath: [%s]
            main: example.helloworld.GreetingService
            stop_grace_period: %ds
        """.formatted(JAR, LONG_GRACE.toSeconds()));
    Result up = ParigotCli.run(dir, LIMIT, "up", "-d", "deploy.yaml");
    assertEquals(0, up.exitCode(), up.output());
    suspend("greeting");
  }

  private void suspend(String service) throws Exception {
    Result stop = ParigotCli.run(dir, LIMIT, "kill", "--signal", "STOP", service);
    assertEquals(0, stop.exitCode(), stop.output());
    assertTrue(ParigotCli.waitFor(LIMIT, () -> psState(service).equals("suspended")),
        () -> psState(service));
  }

  private String psState(String service) {
    try {
      Result ps = ParigotCli.run(dir, LIMIT, "ps", "--json", service);
      Matcher state = Pattern.compile("\"state\" *: *\"([^\"]*)\"").matcher(ps.output());
      return state.find() ? state.group(1) : ps.output();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError(e);
    }
  }

  private String log() throws IOException {
    return Files.readString(dir.resolve(".parigot/logs/greeting.log"));
  }
}
