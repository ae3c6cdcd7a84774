package io.parigot.orchestrator.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class ParigotCommandTest {
  @Test
  void everyVerbAnswersVersionAsParigotDoes() {
    String parigot = out("--version");
    assertTrue(parigot.startsWith("parigot "), parigot);
    for (String verb : new String[] {"up", "ps", "kill", "logs", "down", "completion"}) {
      assertEquals(parigot, out(verb, "--version"), verb);
      assertEquals(parigot, out(verb, "-V"), verb);
    }
  }

  private static String out(String... args) {
    Cli.Said said = Cli.run(args);
    assertEquals(0, said.code(), String.join(" ", args) + ": " + said.err());
    return said.out();
  }
}
