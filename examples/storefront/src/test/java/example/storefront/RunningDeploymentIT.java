package example.storefront;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.grpc.ClientInterceptors;
import io.grpc.ManagedChannel;
import io.grpc.Metadata;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import io.grpc.stub.MetadataUtils;
import io.parigot.control.RegistryConnection;
import io.parigot.control.v1.ControlGrpc;
import io.parigot.control.v1.LocateRequest;
import io.parigot.control.v1.RegisterRequest;
import io.parigot.control.v1.RegistryCall;
import io.parigot.control.v1.StatusRequest;
import io.parigot.it.ParigotCli;
import io.parigot.it.ParigotCli.Result;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A storefront left running with {@code parigot up -d}, whose shopper shops every 200 ms, driven
 * the way a user would: ps, kill, logs, down, and worse.
 */
class RunningDeploymentIT {
  private static final Duration LIMIT = Duration.ofSeconds(90);
  private static final ObjectMapper JSON = new ObjectMapper();

  @TempDir
  Path dir;

  @BeforeEach
  void startDetached() throws Exception {
    StorefrontIT.writeShopping(dir, "running");
    Result up = ParigotCli.run(dir, LIMIT, "up", "-d", "deploy.yaml");
    assertEquals(0, up.exitCode(), up.output());
    up.assertPrinted("deployment \"running\" is ready");
  }

  @AfterEach
  void stopEverything() throws Exception {
    ParigotCli.run(dir, LIMIT, "down");
    ParigotCli.assertNoJvmLeft(dir.toString(), Duration.ofSeconds(10));
    ParigotCli.assertNoJvmLeft(StorefrontIT.JAR, Duration.ofSeconds(10));
  }

  @Test
  void aKilledServiceIsRestartedAndItsCallersRecover() throws Exception {
    JsonNode before = ps();
    assertEquals(5, before.get("services").size());
    before.get("services").forEach(s -> assertEquals("ready", s.get("state").asText(), s.toString()));
    long storePid = service(before, "store").get("pid").asLong();

    Result kill = ParigotCli.run(dir, LIMIT, "kill", "store");
    assertEquals(0, kill.exitCode(), kill.output());

    assertTrue(ParigotCli.waitFor(Duration.ofSeconds(30), () -> {
      JsonNode store = service(ps(), "store");
      return store.get("state").asText().equals("ready") && store.get("restarts").asInt() == 1;
    }), () -> "store did not come back: " + ps());
    assertTrue(service(ps(), "store").get("pid").asLong() != storePid);
    // the shopper keeps shopping through frontend -> cart -> store: receipts come again
    long receiptsAtRestart = receipts();
    assertTrue(ParigotCli.waitFor(Duration.ofSeconds(20), () -> receipts() > receiptsAtRestart + 2),
        () -> "the shopper did not recover; its log:\n" + logs("shopper"));

    Result table = ParigotCli.run(dir, LIMIT, "ps");
    assertEquals(0, table.exitCode(), table.output());
    table.assertPrinted("NAME");
    // restarts 1, budget kills 0; overruns are not this test's: on a loaded machine the new
    // store's first calls, while the shopper hammers it, can run past their budget
    assertTrue(table.output().lines().anyMatch(l -> l.matches("store +ready +\\d+ +127\\.0\\.0\\.1:\\d+ .* 1 +0 +\\d+")),
        table.output());
  }

