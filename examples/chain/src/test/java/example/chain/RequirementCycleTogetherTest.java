package example.chain;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import example.chain.fixtures.CyclicBack;
import example.chain.v1.Front;
import io.parigot.junit.ParigotExtension;
import io.parigot.sdk.LaunchFailure;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Front requires Back, which requires Front: the cycle is reported, not hung. */
class RequirementCycleTogetherTest {
  @RegisterExtension
  static final ParigotExtension parigot = ParigotExtension.builder()
      .service("front", FrontService::main)
      .service("back", CyclicBack::main)
      .require(Front.SERVICE)
      .readyWithin(Duration.ofSeconds(20))
      .build();

  @Test
  void bothServicesOfTheCycleFailTheirLaunchNamingIt() throws Exception {
    LaunchFailure failure = assertThrows(LaunchFailure.class, parigot::awaitLaunch);

    String message = failure.getMessage();
    assertTrue(message.contains("launch failed (CYCLE)"), message);
    assertTrue(message.contains("requirement cycle: front -> back -> front"), message);
    assertEquals(1, parigot.together().awaitExit("front", Duration.ofSeconds(10)));
    assertEquals(1, parigot.together().awaitExit("back", Duration.ofSeconds(10)));
  }
}
