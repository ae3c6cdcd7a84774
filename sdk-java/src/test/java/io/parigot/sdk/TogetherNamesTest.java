package io.parigot.sdk;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.parigot.control.v1.Endpoint;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class TogetherNamesTest {
  private static final Endpoint AT = Endpoint.newBuilder().setHost("in-process").build();

  @Test
  void aWaitIsAnsweredOnceEveryRequirementIsReady() {
    TogetherNames names = new TogetherNames(List.of("greeting", "hello"), 0);
    List<TogetherNames.Answer> answers = new ArrayList<>();
    names.registered("hello", List.of(), List.of("greeting.v1.Greeting"), null);
    names.await("hello", answers::add);
    names.registered("greeting", List.of("greeting.v1.Greeting"), List.of(), AT);
    assertTrue(answers.isEmpty(), "greeting registered but is not ready yet");

    names.ready("greeting");

    assertEquals(1, answers.size());
    assertNull(answers.get(0).failure());
    assertEquals("greeting", answers.get(0).locations().get(0).getServiceName());
  }

  /** As under parigot up: one service per interface, or Locate could not name one. */
  @Test
  void aSecondExporterOfAnInterfaceIsRefusedInParigotUpsWords() {
    TogetherNames names = new TogetherNames(List.of("greeting", "greeting2"), 0);
    assertTrue(names.registered("greeting", List.of("greeting.v1.Greeting"), List.of(), AT)
        .isEmpty());

    assertEquals(Optional.of("services \"greeting\" and \"greeting2\" both export "
        + "greeting.v1.Greeting; a deployment runs one service per interface: remove one of "
        + "them, or give each an interface of its own"),
        names.registered("greeting2", List.of("greeting.v1.Greeting"), List.of(), AT));
  }

  @Test
  void aRequirementNobodyExportsIsDecidedOnceEveryServiceRegistered() {
    TogetherNames names = new TogetherNames(List.of("lonely", "greeting"), 0);
    List<TogetherNames.Answer> answers = new ArrayList<>();
    names.registered("lonely", List.of(), List.of("farewell.v1.Farewell"), null);
    names.await("lonely", answers::add);
    assertTrue(answers.isEmpty(), "greeting might still export it");

    names.registered("greeting", List.of("greeting.v1.Greeting"), List.of(), AT);

    assertEquals(LaunchFailure.Reason.NOT_IN_DEPLOYMENT, answers.get(0).failure().reason());
  }

  @Test
  void anExporterThatIsGoneFailsTheWaitWithCrashed() {
    TogetherNames names = new TogetherNames(List.of("back", "front"), 0);
    List<TogetherNames.Answer> answers = new ArrayList<>();
    names.registered("front", List.of("chain.v1.Front"), List.of("chain.v1.Back"), AT);
    names.await("front", answers::add);

    names.gone("back", 1, "its main threw boom");

    assertEquals(LaunchFailure.Reason.CRASHED, answers.get(0).failure().reason());
    assertEquals("service \"front\" requires chain.v1.Back: no running service exports it, and "
        + "\"back\", which never registered, crashed before it was ready (exit code 1): its main "
        + "threw boom", answers.get(0).failure().getMessage());
  }

  @Test
  void aCycleIsReportedToEveryServiceInIt() {
    TogetherNames names = new TogetherNames(List.of("front", "back"), 0);
    List<TogetherNames.Answer> answers = new ArrayList<>();
    names.registered("front", List.of("chain.v1.Front"), List.of("chain.v1.Back"), AT);
    names.await("front", answers::add);
    names.registered("back", List.of("chain.v1.Back"), List.of("chain.v1.Front"), AT);
    names.await("back", answers::add);

    assertEquals(2, answers.size());
    for (TogetherNames.Answer answer : answers) {
      assertEquals(LaunchFailure.Reason.CYCLE, answer.failure().reason());
      assertTrue(answer.failure().getMessage().contains("front -> back -> front"));
    }
  }

  @Test
  void aWaitPastTheLimitFailsWithNotReadyInTime() {
    TogetherNames names = new TogetherNames(List.of("slow", "hello"), 0);
    List<TogetherNames.Answer> answers = new ArrayList<>();
    names.registered("slow", List.of("slow.v1.Slow"), List.of(), AT);
    names.registered("hello", List.of(), List.of("slow.v1.Slow"), null);
    names.await("hello", answers::add);

    names.notReadyInTime("hello", "30 s");

    assertEquals(LaunchFailure.Reason.NOT_READY_IN_TIME, answers.get(0).failure().reason());
    assertTrue(answers.get(0).failure().getMessage().contains("slow.v1.Slow"));
  }
}
