package io.parigot.orchestrator.supervise;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.parigot.deploy.JavaRuntime;
import io.parigot.deploy.RestartPolicy;
import io.parigot.deploy.ServiceSpec;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class DefaultOptionsTest {
  @Test
  void onlyAHeapOptionThatWouldClashTakesParigotsInitialHeapAway() {
    assertTrue(Supervisor.defaultOptions(spec(List.of())).contains("-Xms8m"));
    for (String own : List.of("-Xmx6m", "-Xmx4096k", "-Xms2m", "-XX:MaxHeapSize=6291456",
        "-XX:InitialRAMPercentage=5")) {
      List<String> options = Supervisor.defaultOptions(spec(List.of(own)));
      assertFalse(options.contains("-Xms8m"), own + " would clash with -Xms8m: " + options);
      assertTrue(options.contains("-XX:+UseSerialGC"), "the rest stays: " + options);
    }
    for (String own : List.of("-Dx=y", "-Xmx64m", "-Xmx1G", "-XX:MaxHeapSize=8m")) {
      assertEquals(Supervisor.FAST_START, Supervisor.defaultOptions(spec(List.of(own))),
          own + " leaves parigot's small initial heap as it is");
    }
  }

  /**
   * A collector of the service's own replaces parigot's serial one: beside -XX:+UseSerialGC,
   * -XX:+UseG1GC is a JVM that does not start ("Multiple garbage collectors selected").
   */
  @Test
  void aCollectorOfTheServicesOwnTakesParigotsSerialCollectorAway() {
    for (String own : List.of("-XX:+UseG1GC", "-XX:+UseParallelGC", "-XX:+UseZGC",
        "-XX:+UseShenandoahGC")) {
      List<String> options = Supervisor.defaultOptions(spec(List.of("-Xmx256m", own)));
      assertFalse(options.contains("-XX:+UseSerialGC"), own + " beside the serial collector: "
          + options);
      assertTrue(options.contains("-Xms8m"), "the rest stays: " + options);
    }
    for (String own : List.of("-XX:+UseSerialGC", "-XX:-UseG1GC", "-XX:+UseCompressedOops")) {
      assertEquals(Supervisor.FAST_START, Supervisor.defaultOptions(spec(List.of(own))),
          own + " chooses no other collector");
    }
  }

  /** C2 brought back needs two compiler threads: beside CICompilerCount=1 the JVM does not start. */
  @Test
  void aServiceThatBringsC2BackGetsNoSingleCompilerThread() {
    List<String> options = Supervisor.defaultOptions(spec(List.of("-XX:TieredStopAtLevel=4")));
    assertFalse(options.contains("-XX:CICompilerCount=1"), options.toString());
    assertTrue(options.contains("-XX:+UseSerialGC"), "the rest stays: " + options);
    for (String own : List.of("-XX:TieredStopAtLevel=1", "-XX:TieredStopAtLevel=3",
        "-XX:-TieredCompilation")) {
      assertEquals(Supervisor.FAST_START, Supervisor.defaultOptions(spec(List.of(own))),
          own + " runs with one compiler thread");
    }
  }

  private static ServiceSpec spec(List<String> jvmOptions) {
    return new ServiceSpec("store", Optional.of(Path.of("/shop/store.jar")), List.of(),
        Optional.empty(), List.of(), Map.of(), jvmOptions,
        new JavaRuntime(Path.of("/jdk/bin/java"), Path.of("/jdk"), "17.0.15", 17), false,
        List.of(), Optional.empty(), List.of(), Optional.empty(), RestartPolicy.DEFAULT,
        Duration.ofSeconds(30), Optional.empty(), true, 1, 1);
  }
}
