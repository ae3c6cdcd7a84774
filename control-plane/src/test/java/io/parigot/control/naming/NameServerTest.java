package io.parigot.control.naming;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.parigot.control.v1.Endpoint;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** What a service waiting for its requirements is told when one of them fails to start. */
class NameServerTest {
  private static final String BACK = "chain.v1.Back";
  private static final Endpoint HERE = Endpoint.newBuilder().setHost("127.0.0.1").setPort(1).build();

  private final NameServer names = new NameServer(List.of("back", "front"));
  private final List<Resolution> heard = new ArrayList<>();

  private void frontWaitsForBack() {
    names.registered("front", List.of("chain.v1.Front"), List.of(BACK), HERE, 0);
    names.await("front", heard::add);
  }

  @Test
  void aRequirementThatCrashedBeforeRegisteringIsCrashedWithItsExitCode() {
    frontWaitsForBack();
    assertTrue(heard.isEmpty());

    names.crashedAtStart("back", 1, "Exception in thread \"main\" java.lang.IllegalStateException");

    assertEquals(1, heard.size());
    assertEquals("CRASHED", heard.get(0).reason());
    assertEquals("service \"front\" requires chain.v1.Back: no running service exports it, and "
        + "\"back\", which never registered, crashed before it was ready (exit code 1): "
        + "Exception in thread \"main\" java.lang.IllegalStateException", heard.get(0).message());
    assertFalse(names.isWaiting("front"));
  }

  @Test
  void aRequirementThatRegisteredThenCrashedIsNamedAsItsExporter() {
    names.registered("back", List.of(BACK), List.of(), HERE, 0);
    frontWaitsForBack();

    names.crashedAtStart("back", 3, "its ready hook failed");

    assertEquals("CRASHED", heard.get(0).reason());
    assertEquals("service \"front\" requires chain.v1.Back, but \"back\", which exports it, "
        + "crashed before it was ready (exit code 3): its ready hook failed", heard.get(0).message());
  }

  @Test
  void aRequirementPastItsStartupTimeoutIsNotReadyInTime() {
    names.registered("back", List.of(BACK), List.of(), HERE, 0);
    frontWaitsForBack();

    names.notReadyInTime("back", "2 s", null);

    assertEquals("NOT_READY_IN_TIME", heard.get(0).reason());
    assertEquals("service \"front\" requires chain.v1.Back, but \"back\", which exports it, was "
        + "not ready in time (its startup_timeout is 2 s)", heard.get(0).message());
  }

  @Test
  void aServiceWhoseOwnTimeoutRanOutWhileWaitingIsToldWhatItStillWaitsFor() {
    names.registered("back", List.of(BACK), List.of(), HERE, 0);
    frontWaitsForBack();
    assertTrue(names.isWaiting("front"));

    assertTrue(names.waitedTooLong("front", "30 s"));

    assertEquals("NOT_READY_IN_TIME", heard.get(0).reason());
    assertEquals("service \"front\": its requirements were not ready within its startup_timeout "
        + "of 30 s; still waiting for chain.v1.Back (\"back\" is not ready)", heard.get(0).message());
    assertFalse(names.waitedTooLong("front", "30 s"));
  }

  @Test
  void aReadyRequirementIsLocated() {
    names.registered("back", List.of(BACK), List.of(), HERE, 0);
    frontWaitsForBack();

    names.ready("back");

    assertTrue(heard.get(0).succeeded());
    assertNull(heard.get(0).reason());
    assertEquals("back", heard.get(0).locations().get(0).getServiceName());
  }

  @Test
  void aRequirementNobodyExportsSaysSo() {
    names.registered("back", List.of(), List.of(), HERE, 0);
    frontWaitsForBack();

    assertEquals("NOT_IN_DEPLOYMENT", heard.get(0).reason());
    assertEquals("service \"front\" requires chain.v1.Back, but no service in this deployment "
        + "exports it (services here: back, front). Add the service that implements it, or "
        + "remove the requirement.", heard.get(0).message());
  }

  /** parigot up FILE front: the exporter may be a service left out. */
  @Test
  void inASubsetRunARequirementNobodyExportsPointsAtTheServicesLeftOut() {
    NameServer subset = new NameServer(List.of("front"), List.of("back", "audit"));
    subset.registered("front", List.of("chain.v1.Front"), List.of(BACK), HERE, 0);
    subset.await("front", heard::add);

    assertEquals("NOT_IN_DEPLOYMENT", heard.get(0).reason());
    assertEquals("service \"front\" requires chain.v1.Back, but no started service exports it "
        + "(started: front). Its exporter may be among the services parigot up left out (back, "
        + "audit): name it on the command line too, or add chain.v1.Back to the requires: of "
        + "\"front\" in deploy.yaml, and to the exports: of its exporter, so that parigot up "
        + "front starts that too.",
        heard.get(0).message());
  }
}
