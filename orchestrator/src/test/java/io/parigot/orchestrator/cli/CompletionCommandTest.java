package io.parigot.orchestrator.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The script of {@code parigot completion}, sourced by a real bash (and zsh, where there is one)
 * in a directory with a deploy.yaml, asked what the word at the cursor completes to as the
 * shell asks it at a TAB.
 */
class CompletionCommandTest {
  /**
   * The services store, frontend, shopper and the-cart, among what a reader of the file must
   * not take for one: the keys of a service, a line of a block scalar, comments, a merge key, a
   * name the rule refuses, and top-level keys before and after.
   */
  private static final String DEPLOY_YAML = """
      # the shop
      name: shop
      x-service: &service
        budget: 100ms
      services:                 # one entry per service
        store:
          classpath: [target/shop.jar]
          main: example.shop.StoreService
          env:
            NOT_A_SERVICE: x
          args: |
            --not-a-service
      # between two services
        frontend: {jar: target/frontend.jar}

        "shopper":
          <<: *service
          main: example.shop.Shopper
        the-cart :
          jar: target/cart.jar
        <<: *service
        Bad:
          jar: x
      java: /usr/lib/jvm/java-17
      """;

  /** A deploy.yaml in flow style, of services alpha and beta: no reader in the shell knows it. */
  private static final String FLOW_YAML =
      "name: flow\nservices: {alpha: {jar: a.jar}, 'beta': {jar: b.jar}}\n";

  @TempDir
  Path dir;

  /** The directory of the {@code parigot} on the shell's PATH, or null for none. */
  private Path bin;

  @BeforeEach
  void writeTheScriptAndADeployment() throws IOException {
    Cli.Said said = Cli.run("completion");
    assertEquals(0, said.code(), said.err());
    Files.writeString(dir.resolve("completion.bash"), said.out());
    Files.writeString(dir.resolve("deploy.yaml"), DEPLOY_YAML);
  }

  @Test
  void theCompletionScriptOffersTheSignalsKillTakes() throws Exception {
    String script = Files.readString(dir.resolve("completion.bash"));
    assertTrue(script.contains("_option_args=(\"TERM\" \"KILL\" \"INT\" \"HUP\" \"QUIT\" \"USR1\" "
        + "\"USR2\" \"STOP\" \"CONT\") # --signal values"), script);
    assertEquals(List.of("TERM", "KILL", "INT", "HUP", "QUIT", "USR1", "USR2", "STOP", "CONT"),
        completed("kill", "--signal", ""));
  }

  @Test
  void aServiceNameCompletesToTheServicesOfTheDeployYamlHere() throws Exception {
    List<String> all = List.of("store", "frontend", "shopper", "the-cart");
    assertEquals(all, completed("kill", ""));
    assertEquals(all, completed("restart", ""));
    assertEquals(all, completed("stop", ""));
    assertEquals(all, completed("start", "--file", "deploy.yaml", ""));
    assertEquals(all, completed("logs", ""));
    assertEquals(all, completed("logs", "-f", ""));
    assertEquals(all, completed("logs", "--tail", "5", "--follow", ""));
    // an option that takes no value: the word after it is a NAME
    assertEquals(all, completed("logs", "--no-log-prefix", ""));
    assertEquals(all, completed("up", "--no-log-prefix", ""));
    assertEquals(all, completed("kill", "-s", "TERM", ""));
    assertEquals(all, completed("kill", "--", ""));
  }

