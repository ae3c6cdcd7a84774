package example.reports;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.parigot.it.ParigotCli;
import io.parigot.it.ParigotCli.Result;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The 50 ms budget under the real {@code parigot up}: a wedged method is killed and its service
 * restarted, a slow answer is an overrun, long work goes through an operation, honest methods
 * are never punished, and an overloaded service sheds late calls without being killed.
 */
class BudgetIT {
  static final Path EXAMPLE = Path.of("").toAbsolutePath();
  static final String JAR = EXAMPLE.resolve("target/reports.jar").toString();
  private static final Duration LIMIT = Duration.ofSeconds(120);
  private static final ObjectMapper JSON = new ObjectMapper();
  /**
   * How soon a caller hears the budget error of a method that takes 200 ms: well before the
   * method's end, so the budget ended the call. How soon exactly is a figure of bench/run
   * (expiry to the caller's error, p50 and p99); one call on a loaded 2-core machine took 62 ms.
   */
  private static final int HEARD_WITHIN_MILLIS = 100;

  @TempDir
  Path dir;

  @AfterEach
  void down() throws Exception {
    ParigotCli.run(dir, LIMIT, "down");
    ParigotCli.assertNoJvmLeft(JAR, Duration.ofSeconds(10));
  }

  @Test
  void aMethodThatSleepsOnItsLoopIsKilledAndItsServiceRestarted() throws Exception {
    String log = scenario("block");

    Matcher failed = Pattern.compile("block: failed with the budget error \\((.*)\\) after (\\d+) ms")
        .matcher(log);
    assertTrue(failed.find(), log);
    assertTrue(failed.group(1).contains("budget exceeded: reports.v1.Reports/Block"), log);
    assertTrue(Integer.parseInt(failed.group(2)) <= HEARD_WITHIN_MILLIS,
        "the caller heard after " + failed.group(2) + " ms, not long after the 50 ms budget");
    assertTrue(log.contains("block: the service answers again"), log);

    JsonNode reports = service("reports");
    assertEquals(1, reports.get("budget_kills").asInt(), reports.toString());
    assertEquals(1, reports.get("restarts").asInt(), reports.toString());
    String orchestrator = Files.readString(dir.resolve(".parigot/orchestrator.log"));
    assertTrue(orchestrator.contains("service \"reports\": method Block ran past its 50 ms budget"),
        orchestrator);
    assertTrue(orchestrator.contains("It was at: java.lang.Thread.sleep(Native Method)"),
        orchestrator);
    assertTrue(orchestrator.contains("at example.reports.ReportsService.block(ReportsService.java:"),
        orchestrator);
  }

  @Test
  void anAnswerThatWaitsOnASlowServiceIsAnOverrunNotAKill() throws Exception {
    String log = scenario("await-slow");

    Matcher failed = Pattern.compile("await-slow: failed with the budget error .* after (\\d+) ms")
        .matcher(log);
    assertTrue(failed.find(), log);
    assertTrue(Integer.parseInt(failed.group(1)) <= HEARD_WITHIN_MILLIS, log);
    assertTrue(log.contains("await-slow: next call succeeded"), log);
    JsonNode reports = service("reports");
    assertEquals(0, reports.get("budget_kills").asInt(), reports.toString());
    assertEquals(0, reports.get("restarts").asInt(), reports.toString());
    assertTrue(ParigotCli.waitFor(Duration.ofSeconds(5),
        () -> service("reports").get("overruns").asInt() == 1), () -> service("reports").toString());
  }

  @Test
  void aTwoSecondJobRunsAsAnOperation() throws Exception {
    write("[report, Q3, 2000]");
    Result up = ParigotCli.run(dir, LIMIT, "up", "deploy.yaml");

    assertEquals(0, up.exitCode(), up.output());
    assertTrue(up.output().lines().anyMatch(l -> l.matches("caller +\\| report \"Q3\" ready: 21 pages in \\d+ ms")),
        up.output());
    assertTrue(!up.output().contains("budget exceeded") && !up.output().contains("budget kill"),
        up.output());
  }

