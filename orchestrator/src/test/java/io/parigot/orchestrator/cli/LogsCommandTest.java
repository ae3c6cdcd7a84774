package io.parigot.orchestrator.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;

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

  private static String out(String... args) {
    Cli.Said said = Cli.run(args);
    assertEquals(0, said.code(), String.join(" ", args) + ": " + said.err());
    return said.out();
  }
}