  @Test
  void everyNameOfLogsPsStopAndStartCompletesToTheServicesNotYetOnTheLine() throws Exception {
    List<String> all = List.of("store", "frontend", "shopper", "the-cart");
    assertEquals(all, completed("ps", ""));
    assertEquals(all, completed("ps", "--json", ""));
    assertEquals(List.of("frontend", "shopper", "the-cart"), completed("logs", "store", ""));
    assertEquals(List.of("store", "shopper"), completed("ps", "--json", "the-cart", "frontend",
        ""));
    assertEquals(List.of("shopper"), completed("logs", "store", "-f", "--tail", "3", "s"));
    assertEquals(List.of("frontend", "the-cart"), completed("logs", "--", "shopper", "store", ""));
    assertEquals(List.of(), completed("ps", "store", "frontend", "shopper", "the-cart", ""));
    Files.writeString(dir.resolve("other.yaml"), "services:\n  alpha: {}\n  beta: {}\n");
    assertEquals(List.of("beta"), completed("ps", "--file", "other.yaml", "alpha", ""));
    // stop and start take any number of NAMEs too
    assertEquals(List.of("store", "shopper"), completed("stop", "the-cart", "frontend", ""));
    assertEquals(List.of("shopper"), completed("start", "store", "s"));
    assertEquals(List.of("alpha"), completed("start", "--file", "other.yaml", "beta", ""));
    // kill and restart take one NAME: after it, nothing
    assertEquals(List.of(), completed("restart", "store", ""));
    assertEquals(List.of(), completed("kill", "-s", "TERM", "store", "f"));
  }

  /** up's first argument is its FILE when it is a file or ends in .yaml; each SERVICE after. */
  @Test
  void eachServiceOfUpCompletesAfterItsFileOrWithout() throws Exception {
    List<String> all = List.of("store", "frontend", "shopper", "the-cart");
    assertEquals(all, completed("up", ""));
    assertEquals(all, completed("up", "-d", ""));
    assertEquals(all, completed("up", "deploy.yaml", ""));
    assertEquals(List.of("frontend", "shopper", "the-cart"), completed("up", "store", ""));
    assertEquals(List.of("the-cart"), completed("up", "-d", "deploy.yaml", "store", "t"));
    Files.writeString(dir.resolve("other.yaml"), "services:\n  alpha: {}\n  beta: {}\n");
    assertEquals(List.of("beta"), completed("up", "other.yaml", "alpha", ""));
    Files.createDirectory(dir.resolve("sub"));
    Files.writeString(dir.resolve("sub/deploy.yaml"), "services:\n  gamma: {}\n");
    assertEquals(List.of("gamma"), completed("up", "sub", ""));
  }

  @Test
  void aPrefixCompletesToTheServicesItStarts() throws Exception {
    assertEquals(List.of("frontend"), completed("kill", "fr"));
    assertEquals(List.of("store", "shopper"), completed("logs", "-f", "s"));
    assertEquals(List.of(), completed("restart", "x"));
  }

  @Test
  void theFileGivenWithFileIsTheOneRead() throws Exception {
    Files.writeString(dir.resolve("other.yaml"),
        "name: other\r\nservices:\r\n    alpha:\r\n        jar: a.jar\r\n"
            + "    beta: {jar: b.jar}\r\n");
    Files.createDirectory(dir.resolve("sub"));
    Files.writeString(dir.resolve("sub/deploy.yaml"),
        "name: sub\nservices:\n  gamma: {jar: g.jar}\n");
    assertEquals(List.of("alpha", "beta"), completed("kill", "--file", "other.yaml", ""));
    assertEquals(List.of("beta"), completed("restart", "--file", "other.yaml", "b"));
    // bash makes three words of --file=FILE: --file, = and FILE; zsh keeps one
    assertEquals(List.of("alpha", "beta"),
        completed("logs", "--file", "=", "other.yaml", "-f", ""));
    assertEquals(List.of("alpha", "beta"), completed("logs", "--file=other.yaml", ""));
    // a directory's deploy.yaml, and a name in quotes as typed
    assertEquals(List.of("gamma"), completed("kill", "--file", "sub", ""));
    assertEquals(List.of("gamma"), completed("kill", "--file", "'sub/deploy.yaml'", ""));
  }

  @Test
  void aMissingOrBrokenFileCompletesToNothingAndSaysNothing() throws Exception {
    Files.write(dir.resolve("binary.yaml"), new byte[] {0, (byte) 0xff, '\n', ':', 0x7f});
    Files.writeString(dir.resolve("list.yaml"), "services: [store, frontend]\n");
    Files.writeString(dir.resolve("empty.yaml"), "");
    Files.createDirectory(dir.resolve("nothing-here"));
    for (String file : List.of("no-such.yaml", "binary.yaml", "list.yaml", "empty.yaml",
        "nothing-here", "''", "/dev/null")) {
      Completion completion = complete("bash", "kill", "--file", file, "");
      assertEquals(List.of(), completion.offered(), file);
      assertEquals("", completion.err(), file);
    }
    Files.delete(dir.resolve("deploy.yaml"));
    Completion none = complete("bash", "logs", "-f", "");
    assertEquals(List.of(), none.offered());
    assertEquals("", none.err());
  }

