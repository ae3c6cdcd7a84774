package example.chain;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import example.chain.fixtures.UnreadyBack;
import example.chain.v1.Back;
import io.parigot.junit.ParigotExtension;
import io.parigot.sdk.LaunchFailure;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Back's ready throws: its launch fails with READY_FAILED, naming the exception, and its log
 * has the exception with the stack that says where it was thrown.
 */
class ReadyFailsTogetherTest {
  private static final ByteArrayOutputStream captured = new ByteArrayOutputStream();
  private static PrintStream err;

  // The extension starts the services before the test body runs, and back's ready can fail
  // before it: the log is captured from before the start.
  @BeforeAll
  static void captureTheLog() {
    err = System.err;
    System.setErr(new PrintStream(captured, true, StandardCharsets.UTF_8));
  }

  @AfterAll
  static void restoreTheLog() {
    System.setErr(err);
  }

  @RegisterExtension
  final ParigotExtension parigot = ParigotExtension.builder()
      .service("back", UnreadyBack::main)
      .require(Back.SERVICE)
      .build();

  @Test
  void theLaunchFailureNamesTheExceptionAndTheLogHasWhereItWasThrown() throws Exception {
    LaunchFailure failure = assertThrows(LaunchFailure.class, parigot::awaitLaunch);
    assertEquals(1, parigot.together().awaitExit("back", Duration.ofSeconds(10)));
    String log = captured.toString(StandardCharsets.UTF_8);

    assertTrue(failure.getMessage().contains("launch failed (READY_FAILED): back: ready failed: "
        + "java.lang.IllegalStateException: the answer table is missing"), failure.getMessage());
    assertTrue(log.contains("back: error: ready failed; the service exits"), log);
    assertTrue(log.contains("back: java.lang.IllegalStateException: the answer table is missing"),
        log);
    assertTrue(log.contains("at example.chain.fixtures.UnreadyBack.loadTable(UnreadyBack.java:"),
        log);
  }
}
