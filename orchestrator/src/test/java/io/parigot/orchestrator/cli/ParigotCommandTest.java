package io.parigot.orchestrator.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
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
    PrintStream out = System.out;
    ByteArrayOutputStream captured = new ByteArrayOutputStream();
    System.setOut(new PrintStream(captured, true, StandardCharsets.UTF_8));
    try {
      assertEquals(0, ParigotCommand.run(args), String.join(" ", args));
      return captured.toString(StandardCharsets.UTF_8);
    } finally {
      System.setOut(out);
    }
  }
}
