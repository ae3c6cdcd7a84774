package io.parigot.orchestrator.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ParigotCommandTest {
  private static final String[] VERBS = {"up", "ps", "kill", "restart", "stop", "start", "logs",
      "down", "config", "completion"};

  @Test
  void everyVerbAnswersVersionAsParigotDoes() {
    String parigot = out("--version");
    assertTrue(parigot.startsWith("parigot "), parigot);
    for (String verb : VERBS) {
      assertEquals(parigot, out(verb, "--version"), verb);
      assertEquals(parigot, out(verb, "-V"), verb);
    }
  }

  /**
   * picocli wraps help at 80 columns and may break after any dot: "found in ." then "parigot/"
   * on the next line, "deploy." then "yaml". No line of any help ends in a dot that the next
   * line's word goes on from.
   */
  @Test
  void noHelpBreaksANameAtItsDot() {
    List<String> verbs = new java.util.ArrayList<>(List.of(VERBS));
    verbs.add(0, "");
    for (String verb : verbs) {
      List<String> lines = (verb.isEmpty() ? out("--help") : out(verb, "--help")).lines().toList();
      for (int i = 0; i + 1 < lines.size(); i++) {
        // a row of its own (a verb, an option) starts two spaces in; what goes on starts further
        boolean row = lines.get(i + 1).matches("  \\S.*");
        String next = lines.get(i + 1).strip();
        assertFalse(lines.get(i).endsWith(".") && !row && !next.isEmpty()
            && Character.isLowerCase(next.charAt(0)),
            "parigot " + verb + " --help breaks a name at a dot:\n" + lines.get(i) + "\n"
                + lines.get(i + 1));
      }
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
    assertTrue(said.err().contains("The commands: up, ps, kill, restart, stop, start, logs, "
        + "down, config, completion"), said.err());
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
