package io.parigot.orchestrator.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ConfigCommandTest {
  @TempDir
  Path dir;

  @BeforeEach
  void code() throws Exception {
    Files.createDirectories(dir.resolve("classes/com/example"));
    Files.write(dir.resolve("classes/com/example/Main.class"), new byte[] {1, 2, 3});
    Files.writeString(dir.resolve(".env"), "MODE=fast\n");
  }

  @Test
  void aGoodFileIsPrintedResolvedAndReadsBackTheSame() throws Exception {
    Files.writeString(dir.resolve("deploy.yaml"), """
        name: shop
        x-code: &code
          classpath: [classes]
          main: com.example.Main
        services:
          store:
            <<: *code
            args: [--mode, "${MODE}", "cost: $$5"]
            restart: always
          shopper:
            <<: *code
            program: true
            budget: 1500ms
        """);

    Cli.Said said = Cli.run("config", "--file", dir.toString());

    assertEquals(0, said.code(), said.err());
    assertEquals("""
        name: shop
        services:
          store:
            classpath:
            - %1$s/classes
            main: com.example.Main
            args:
            - --mode
            - fast
            - "cost: $$5"
            env: {}
            jvm_options: []
            java: %2$s
            program: false
            restart:
              policy: always
              max_restarts: 5
              window: 1m
              backoff: 100ms
              max_backoff: 5s
            startup_timeout: 30s
            stop_grace_period: 5s
            archive: true
          shopper:
            classpath:
            - %1$s/classes
            main: com.example.Main
            args: []
            env: {}
            jvm_options: []
            java: %2$s
            program: true
            restart:
              policy: "no"
              max_restarts: 5
              window: 1m
              backoff: 100ms
              max_backoff: 5s
            startup_timeout: 30s
            stop_grace_period: 5s
            budget: 1500ms
            archive: true
        """.formatted(dir, System.getProperty("java.home")), said.out());

    Files.writeString(dir.resolve("resolved.yaml"), said.out());
    Cli.Said again = Cli.run("config", dir.resolve("resolved.yaml").toString());
    assertEquals(0, again.code(), again.err());
    assertEquals(said.out(), again.out());
  }

  @Test
  void aBadFileListsItsProblemsExitsTwoAndLeavesNoState() throws Exception {
    Files.writeString(dir.resolve("deploy.yaml"), """
        name: shop
        services:
          store:
            classpath: [classes]
            main: com.example.Main
            args: ["${PORT}"]
            budgte: 5s
        """);

    Cli.Said said = Cli.run("config", dir.resolve("deploy.yaml").toString());

    assertEquals(2, said.code(), said.err());
    assertEquals("", said.out());
    assertTrue(said.err().contains("deploy.yaml:6:12: services.store.args: ${PORT}: PORT is not "
        + "set"), said.err());
    assertTrue(said.err().contains("deploy.yaml:7:5: unknown key 'budgte' in services.store; "
        + "did you mean 'budget'?"), said.err());
    assertTrue(said.err().endsWith("deploy.yaml has 2 problems." + System.lineSeparator()),
        said.err());
    assertFalse(Files.exists(dir.resolve(".parigot")), "config writes no state");
  }

  @Test
  void anAliasOfNoAnchorIsListedWithTheFilesOtherProblems() throws Exception {
    // config listed the alias alone, exit 2; the typo came on the next run
    Files.writeString(dir.resolve("deploy.yaml"), """
        name: shop
        services:
          store:
            <<: *defaults
            budgte: 5s
        """);

    Cli.Said said = Cli.run("config", dir.resolve("deploy.yaml").toString());

    assertEquals(2, said.code(), said.err());
    assertTrue(said.err().contains("deploy.yaml:4:9: *defaults names no anchor; "), said.err());
    assertTrue(said.err().contains("deploy.yaml:5:5: unknown key 'budgte' in services.store; "
        + "did you mean 'budget'?"), said.err());
    assertTrue(said.err().endsWith("deploy.yaml has 2 problems." + System.lineSeparator()),
        said.err());
  }

  @Test
  void quietOnlyChecks() throws Exception {
    Files.writeString(dir.resolve("deploy.yaml"),
        "name: shop\nservices:\n  store: {classpath: [classes], main: com.example.Main}\n");

    Cli.Said said = Cli.run("config", "-q", "--file", dir.resolve("deploy.yaml").toString());

    assertEquals(0, said.code(), said.err());
    assertEquals("", said.out());
  }
}
