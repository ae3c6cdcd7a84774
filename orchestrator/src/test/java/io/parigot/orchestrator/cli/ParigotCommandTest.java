package io.parigot.orchestrator.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

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

  @Test
  void noCommandAtAllIsBadUsage() {
    Cli.Said said = Cli.run();
    assertEquals(2, said.code(), said.err());
    assertEquals("", said.out());
    assertTrue(said.err().startsWith("Usage: parigot "), said.err());
    assertTrue(said.err().contains("parigot: give a command, e.g. parigot up deploy.yaml."),
        said.err());
  }

  @Test
  void anUnknownCommandIsNamedAsOne() {
    Cli.Said said = Cli.run("bogus");
    assertEquals(2, said.code(), said.err());
    assertTrue(said.err().startsWith("parigot: unknown command 'bogus'"), said.err());
    assertTrue(said.err().contains("The commands: up, ps, kill, logs, down"), said.err());
  }

  @Test
  void anUnknownSignalIsBadUsageEvenWithNothingRunning(@TempDir Path dir) {
    Cli.Said said = Cli.run("kill", "--file", dir.toString(), "--signal", "BOGUS", "store");
    assertEquals(2, said.code(), said.err());
    assertTrue(said.err().startsWith("parigot: unknown signal 'BOGUS'; use one of TERM, KILL"),
        said.err());
  }

  @Test
  void anEmptyFileNameIsSaidToBeEmpty() {
    Cli.Said said = Cli.run("up", "");
    assertEquals(2, said.code(), said.err());
    assertTrue(said.err().startsWith("parigot: the file name is empty"), said.err());
  }

  private static String out(String... args) {
    Cli.Said said = Cli.run(args);
    assertEquals(0, said.code(), String.join(" ", args) + ": " + said.err());
    return said.out();
  }
}