  /** A service stopped with SIGSTOP is shown suspended, and ready again once continued. */
  @Test
  void aServiceStoppedBySignalIsShownSuspendedUntilItContinues() throws Exception {
    Result stop = ParigotCli.run(dir, LIMIT, "kill", "--signal", "STOP", "catalog");
    assertEquals(0, stop.exitCode(), stop.output());
    stop.assertPrinted("sent SIGSTOP to service \"catalog\"");
    assertTrue(ParigotCli.waitFor(Duration.ofSeconds(10),
        () -> service(ps(), "catalog").get("state").asText().equals("suspended")), () -> "" + ps());
    Result table = ParigotCli.run(dir, LIMIT, "ps");
    assertTrue(table.output().lines().anyMatch(l -> l.matches("catalog +suspended +\\d+ .*")),
        table.output());
    assertEquals("ready", service(ps(), "store").get("state").asText());

    Result resume = ParigotCli.run(dir, LIMIT, "kill", "--signal", "CONT", "catalog");
    assertEquals(0, resume.exitCode(), resume.output());
    assertTrue(ParigotCli.waitFor(Duration.ofSeconds(10),
        () -> service(ps(), "catalog").get("state").asText().equals("ready")), () -> "" + ps());
    assertEquals(0, service(ps(), "catalog").get("restarts").asInt());
  }

  /**
   * restart stops a service and starts it again, and returns once it is ready: a new JVM, not
   * counted as a restart of its policy, and its callers go on. The program is not restarted.
   */
  @Test
  void restartStartsAServiceAgainAndReturnsOnceItIsReady() throws Exception {
    long before = service(ps(), "catalog").get("pid").asLong();

    Result restart = ParigotCli.run(dir, LIMIT, "restart", "catalog");

    assertEquals(0, restart.exitCode(), restart.output());
    restart.assertPrinted("restarting service \"catalog\" (pid " + before + ")");
    JsonNode catalog = service(ps(), "catalog");
    assertEquals("ready", catalog.get("state").asText(), catalog.toString());
    assertTrue(catalog.get("pid").asLong() != before, catalog.toString());
    restart.assertPrinted("service \"catalog\" is ready (pid " + catalog.get("pid").asLong()
        + ")");
    assertEquals(0, catalog.get("restarts").asInt(), catalog.toString());
    long receipts = receipts();
    assertTrue(ParigotCli.waitFor(Duration.ofSeconds(20), () -> receipts() > receipts + 2),
        () -> "the shopper did not go on; its log:\n" + logs("shopper"));

    Result program = ParigotCli.run(dir, LIMIT, "restart", "shopper");
    assertEquals(1, program.exitCode(), program.output());
    program.assertPrinted("\"shopper\" is the program: its end ends the deployment, so it is "
        + "not restarted");
  }

  /**
   * stop stops a service and keeps it stopped, whatever its restart policy, while the deployment
   * goes on without it; start starts it again and returns once it is ready: a new JVM, not a
   * restart of its policy, and its callers go on. The program is refused both.
   */
  @Test
  void stopKeepsAServiceStoppedUntilStartStartsItAgain() throws Exception {
    long before = service(ps(), "catalog").get("pid").asLong();

    Result stop = ParigotCli.run(dir, LIMIT, "stop", "catalog");

    assertEquals(0, stop.exitCode(), stop.output());
    stop.assertPrinted("stopped service \"catalog\" (pid " + before + ")");
    JsonNode stopped = service(ps(), "catalog");
    assertEquals("stopped", stopped.get("state").asText(), stopped.toString());
    assertTrue(stopped.get("pid").isNull(), stopped.toString());
    assertFalse(ProcessHandle.of(before).map(ProcessHandle::isAlive).orElse(false),
        "its JVM is gone");
    // its policy (on-failure, a first backoff of 100 ms) does not start it again
    assertFalse(ParigotCli.waitFor(Duration.ofSeconds(2),
        () -> !service(ps(), "catalog").get("state").asText().equals("stopped")), () -> "" + ps());
    Result table = ParigotCli.run(dir, LIMIT, "ps", "catalog");
    assertTrue(table.output().lines().anyMatch(l -> l.matches("catalog +stopped +- +- +- .*")),
        table.output());
    // the frontend cannot reach it meanwhile: the shopper's shopping fails
    assertTrue(ParigotCli.waitFor(Duration.ofSeconds(10),
        () -> logs("shopper").contains("shopping failed")), () -> logs("shopper"));
    Result again = ParigotCli.run(dir, LIMIT, "stop", "catalog");
    assertEquals(0, again.exitCode(), again.output());
    again.assertPrinted("service \"catalog\" is not running (stopped)");

    Result start = ParigotCli.run(dir, LIMIT, "start", "catalog");

    assertEquals(0, start.exitCode(), start.output());
    start.assertPrinted("starting service \"catalog\"");
    JsonNode catalog = service(ps(), "catalog");
    assertEquals("ready", catalog.get("state").asText(), catalog.toString());
    long pid = catalog.get("pid").asLong();
    assertTrue(pid != before, catalog.toString());
    start.assertPrinted("service \"catalog\" is ready (pid " + pid + ")");
    assertEquals(0, catalog.get("restarts").asInt(), catalog.toString());
    long receipts = receipts();
    assertTrue(ParigotCli.waitFor(Duration.ofSeconds(30), () -> receipts() > receipts + 2),
        () -> "the shopper did not go on; its log:\n" + logs("shopper"));
    Result running = ParigotCli.run(dir, LIMIT, "start", "catalog");
    assertEquals(0, running.exitCode(), running.output());
    running.assertPrinted("service \"catalog\" is running already (pid " + pid + ")");

    Result program = ParigotCli.run(dir, LIMIT, "stop", "shopper");
    assertEquals(1, program.exitCode(), program.output());
    program.assertPrinted("\"shopper\" is the program: its end ends the deployment, so it is "
        + "not stopped alone; stop the deployment with parigot down");
    Result unknown = ParigotCli.run(dir, LIMIT, "start", "nope", "catalog", "gone");
    assertEquals(2, unknown.exitCode(), unknown.output());
    unknown.assertPrinted("no services \"nope\" and \"gone\" in deployment \"running\"");
  }

