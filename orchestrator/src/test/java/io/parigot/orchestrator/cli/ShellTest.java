package io.parigot.orchestrator.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

class ShellTest {
  @Test
  void aPlainPathIsLeftAsItIs() {
    assertEquals("/home/me/shop/deploy.yaml", Shell.quote(Path.of("/home/me/shop/deploy.yaml")));
  }

  /** What the suggested command holds is what a shell hands the command back. */
  @Test
  void spacesQuotesAndUnicodeComeBackFromTheShellAsTheyWere() throws Exception {
    for (String path : new String[] {"/tmp/my dép lœy/grée ting.yaml", "/tmp/it's/deploy.yaml",
        "/tmp/$HOME `x`/a;b.yaml"}) {
      assertEquals(path, echoedByTheShell(Shell.quote(path)));
    }
  }

  private static String echoedByTheShell(String word) throws IOException, InterruptedException {
    Process shell = new ProcessBuilder("sh", "-c", "printf %s " + word).start();
    String said = new String(shell.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    shell.waitFor();
    return said;
  }
}