  @Test
  void notTheNameAndNotAVerbThatTakesOneIsLeftToPicocli() throws Exception {
    assertEquals(List.of(), completed("kill", "store", ""));
    assertEquals(List.of("logs"), completed("lo"));
    assertEquals(List.of("--file"), completed("kill", "--fi"));
    assertEquals(List.of("--no-log-prefix"), completed("logs", "--no-"));
    assertEquals(List.of("--no-archive", "--no-log-prefix"), completed("up", "--no-"));
    assertEquals(List.of(), completed("down", "s"));
  }

  @Test
  void zshCompletesTheNamesThroughBashcompinitToo() throws Exception {
    assumeTrue(hasZsh(), "no zsh here");
    assertEquals(List.of("frontend"), complete("zsh", "kill", "fr").offered());
    assertEquals(List.of("store", "frontend", "shopper", "the-cart"),
        complete("zsh", "logs", "-f", "").offered());
    assertEquals(List.of("store", "shopper"), complete("zsh", "ps", "frontend", "the-cart", "")
        .offered());
  }

  /**
   * The names are asked of the parigot being completed, which reads them with deploy.yaml's own
   * reader: every form of YAML the file may take counts, not block style only.
   */
  @Test
  void theParigotBeingCompletedReadsTheNamesInAnyFormOfYaml() throws Exception {
    parigotOnThePath("exec '" + Path.of(System.getProperty("java.home"), "bin", "java") + "' -cp '"
        + System.getProperty("java.class.path") + "' " + ParigotCommand.class.getName()
        + " \"$@\"");
    Files.writeString(dir.resolve("flow.yaml"), FLOW_YAML);
    Files.writeString(dir.resolve("lines.yaml"),
        "name: lines\nservices: {\n  alpha: {jar: a.jar},\n  \"beta\": {\n    jar: b.jar}\n}\n");
    Files.writeString(dir.resolve("json.yaml"),
        "{\"name\": \"json\", \"services\": {\"alpha\": {}, \"beta\": {}}}\n");
    Files.createDirectory(dir.resolve("sub"));
    Files.writeString(dir.resolve("sub/deploy.yaml"), "services: {gamma: {}}\n");
    for (String file : List.of("flow.yaml", "lines.yaml", "json.yaml")) {
      assertEquals(List.of("alpha", "beta"), completed("kill", "--file", file, ""), file);
      assertEquals(List.of("beta"), completed("logs", "--file=" + file, "alpha", ""), file);
    }
    assertEquals(List.of("beta"), completed("up", "flow.yaml", "b"));
    assertEquals(List.of("gamma"), completed("ps", "--file", "'sub'", ""));
    // the file here reads as the shell reads it: the merged budget: and Bad: are no services
    assertEquals(List.of("store", "frontend", "shopper", "the-cart"), completed("logs", ""));
    Files.writeString(dir.resolve("list.yaml"), "services: [store, frontend]\n");
    Files.writeString(dir.resolve("broken.yaml"), "services: {alpha: [}\n");
    for (String file : List.of("list.yaml", "broken.yaml", "no-such.yaml")) {
      Completion completion = complete("bash", "kill", "--file", file, "");
      assertEquals(List.of(), completion.offered(), file);
      assertEquals("", completion.err(), file);
    }
    if (hasZsh()) {
      assertEquals(List.of("alpha", "beta"),
          complete("zsh", "kill", "--file", "flow.yaml", "").offered());
    }
  }

