package example.chain;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import example.chain.fixtures.CrashingBack;
import example.chain.v1.Front;
import io.parigot.junit.ParigotExtension;
import io.parigot.sdk.LaunchFailure;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Front requires Back, whose main throws at start: Front's launch fails with CRASHED. */
class RequirementCrashTogetherTest {
  @RegisterExtension
  static final ParigotExtension parigot = ParigotExtension.builder()
      .service("back", CrashingBack::main)
      .service("front", FrontService::main)
      .require(Front.SERVICE)
      .build();

  @Test
  void frontsLaunchFailsWithTheReasonAndSoDoesItsCaller() throws Exception {
    LaunchFailure failure = assertThrows(LaunchFailure.class, parigot::awaitLaunch);

    assertEquals(LaunchFailure.Reason.CRASHED, failure.reason());
    String message = failure.getMessage();
    // the test requires front, which crashed because its requirement back crashed
    assertTrue(message.contains("requires chain.v1.Front, but \"front\", which exports "
        + "it, crashed before it was ready (exit code 1)"), message);
    assertTrue(message.contains("launch failed (CRASHED): service \"front\" requires "
        + "chain.v1.Back"), message);
    assertTrue(message.contains("\"back\", which never registered, crashed before it was ready "
        + "(exit code 1)"), message);
    assertTrue(message.contains("the answer table is corrupt"), message);
    assertEquals(1, parigot.together().awaitExit("front", Duration.ofSeconds(10)));
  }
}
