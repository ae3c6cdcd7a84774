package io.parigot.orchestrator.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.parigot.orchestrator.control.StateDirectory;
import io.parigot.deploy.Deployment;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ConsoleTest {
  @TempDir
  Path dir;

  @Test
  void everyLineOfAMessageCarriesTheOrchestratorsPrefix() throws Exception {
    Files.createDirectories(StateDirectory.of(dir).logs()); // as the claim makes it
    ByteArrayOutputStream printed = new ByteArrayOutputStream();
    Console console = new Console(new Deployment("shop", dir.resolve("deploy.yaml"), List.of()),
        StateDirectory.of(dir), new PrintStream(printed, true, StandardCharsets.UTF_8), false);

    console.warn("service \"cart\" failed:\n  its cause\n  and what to do");
    console.say("");

    assertEquals("parigot | service \"cart\" failed:\nparigot |   its cause\n"
        + "parigot |   and what to do\nparigot | \n", printed.toString(StandardCharsets.UTF_8));
  }
}
