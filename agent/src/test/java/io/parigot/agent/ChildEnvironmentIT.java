package io.parigot.agent;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * What a child JVM's environment holds when the agent's own JVM was started with PARIGOT_
 * variables (a shell's export, or parigot up run from inside a service): a real agent JVM
 * starting a real child.
 */
class ChildEnvironmentIT {
  private static final String JAVA = Path.of(System.getProperty("java.home"), "bin", "java")
      .toString();
  private static final String CLASSPATH = System.getProperty("java.class.path");

  @Test
  void aChildGetsOnlyThePARIGOTVariablesItsSpecGivesNotThoseTheAgentInherited() throws Exception {
    ProcessBuilder agent = new ProcessBuilder(JAVA, "-cp", CLASSPATH, Agent.class.getName())
        .redirectErrorStream(true);
    // PARIGOT_HOST made the service serve on every interface, at an address nobody chose
    agent.environment().put("PARIGOT_HOST", "203.0.113.7");
    agent.environment().put("PARIGOT_BUDGET_MS", "3");
    agent.environment().put("PARIGOT_DETACHED", "/nowhere/orchestrator.log");
    agent.environment().put("PARIGOT_SERVICE", "outer");
    agent.environment().put("KEPT_BY_THE_CHILD", "yes");
    Process process = agent.start();
    try {
      process.getOutputStream().close();
      assertTrue(process.waitFor(60, TimeUnit.SECONDS), "the agent JVM did not end in 60 s");
      String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      assertEquals(0, process.exitValue(), output);
      assertEquals(List.of("KEPT_BY_THE_CHILD=yes", "PARIGOT_SERVICE=probe", "exit 0"),
          output.lines().toList());
    } finally {
      // on a timeout, the probe JVM the agent started too, not only the agent
      process.descendants().forEach(ProcessHandle::destroyForcibly);
      process.destroyForcibly();
      process.waitFor(10, TimeUnit.SECONDS);
    }
  }

  /** An agent in a JVM of its own: starts {@link Probe} and prints what it printed. */
  static final class Agent {
    public static void main(String[] args) throws IOException, InterruptedException {
      try (LocalAgent agent = new LocalAgent()) {
        List<String> lines = new ArrayList<>();
        Child child = agent.start(new ChildSpec("probe",
            List.of(JAVA, "-cp", CLASSPATH, Probe.class.getName()),
            Map.of("PARIGOT_SERVICE", "probe"), Path.of(".")), new ChildListener() {
              @Override
              public void output(Child c, String line, boolean error) {
                synchronized (lines) {
                  lines.add(line);
                }
              }

              @Override
              public void wedged(Child c, String report, long read, long killed) {}

              @Override
              public void exited(Child c, int exitCode) {}
            });
        int code = child.onExit().join();
        synchronized (lines) {
          lines.forEach(System.out::println);
        }
        System.out.println("exit " + code);
      }
    }
  }

  /** The child: prints the variables the test looks at, sorted. */
  static final class Probe {
    public static void main(String[] args) {
      new TreeMap<>(System.getenv()).forEach((name, value) -> {
        if (name.startsWith("PARIGOT_") || name.equals("KEPT_BY_THE_CHILD")) {
          System.out.println(name + "=" + value);
        }
      });
    }
  }
}
