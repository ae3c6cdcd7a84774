package io.parigot.orchestrator.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.parigot.control.v1.Endpoint;
import io.parigot.control.v1.ServiceStatus;
import io.parigot.control.v1.StatusResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PsCommandTest {
  private static final long NOW = 1_000_000L;
  private static final StatusResponse STATUS = StatusResponse.newBuilder()
      .setDeployment("shop").setOrchestratorPid(42)
      .addServices(ServiceStatus.newBuilder().setName("store").setState("ready").setPid(101)
          .setEndpoint(Endpoint.newBuilder().setHost("127.0.0.1").setPort(4000))
          .setStartedAtMillis(NOW - 75_000).setRestarts(1))
      .addServices(ServiceStatus.newBuilder().setName("a-service-with-a-long-name")
          .setState("failed").setPid(0).setExitCode(3)
          .setEndpoint(Endpoint.newBuilder().setHost("127.0.0.1").setPort(4001)))
      .build();

  @Test
  void aServiceWithoutAProcessHasNoPidNoEndpointAndNoUptime() {
    List<String> lines = PsCommand.table(STATUS, NOW).lines().toList();
    assertEquals(List.of(
        "NAME                       STATE        PID      ENDPOINT              UPTIME   RESTARTS "
            + "BUDGET-KILLS OVERRUNS",
        "store                      ready        101      127.0.0.1:4000        1m15s    1        "
            + "0            0",
        "a-service-with-a-long-name failed (3)   -        -                     -        0        "
            + "0            0"), lines);
  }

  @Test
  void theJsonSaysNullWhereThereIsNothing() {
    Map<String, Object> document = PsCommand.document(STATUS, NOW);
    assertEquals("shop", document.get("deployment"));
    @SuppressWarnings("unchecked")
    List<Map<String, Object>> services = (List<Map<String, Object>>) document.get("services");
    assertEquals(101L, services.get(0).get("pid"));
    assertEquals("127.0.0.1:4000", services.get(0).get("endpoint"));
    assertEquals(75L, services.get(0).get("uptime_seconds"));
    assertNull(services.get(1).get("pid"));
    assertNull(services.get(1).get("endpoint"));
    assertNull(services.get(1).get("uptime_seconds")); // as the table's "-", not "up for 0 s"
    // a running service has no exit code yet; one that ended says how
    assertNull(services.get(0).get("exit_code"));
    assertEquals(3, services.get(1).get("exit_code"));
  }

  @Test
  void namedServicesAreListedAloneInTheDeploymentsOrder() {
    StatusResponse both = PsCommand.only(STATUS, List.of("a-service-with-a-long-name", "store"));
    assertEquals(List.of("store", "a-service-with-a-long-name"),
        both.getServicesList().stream().map(ServiceStatus::getName).toList());
    assertEquals("shop", both.getDeployment());

    List<String> lines = PsCommand.table(PsCommand.only(STATUS, List.of("store")), NOW).lines()
        .toList();
    assertEquals(2, lines.size(), String.join("\n", lines));
    assertTrue(lines.get(0).startsWith("NAME ") && lines.get(1).startsWith("store "), lines.get(1));
    @SuppressWarnings("unchecked")
    List<Map<String, Object>> services = (List<Map<String, Object>>) PsCommand.document(
        PsCommand.only(STATUS, List.of("a-service-with-a-long-name")), NOW).get("services");
    assertEquals(1, services.size());
    assertEquals("a-service-with-a-long-name", services.get(0).get("name"));

    assertEquals(STATUS, PsCommand.only(STATUS, List.of()));
  }

  @Test
  void unknownNamesAreSaidAllAtOnceWithTheServicesThereAre() {
    assertEquals(Optional.empty(), PsCommand.unknown(STATUS, List.of("store", "store")));
    assertEquals(Optional.of("no service \"nope\" in deployment \"shop\" (services: store, "
        + "a-service-with-a-long-name)"), PsCommand.unknown(STATUS, List.of("store", "nope")));
    assertEquals(Optional.of("no services \"nope\", \"gone\" and \"away\" in deployment \"shop\" "
        + "(services: store, a-service-with-a-long-name)"),
        PsCommand.unknown(STATUS, List.of("nope", "store", "gone", "nope", "away")));
  }

  @Test
  void aNameThatIsASlipOfAServicesIsToldThatService() {
    assertEquals(Optional.of("no service \"stroe\" (did you mean store?) in deployment \"shop\" "
        + "(services: store, a-service-with-a-long-name)"),
        PsCommand.unknown(STATUS, List.of("stroe")));
    assertEquals(Optional.of("no services \"nope\" and \"sotre\" (did you mean store?) in "
        + "deployment \"shop\" (services: store, a-service-with-a-long-name)"),
        PsCommand.unknown(STATUS, List.of("nope", "sotre")));
  }

  @Test
  void aServiceThatUpLeftOutIsSaidToBeLeftOutAsKillSaysIt() {
    StatusResponse partial = STATUS.toBuilder().addLeftOut("catalog").addLeftOut("frontend")
        .build();
    assertEquals(Optional.of("service \"catalog\" of deployment \"shop\" is not running: it "
        + "was left out, as up started only store, a-service-with-a-long-name (those named and "
        + "what they require); to run it too, stop the deployment and name it to parigot up"),
        PsCommand.unknown(partial, List.of("store", "catalog")));
    assertEquals(Optional.of("no service \"nope\" in deployment \"shop\"; services "
        + "\"catalog\" and \"frontend\" are not running: they were left out of this run; to "
        + "run them too, stop the deployment and name them to parigot up (services: store, "
        + "a-service-with-a-long-name)"),
        PsCommand.unknown(partial, List.of("catalog", "nope", "frontend")));
  }

  @Test
  void psTakesNamesOnItsCommandLine(@TempDir Path dir) throws Exception {
    // no deployment runs here: the NAMEs are taken, and ps says so
    Files.writeString(dir.resolve("deploy.yaml"), "name: shop\n");
    Cli.Said said = Cli.run("ps", "--file", dir.toString(), "store", "cart");
    assertEquals(1, said.code(), said.err());
    assertTrue(said.err().startsWith("parigot: no deployment is running for "), said.err());
  }
}