  /** The program, killed by its signal's number, is said to be the program: its end ends all. */
  @Test
  void killingTheProgramEndsTheDeployment() throws Exception {
    long orchestrator = ps().get("orchestrator_pid").asLong();
    Result kill = ParigotCli.run(dir, LIMIT, "kill", "--signal", "15", "shopper");
    assertEquals(0, kill.exitCode(), kill.output());
    kill.assertPrinted("sent SIGTERM to program \"shopper\"");

    assertTrue(ParigotCli.waitFor(Duration.ofSeconds(30), () -> !ParigotCli.runs(orchestrator)),
        "the deployment runs on after its program was killed");
    ParigotCli.assertNoJvmLeft(StorefrontIT.JAR, Duration.ofSeconds(10));
    String log = Files.readString(dir.resolve(".parigot/orchestrator.log"));
    assertTrue(log.contains("sent SIGTERM to program \"shopper\" (pid "), log);
  }

  @Test
  void logsShowEachServicesOutputAndDownStopsEverything() throws Exception {
    assertTrue(ParigotCli.waitFor(Duration.ofSeconds(20), () -> receipts() >= 2));
    Result logs = ParigotCli.run(dir, LIMIT, "logs", "shopper");
    assertEquals(0, logs.exitCode(), logs.output());
    logs.assertPrinted("receipt: tea x1, cup x1, total 12.50");

    Result all = ParigotCli.run(dir, LIMIT, "logs");
    assertTrue(all.output().lines().anyMatch(l -> l.matches("shopper +\\| receipt: .*")), all.output());

    long orchestrator = ps().get("orchestrator_pid").asLong();
    Result down = ParigotCli.run(dir, LIMIT, "down");
    assertEquals(0, down.exitCode(), down.output());
    down.assertPrinted("deployment \"running\" is down");
    // down does not wait for the orchestrator to be reaped, which is its parent's to do
    assertFalse(ParigotCli.runs(orchestrator), "the orchestrator runs after down returned");
    ParigotCli.assertNoJvmLeft(StorefrontIT.JAR, Duration.ofSeconds(1));

    Result ps = ParigotCli.run(dir, LIMIT, "ps");
    assertEquals(1, ps.exitCode(), ps.output());
    ps.assertPrinted("no deployment is running");
  }

