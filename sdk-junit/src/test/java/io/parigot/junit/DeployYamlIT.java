package io.parigot.junit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code java -cp ... io.parigot.junit.DeployYaml FILE}, as a user runs it from a shell. */
class DeployYamlIT {
  @TempDir
  Path dir;

  @Test
  void aBadFileExitsTwoWithEveryProblemOnStderr() throws Exception {
    Files.writeString(dir.resolve("deploy.yaml"), DeployYamlTest.BAD_FILE);
    Run run = run("deploy.yaml");

    assertEquals(2, run.code(), run.stderr());
    assertEquals(DeployYamlTest.BAD_FILE_PROBLEMS, run.stderr().lines().toList());
    assertEquals("", run.stdout());
  }

  @Test
  void aGoodFileWhoseJarIsNotBuiltRunsAndExitsWithItsProgramsCode() throws Exception {
    Files.writeString(dir.resolve("deploy.yaml"), """
        name: shop
        services:
          front:
            classpath: [target/shop.jar]
            main: io.parigot.junit.RecordsArgs
            args: [front]
            program: true
        """);
    Run run = run("deploy.yaml");

    assertEquals(0, run.code(), run.stderr());
  }

  private record Run(int code, String stdout, String stderr) {}

  /** Runs DeployYaml's main in a JVM of its own, in {@code dir}, on this test's classpath. */
  private Run run(String file) throws Exception {
    Path java = Path.of(System.getProperty("java.home"), "bin", "java");
    Path out = dir.resolve("stdout.txt");
    Path err = dir.resolve("stderr.txt");
    Process process = new ProcessBuilder(java.toString(), "-cp",
        System.getProperty("java.class.path"), DeployYaml.class.getName(), file)
        .directory(dir.toFile())
        .redirectOutput(out.toFile())
        .redirectError(err.toFile())
        .start();
    try {
      assertTrue(process.waitFor(60, TimeUnit.SECONDS), "DeployYaml did not exit within 60 s");
      return new Run(process.exitValue(), Files.readString(out, StandardCharsets.UTF_8),
          Files.readString(err, StandardCharsets.UTF_8));
    } finally {
      process.destroyForcibly();
    }
  }
}
