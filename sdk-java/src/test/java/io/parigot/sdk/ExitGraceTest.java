package io.parigot.sdk;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

/** How long the exit hooks have of the time between the orchestrator's SIGTERM and SIGKILL. */
class ExitGraceTest {
  @Test
  void theHooksGetAllButThreeSecondsOfTheStopGraceAndTwoFifthsOfAShortOne() {
    assertEquals(2000, Context.hooksGraceMillis(null), "the default 5 s: 2 s, as before");
    assertEquals(2000, Context.hooksGraceMillis("5000"));
    assertEquals(27_000, Context.hooksGraceMillis("30000"));
    assertEquals(400, Context.hooksGraceMillis("1000"));
    assertEquals(0, Context.hooksGraceMillis("0"));
    assertEquals(2000, Context.hooksGraceMillis("soon"), "unreadable: the default");
  }
}