  /**
   * ps and logs given NAMEs, as docker compose's: those services only, ps in the deployment's
   * order, logs merged in the order the lines arrived; an unknown NAME is said, with the
   * others, and nothing else.
   */
  @Test
  void psAndLogsOfNamedServicesShowThoseOnly() throws Exception {
    Result table = ParigotCli.run(dir, LIMIT, "ps", "store", "cart");
    assertEquals(0, table.exitCode(), table.output());
    List<String> rows = table.output().lines().toList();
    assertEquals(3, rows.size(), table.output());
    assertTrue(rows.get(0).startsWith("NAME "), table.output());
    assertTrue(rows.get(1).matches("cart +ready +\\d+ +127\\.0\\.0\\.1:\\d+ .*"), table.output());
    assertTrue(rows.get(2).matches("store +ready +\\d+ +127\\.0\\.0\\.1:\\d+ .*"), table.output());

    Result json = ParigotCli.run(dir, LIMIT, "ps", "--json", "cart");
    assertEquals(0, json.exitCode(), json.output());
    JsonNode services = JSON.readTree(json.output()).get("services");
    assertEquals(1, services.size(), json.output());
    assertEquals("cart", services.get(0).get("name").asText());
    assertEquals("ready", services.get(0).get("state").asText());

    // a second service that prints: catalog's thread dump, beside the shopper's receipts
    assertEquals(0, ParigotCli.run(dir, LIMIT, "kill", "--signal", "QUIT", "catalog").exitCode());
    assertTrue(ParigotCli.waitFor(Duration.ofSeconds(20),
        () -> logs("catalog").contains("Full thread dump") && receipts() >= 1),
        () -> "no thread dump in catalog's log:\n" + logs("catalog"));
    Result logs = ParigotCli.run(dir, LIMIT, "logs", "catalog", "shopper");
    assertEquals(0, logs.exitCode(), logs.output());
    List<String> lines = logs.output().lines().toList();
    assertTrue(lines.stream()
        .allMatch(l -> l.startsWith("catalog | ") || l.startsWith("shopper | ")), logs.output());
    assertTrue(lines.stream().anyMatch(l -> l.startsWith("catalog | Full thread dump ")),
        logs.output());
    assertTrue(lines.stream().anyMatch(l -> l.startsWith("shopper | receipt: ")), logs.output());
    // merged in the order the lines arrived, as docker compose's: with -t, times never go back
    Result timed = ParigotCli.run(dir, LIMIT, "logs", "-t", "catalog", "shopper");
    assertEquals(0, timed.exitCode(), timed.output());
    List<String> stamps = timed.output().lines().map(l -> l.substring(10, 34)).toList();
    assertTrue(stamps.stream().allMatch(t -> t.matches("\\d{4}-\\d\\d-\\d\\dT.*\\.\\d{3}Z")),
        timed.output());
    assertEquals(stamps.stream().sorted().toList(), stamps, timed.output());

    Result unknownPs = ParigotCli.run(dir, LIMIT, "ps", "cart", "nope", "gone");
    assertEquals(2, unknownPs.exitCode(), unknownPs.output());
    assertEquals("parigot: no services \"nope\" and \"gone\" in deployment \"running\" (services: "
        + "shopper, frontend, cart, catalog, store)\n", unknownPs.output());
    Result unknownLogs = ParigotCli.run(dir, LIMIT, "logs", "cart", "nope");
    assertEquals(2, unknownLogs.exitCode(), unknownLogs.output());
    assertEquals("parigot: no log for service \"nope\" in " + dir.resolve(".parigot/logs")
        + "; the deployment's services are shopper, frontend, cart, catalog, store\n",
        unknownLogs.output());
    // a slip of a service's name is told the service, as up tells it
    for (String[] verb : new String[][] {{"ps", "stroe"}, {"kill", "stroe"},
        {"restart", "stroe"}, {"stop", "stroe"}, {"start", "stroe"}}) {
      Result slip = ParigotCli.run(dir, LIMIT, verb);
      assertEquals(2, slip.exitCode(), verb[0] + ": " + slip.output());
      slip.assertPrinted("parigot: no service \"stroe\" (did you mean store?) in deployment "
          + "\"running\" (services: shopper, frontend, cart, catalog, store)");
    }
    Result slipLogs = ParigotCli.run(dir, LIMIT, "logs", "crat", "store");
    assertEquals(2, slipLogs.exitCode(), slipLogs.output());
    slipLogs.assertPrinted("parigot: no log for service \"crat\" (did you mean cart?) in ");
  }

