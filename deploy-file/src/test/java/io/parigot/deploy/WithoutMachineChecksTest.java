package io.parigot.deploy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@link DeployFile#loadWithoutMachineChecks}: every check of the file's own text in
 * {@link DeployFile#load}'s words, none of the jars, classes and JDKs it names.
 */
class WithoutMachineChecksTest {
  @TempDir
  Path dir;

  @Test
  void theFilesOwnProblemsAreLoadsOwnAndTheMachinesAreLeftOut() throws Exception {
    Path file = write("""
        name: Counter!
        java: jdks/none
        services:
          counter:
            classpath: [target/chain.jar, lib/*]
            main: example.chain.CounterService
            enviroment: {MODE: fast}
            restart: sometimes
          hammer-check:
            jar: target/nope.jar
            program: maybe
            budget: 20m
        """);
    List<String> all = problems(() -> DeployFile.load(file));
    List<String> fileOnly = problems(() -> DeployFile.loadWithoutMachineChecks(file));

    assertEquals(List.of(
        "deploy.yaml:1:7: name \"Counter!\" is not a valid deployment name; use lower-case "
            + "letters, digits, '-' and '_', starting with a letter or digit, 63 characters at "
            + "most",
        "deploy.yaml:7:5: unknown key 'enviroment' in services.counter; did you mean 'env'?",
        "deploy.yaml:8:14: services.counter.restart must be no, on-failure or always, not "
            + "\"sometimes\"",
        "deploy.yaml:11:14: services.hammer-check.program must be true or false, not \"maybe\"",
        "deploy.yaml:12:13: services.hammer-check.budget must be between 1ms and 10m, not 20m"),
        fileOnly);
    List<String> machineOnly = all.stream().filter(p -> !fileOnly.contains(p)).toList();
    assertEquals(all.size(), fileOnly.size() + machineOnly.size(), String.join("\n", all));
    assertEquals(4, machineOnly.size(), String.join("\n", machineOnly));
    assertTrue(machineOnly.get(0).startsWith("deploy.yaml:2:7: java jdks/none does not exist"),
        machineOnly.get(0));
    assertTrue(machineOnly.get(1).startsWith("deploy.yaml:5:17: classpath entry "
        + "target/chain.jar of service counter does not exist"), machineOnly.get(1));
    assertTrue(machineOnly.get(2).startsWith("deploy.yaml:5:35: classpath entry lib/* of "
        + "service counter: directory"), machineOnly.get(2));
    assertTrue(machineOnly.get(3).startsWith("deploy.yaml:10:10: jar target/nope.jar of service "
        + "hammer-check does not exist"), machineOnly.get(3));
  }

  @Test
  void aFileWhoseCodeIsNotBuiltYetIsReadWithItsPathsAsWritten() throws Exception {
    Deployment d = DeployFile.loadWithoutMachineChecks(write("""
        name: chain
        java: jdks/none
        services:
          back:
            classpath: [target/chain.jar, lib/*]
            main: example.chain.BackService
            args: [--fast]
          chain-check:
            jar: target/check.jar
            program: true
        """));
    ServiceSpec back = d.service("back").orElseThrow();
    assertEquals(List.of(dir.resolve("target/chain.jar"), dir.resolve("lib/*")),
        back.classpath());
    assertEquals("example.chain.BackService", back.mainClass().orElseThrow());
    assertEquals(List.of("--fast"), back.args());
    assertEquals(JavaRuntime.current(), back.java());
    assertEquals(dir.resolve("target/check.jar"), d.program().orElseThrow().jar().orElseThrow());
  }

  private Path write(String yaml) throws Exception {
    Path file = dir.resolve("deploy.yaml");
    Files.writeString(file, yaml);
    return file;
  }

  private List<String> problems(Load load) {
    DeployFileException e = assertThrows(DeployFileException.class, load::run);
    return e.getMessage().replace(dir + "/", "").lines().toList();
  }

  private interface Load {
    void run() throws Exception;
  }
}