  /**
   * A parigot that cannot answer (not found, an older one, a checkout to build first) leaves the
   * names to the shell's own reading, of block style only.
   */
  @Test
  void whenTheParigotCannotAnswerTheShellReadsTheBlockStyleItself() throws Exception {
    parigotOnThePath("echo 'Unknown option: --service-names' >&2; exit 2");
    Files.writeString(dir.resolve("flow.yaml"), FLOW_YAML);
    Completion here = complete("bash", "kill", "");
    assertEquals(List.of("store", "frontend", "shopper", "the-cart"), here.offered());
    assertEquals("", here.err());
    assertEquals(List.of("frontend"), completed("logs", "store", "f"));
    assertEquals(List.of(), completed("kill", "--file", "flow.yaml", ""));
  }

  /**
   * A parigot that does not answer within 2 s (a machine so loaded that its JVM is slow to
   * start) is given up on: the TAB completes all the same, from the shell's own reading.
   */
  @Test
  void aParigotTooSlowToAnswerLeavesTheNamesToTheShell() throws Exception {
    parigotOnThePath("exec sleep 60");
    assertEquals(List.of("store", "frontend", "shopper", "the-cart"), completed("kill", ""));
    if (hasZsh()) {
      assertEquals(List.of("frontend"), complete("zsh", "logs", "store", "f").offered());
    }
  }

  /** Puts a {@code parigot} that runs {@code body} on the shell's PATH. */
  private void parigotOnThePath(String body) throws IOException {
    bin = Files.createDirectories(dir.resolve("bin"));
    Path parigot = bin.resolve("parigot");
    Files.writeString(parigot, "#!/bin/sh\n" + body + "\n");
    assertTrue(parigot.toFile().setExecutable(true));
  }

  private static boolean hasZsh() {
    return Files.isExecutable(Path.of("/bin/zsh")) || Files.isExecutable(Path.of("/usr/bin/zsh"));
  }

  /**
   * What {@code parigot WORDS...<TAB>} offers in bash, the last word being the one at the
   * cursor.
   */
  private List<String> completed(String... words) throws IOException, InterruptedException {
    return complete("bash", words).offered();
  }

  private record Completion(List<String> offered, String err) {}

  /**
   * Sources the script in {@code shell}, sets the words as bash sets them at a TAB and calls the
   * function the script registers for parigot (zsh through its bashcompinit's compgen).
   */
  private Completion complete(String shell, String... words)
      throws IOException, InterruptedException {
    String ask = shell.equals("zsh")
        ? "autoload -U +X compinit && compinit -u; autoload -U +X bashcompinit && bashcompinit; "
            + "source ./completion.bash; COMP_WORDS=(parigot \"$@\"); COMP_CWORD=$#; "
            + "compgen -F _parigot_complete -- \"${@[-1]}\""
        : "source ./completion.bash; [[ $(complete -p parigot) == *' -F _parigot_complete '* ]] "
            + "|| { echo 'parigot completes with another function' >&2; exit 1; }; "
            + "COMP_WORDS=(parigot \"$@\"); COMP_CWORD=$#; COMP_LINE=\"${COMP_WORDS[*]}\"; "
            + "COMP_POINT=${#COMP_LINE}; _parigot_complete; "
            + "(( ${#COMPREPLY[@]} == 0 )) || printf '%s\\n' \"${COMPREPLY[@]}\"";
    List<String> command = new ArrayList<>(List.of(shell, shell.equals("zsh") ? "-fc" : "-c", ask,
        shell));
    command.addAll(List.of(words));
    Path out = dir.resolve("out.txt");
    Path err = dir.resolve("err.txt");
    ProcessBuilder builder = new ProcessBuilder(command).directory(dir.toFile())
        .redirectOutput(out.toFile()).redirectError(err.toFile());
    if (bin != null) {
      builder.environment().merge("PATH", bin.toString(), (path, ours) -> ours + ":" + path);
    }
    Process process = builder.start();
    try {
      assertTrue(process.waitFor(20, TimeUnit.SECONDS),
          "the completion did not end: " + String.join(" ", words));
      assertEquals(0, process.exitValue(), Files.readString(err));
      return new Completion(Files.readAllLines(out, StandardCharsets.UTF_8),
          Files.readString(err, StandardCharsets.UTF_8));
    } finally {
      process.descendants().forEach(ProcessHandle::destroyForcibly);
      process.destroyForcibly();
      process.waitFor();
    }
  }
}
