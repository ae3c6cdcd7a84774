package io.parigot.orchestrator.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import io.parigot.control.v1.Endpoint;
import io.parigot.control.v1.ServiceStatus;
import io.parigot.control.v1.StatusResponse;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

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
}
