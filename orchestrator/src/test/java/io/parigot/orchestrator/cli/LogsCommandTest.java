package io.parigot.orchestrator.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.parigot.orchestrator.control.StateDirectory;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LogsCommandTest {
  @TempDir
  Path dir;

  @BeforeEach
  void logsOfTwoDeploymentsOneAfterTheOther() throws Exception {
    StateDirectory state = StateDirectory.of(dir);
    Files.createDirectories(state.logs());
    Files.writeString(state.logOf("hi"), "from an older deploy.yaml\n");
    Files.writeString(state.logOf("store"), "store up\n");
    Files.writeString(state.logOf("cart"), "cart up\n");
    Files.writeString(state.logs().resolve(Console.SERVICES), "store\ncart\n");
  }

  @Test
  void allTheLogsAreThoseOfTheDeploymentThatRanLast() {
    assertEquals("store | store up\ncart  | cart up\n", out("logs", "--file", dir.toString()));
  }

  @Test
  void anOlderServicesLogIsStillThereByName() {
    assertEquals("from an older deploy.yaml\n", out("logs", "--file", dir.toString(), "hi"));
  }

  @Test
  void anUnknownServiceIsAnsweredWithTheServicesThereAre() {
    Cli.Said said = Cli.run("logs", "--file", dir.toString(), "nope");
    assertEquals(2, said.code(), said.err());
    assertTrue(said.err().contains("no log for service \"nope\"") && said.err().endsWith(
        "; the deployment's services are store, cart" + System.lineSeparator()), said.err());
  }

  @Test
  void aNameThatIsAPathIsNoServicesName() throws Exception {
    Files.writeString(StateDirectory.of(dir).root().resolve("orchestrator.log"), "secret\n");
    for (String path : new String[] {"../orchestrator", "/etc/passwd", ".hidden"}) {
      Cli.Said said = Cli.run("logs", "--file", dir.toString(), path);
      assertEquals(2, said.code(), said.err());
      assertEquals("", said.out());
      assertTrue(said.err().startsWith("parigot: \"" + path + "\" is not the name of a service: "
          + "service names use lower-case letters"), said.err());
    }
  }

  @Test
  void tailGivesTheLastLinesOfEachService() throws Exception {
    StateDirectory state = StateDirectory.of(dir);
    Files.writeString(state.logOf("store"), "one\ntwo\n\nthree\nfour\nhalf a li");
    // longer than the block the log is read back in
    Files.writeString(state.logOf("cart"), "x".repeat(10_000) + "\n" + "y".repeat(9_000) + "\n");

    assertEquals("store | three\nstore | four\ncart  | " + "x".repeat(10_000) + "\ncart  | "
        + "y".repeat(9_000) + "\n", out("logs", "--file", dir.toString(), "--tail", "2"));
    assertEquals("y".repeat(9_000) + "\n", out("logs", "--file", dir.toString(), "-n", "1",
        "cart"));
    assertEquals("two\nthree\nfour\n", out("logs", "--file", dir.toString(), "-n", "3",
        "store"));
    assertEquals("one\ntwo\nthree\nfour\n", out("logs", "--file", dir.toString(), "-n", "9",
        "store"));
    assertEquals("", out("logs", "--file", dir.toString(), "--tail", "0"));
  }

  @Test
  void aNegativeTailIsBadUsage() {
    Cli.Said said = Cli.run("logs", "--file", dir.toString(), "--tail", "-1");
    assertEquals(2, said.code(), said.err());
    assertTrue(said.err().startsWith("parigot: --tail takes a number of lines, 0 or more"),
        said.err());
  }

  @Test
  void aFileThatIsNotThereIsBadUsage() {
    Path nowhere = dir.resolve("nowhere/deploy.yaml");
    Cli.Said said = Cli.run("logs", "--file", nowhere.toString());
    assertEquals(2, said.code(), said.err());
    assertTrue(said.err().startsWith("parigot: " + nowhere + ": no such file"), said.err());
  }

  private static String out(String... args) {
    Cli.Said said = Cli.run(args);
    assertEquals(0, said.code(), String.join(" ", args) + ": " + said.err());
    return said.out();
  }
}