  /**
   * {@code parigot logs -f | head -1}: once its reader has gone, {@code logs -f} ends at its next
   * line, as {@code tail -f} does, rather than follow a running deployment for no one.
   */
  @Test
  void logsFollowEndsWhenItsReaderHasGone() throws Exception {
    Process follow = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java")
        .toString(), "-jar", ParigotCli.jar().toString(), "logs", "-f", "--tail", "1", "shopper")
        .directory(dir.toFile())
        .redirectError(ProcessBuilder.Redirect.DISCARD)
        .start();
    try {
      byte[] first = new byte[8];
      assertEquals(first.length, follow.getInputStream().readNBytes(first, 0, first.length));
      follow.getInputStream().close(); // as head does once it has its line

      // the shopper prints a receipt every 200 ms
      assertTrue(follow.waitFor(10, TimeUnit.SECONDS), "logs -f still runs with no one reading");
      assertEquals(0, follow.exitValue());
      assertEquals("ready", service(ps(), "shopper").get("state").asText());
    } finally {
      ParigotCli.killTree(follow.toHandle());
    }
  }

  /** An orchestrator that does not answer (stopped with SIGSTOP) is said to, in parigot's words. */
  @Test
  void anOrchestratorThatDoesNotAnswerIsSaidNotToInGrpcsWords() throws Exception {
    String orchestrator = ps().get("orchestrator_pid").asText();
    new ProcessBuilder("kill", "-STOP", orchestrator).inheritIO().start().waitFor();
    try {
      Result ps = ParigotCli.run(dir, LIMIT, "ps");

      assertEquals(1, ps.exitCode(), ps.output());
      ps.assertPrinted("parigot: the orchestrator did not answer within 10 s: it runs, but is "
          + "stopped (SIGSTOP) or starved of CPU. Try again; its pid is in "
          + ".parigot/control.json.");
      assertFalse(ps.output().contains("CallOptions") || ps.output().contains("nanos"),
          ps.output());
      // from another directory, where the pid is is said as it is found from there
      Path name = dir.getFileName();
      Result far = ParigotCli.run(dir.getParent(), LIMIT, "ps", "--file", name.toString());
      assertEquals(1, far.exitCode(), far.output());
      far.assertPrinted("Try again; its pid is in " + name.resolve(".parigot/control.json")
          + ".");
    } finally {
      new ProcessBuilder("kill", "-CONT", orchestrator).inheritIO().start().waitFor();
    }
  }

  @Test
  void whenTheOrchestratorIsKilledEveryServiceExitsWithinTwoSeconds() throws Exception {
    long orchestrator = ps().get("orchestrator_pid").asLong();
    assertEquals(5, ParigotCli.jvmsMentioning(StorefrontIT.JAR).size());

    ProcessHandle.of(orchestrator).orElseThrow().destroyForcibly();

    ParigotCli.assertNoJvmLeft(StorefrontIT.JAR, Duration.ofSeconds(2));
  }

  /**
   * A JVM stopped by SIGSTOP cannot see its stdin end: the kernel kills it with its orchestrator
   * (setpriv's parent-death signal), or it would stay, stopped, until something continued it.
   */
  @Test
  void aSuspendedServiceDoesNotOutliveItsKilledOrchestrator() throws Exception {
    Result stop = ParigotCli.run(dir, LIMIT, "kill", "--signal", "STOP", "catalog");
    assertEquals(0, stop.exitCode(), stop.output());
    assertTrue(ParigotCli.waitFor(Duration.ofSeconds(10),
        () -> service(ps(), "catalog").get("state").asText().equals("suspended")), () -> "" + ps());
    long catalog = service(ps(), "catalog").get("pid").asLong();
    long orchestrator = ps().get("orchestrator_pid").asLong();
    try {
      ProcessHandle.of(orchestrator).orElseThrow().destroyForcibly();

      ParigotCli.assertNoJvmLeft(StorefrontIT.JAR, Duration.ofSeconds(2));
    } finally {
      // failed or not, nothing of it is left stopped for the next test to trip on
      ProcessHandle.of(catalog).ifPresent(ProcessHandle::destroyForcibly);
    }
  }

  @Test
  void theControlPlaneRefusesCallersWithoutTheRightToken() throws Exception {
    Path control = dir.resolve(".parigot/control.json");
    assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(control)));
    JsonNode claimed = JSON.readTree(control.toFile());

    // the registry, where service JVMs register: a forged token, and none at all
    try (RegistryConnection forged = RegistryConnection.open(
        "127.0.0.1:" + claimed.get("registry_port").asInt(), "forged")) {
      assertRefused(forged.call(RegistryCall.newBuilder().setRegister(
          RegisterRequest.newBuilder().addExports("storefront.v1.Store"))));
    }
    try (RegistryConnection none = RegistryConnection.open(
        "127.0.0.1:" + claimed.get("registry_port").asInt(), "")) {
      assertRefused(none.call(RegistryCall.newBuilder().setLocate(
          LocateRequest.newBuilder().setInterfaceName("storefront.v1.Store"))));
    }

    // the CLI's Control service
    ManagedChannel channel = NettyChannelBuilder.forAddress("127.0.0.1",
        claimed.get("port").asInt()).usePlaintext().build();
    try {
      Metadata forged = new Metadata();
      forged.put(Metadata.Key.of("parigot-token", Metadata.ASCII_STRING_MARSHALLER), "forged");
      var withForged = ClientInterceptors.intercept(channel,
          MetadataUtils.newAttachHeadersInterceptor(forged));
      StatusRuntimeException status = assertThrows(StatusRuntimeException.class, () ->
          ControlGrpc.newBlockingStub(withForged).withDeadlineAfter(5, TimeUnit.SECONDS)
              .status(StatusRequest.getDefaultInstance()));
      assertEquals(Status.Code.PERMISSION_DENIED, status.getStatus().getCode());
    } finally {
      channel.shutdownNow();
    }
    // and the deployment is unharmed
    assertEquals("ready", service(ps(), "store").get("state").asText());
  }

  private static void assertRefused(java.util.concurrent.CompletableFuture<?> call) {
    ExecutionException refused = assertThrows(ExecutionException.class,
        () -> call.get(5, TimeUnit.SECONDS));
    assertEquals(Status.Code.PERMISSION_DENIED, Status.fromThrowable(refused.getCause()).getCode(),
        String.valueOf(refused.getCause()));
  }

  private JsonNode ps() {
    try {
      Result ps = ParigotCli.run(dir, LIMIT, "ps", "--json");
      assertEquals(0, ps.exitCode(), ps.output());
      return JSON.readTree(ps.output());
    } catch (Exception e) {
      throw new AssertionError(e);
    }
  }

  private static JsonNode service(JsonNode ps, String name) {
    for (JsonNode service : ps.get("services")) {
      if (service.get("name").asText().equals(name)) {
        return service;
      }
    }
    throw new AssertionError("no service " + name + " in " + ps);
  }

  private String logs(String service) {
    try {
      return Files.readString(dir.resolve(".parigot/logs/" + service + ".log"));
    } catch (Exception e) {
      return "";
    }
  }

  private long receipts() {
    return logs("shopper").lines().filter(l -> l.startsWith("receipt:")).count();
  }
}
