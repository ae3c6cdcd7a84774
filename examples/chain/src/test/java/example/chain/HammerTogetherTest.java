package example.chain;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import example.chain.v1.Counter;
import example.chain.v1.CounterClient;
import example.chain.v1.StatsRequest;
import example.chain.v1.StatsResponse;
import io.parigot.junit.DeployYaml;
import io.parigot.junit.ParigotExtension;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** 16 callers, each on its own loop thread, hammer one counter in one JVM. */
class HammerTogetherTest {
  private static final int CALLERS = 16;

  @RegisterExtension
  static final ParigotExtension parigot = ParigotExtension.builder()
      .deployFile(Path.of("hammer.yaml"))
      .require(Counter.SERVICE)
      .build();

  @Test
  void everyBodyAndCallbackRanOnOneThreadAndTheTotalIsExact() throws Exception {
    long calls = (long) CALLERS * Caller.ADDS;
    StatsResponse stats = stats();
    long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
    while (stats.getCalls() < calls && System.nanoTime() < deadline) {
      Thread.sleep(20);
      stats = stats();
    }

    assertEquals(calls, stats.getCalls(), stats.toString());
    assertEquals(CALLERS * Caller.SUM, stats.getTotal(), stats.toString());
    assertEquals(2 * calls, stats.getCallbacks(), stats.toString());
    assertEquals(1, stats.getThreads(), "the counter's code ran on more than one thread");
    for (int i = 1; i <= CALLERS; i++) {
      assertEquals(0, parigot.together().awaitExit("caller-" + i, Duration.ofSeconds(10)));
    }
  }

  @Test
  void theWholeHammerFileRunsTogetherAndItsCheckPasses() throws Exception {
    assertEquals(0, DeployYaml.together(Path.of("hammer.yaml")).build().run());
    assertTrue(Thread.getAllStackTraces().keySet().stream()
        .noneMatch(t -> t.getName().equals("parigot-hammer-check")));
  }

  private static StatsResponse stats() {
    return parigot.call(ctx -> CounterClient.locate(ctx).stats(StatsRequest.getDefaultInstance()));
  }
}