  /**
   * A method well within its budget (20 ms of the 50) is never killed, and fails its caller
   * only when the machine stalls past what the budget leaves. The budget is wall-clock time: on
   * this 2-core machine, busy with the build, a stall of 30 ms or more while a call is on its
   * way happened in fresh clones' CI runs about once in a few thousand calls (1 of 1,000 20 ms
   * calls, 14 of 10,000 1 ms calls from 16 callers). Such a call fails with the budget error,
   * as the caller gave up on it; it is never a kill, nor an error of another kind. So this
   * allows a handful, and no more: a watchdog that punished honest methods, or a loop slower
   * than it should be, fails hundreds or all of them.
   */
  @Test
  void honestMethodsAreNeverPunished() throws Exception {
    String log = scenario("steady");

    int slow = failed(log, "steady: 1000 sequential calls of 20 ms: (\\d+) failed");
    int fast = failed(log, "steady: 10000 calls of 1 ms from 8 callers: (\\d+) failed");
    assertTrue(slow <= 3 && fast <= 10, "more than a stall's worth of failed calls: " + log);
    assertTrue(!log.contains("failed otherwise"), log);
    JsonNode reports = service("reports");
    assertEquals(0, reports.get("budget_kills").asInt(), reports.toString());
    assertEquals(0, reports.get("restarts").asInt(), reports.toString());
    // the service judges a call an overrun only when it saw the budget pass
    assertTrue(reports.get("overruns").asInt() <= slow + fast, reports.toString());
  }

  private static int failed(String log, String pattern) {
    Matcher count = Pattern.compile(pattern).matcher(log);
    assertTrue(count.find(), log);
    return Integer.parseInt(count.group(1));
  }

  @Test
  void anOverloadedServiceShedsLateCallsAsOverrunsAndIsNotKilled() throws Exception {
    String log = scenario("overload");

    Matcher shed = Pattern.compile("overload: 160 calls of 30 ms from 16 callers: (\\d+) failed")
        .matcher(log);
    assertTrue(shed.find(), log);
    int failed = Integer.parseInt(shed.group(1));
    assertTrue(failed > 0, "16 callers of a 30 ms method must overload one loop: " + log);
    assertTrue(!log.contains("a call failed otherwise"), log);
    JsonNode reports = service("reports");
    assertEquals(0, reports.get("budget_kills").asInt(), reports.toString());
    assertEquals(0, reports.get("restarts").asInt(), reports.toString());
    // a call the caller gave up on before it even reached the service is no overrun of it
    assertTrue(ParigotCli.waitFor(Duration.ofSeconds(5), () -> {
      int overruns = service("reports").get("overruns").asInt();
      return overruns > failed / 2 && overruns <= failed;
    }), () -> "overruns should count the " + failed + " failed calls: " + service("reports"));
  }

  /** Runs the caller's scenario detached; returns its output once it printed DONE. */
  private String scenario(String name) throws Exception {
    write("[" + name + "]");
    Result up = ParigotCli.run(dir, LIMIT, "up", "-d", "deploy.yaml");
    assertEquals(0, up.exitCode(), up.output());
    Path log = dir.resolve(".parigot/logs/caller.log");
    assertTrue(ParigotCli.waitFor(Duration.ofSeconds(90), () -> read(log).contains("DONE")),
        () -> "the caller did not finish; it printed:\n" + read(log));
    return read(log);
  }

  private void write(String callerArgs) throws Exception {
    Files.writeString(dir.resolve("deploy.yaml"), """
        name: budget
        services:
          caller:
            classpath: [%1$s]
            main: example.reports.Caller
            args: %2$s
            program: true
          reports:
            classpath: [%1$s]
            main: example.reports.ReportsService
          slow:
            classpath: [%1$s]
            main: example.reports.SlowService
            budget: 1s
        """.formatted(JAR, callerArgs));
  }

  private JsonNode service(String name) {
    try {
      Result ps = ParigotCli.run(dir, LIMIT, "ps", "--json");
      assertEquals(0, ps.exitCode(), ps.output());
      for (JsonNode s : JSON.readTree(ps.output()).get("services")) {
        if (s.get("name").asText().equals(name)) {
          return s;
        }
      }
      throw new AssertionError("no service " + name + " in " + ps.output());
    } catch (Exception e) {
      throw new AssertionError(e);
    }
  }

  private static String read(Path file) {
    try {
      return Files.exists(file) ? Files.readString(file) : "";
    } catch (Exception e) {
      return "";
    }
  }
}
