package io.parigot.orchestrator.cli;

import io.parigot.deploy.DeployFile;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Collectors;
import picocli.AutoComplete;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;

/**
 * {@code parigot completion}: the bash/zsh completion script. picocli writes what completes
 * verbs, options and signals; {@code service-names.bash}, beside this class, completes the NAMEs
 * of {@link #SERVICE_VERBS} to the service names of the deploy.yaml, found at every TAB (what
 * picocli writes can only list candidates known when the script is written).
 *
 * <p>At a TAB the script asks the parigot being completed, {@code parigot completion
 * --service-names FILE} (undocumented, for the script only), which prints the names deploy.yaml's
 * own reader finds ({@link DeployFile#serviceNames}), whatever form of YAML the file is in. Only
 * when that parigot cannot answer does the script read a block-style {@code services:} itself.
 */
@Command(name = "completion", mixinStandardHelpOptions = true,
    description = {"Prints a bash (and zsh) completion script for parigot: its verbs and "
        + "options, and for kill, restart, stop, start, logs, ps and up the service names of "
        + "the deploy.yaml they act on.",
        "Use it with:  source <(./parigot completion)"})
final class CompletionCommand implements Runnable {
  /** The verbs whose parameters are services' names. */
  private static final List<String> SERVICE_VERBS =
      List.of("kill", "restart", "stop", "start", "logs", "ps", "up");

  /** The option of {@code parigot completion} that the script asks the service names with. */
  static final String SERVICE_NAMES = "--service-names";

  /** Whether {@code args} are {@code completion --service-names FILE}. */
  static boolean asksServiceNames(String... args) {
    return args.length == 3 && args[0].equals("completion") && args[1].equals(SERVICE_NAMES);
  }

  /**
   * Prints the names of the services of {@code file} (a deploy.yaml, or its directory), one a
   * line, and returns the exit code: 0, with no names for a file that has none or is not there,
   * since a TAB says nothing.
   */
  static int printServiceNames(String file) {
    Path path = Path.of(file);
    if (Files.isDirectory(path)) {
      path = path.resolve("deploy.yaml");
    }
    StringBuilder names = new StringBuilder();
    DeployFile.serviceNames(path).forEach(name -> names.append(name).append('\n'));
    System.out.print(names);
    System.out.flush();
    return 0;
  }

  @Override
  public void run() {
    CommandLine cli = ParigotCommand.commandLine();
    System.out.print(AutoComplete.bash("parigot", cli) + serviceNames(cli));
  }

  /**
   * The script's part that completes service names: service-names.bash, given a case for each
   * of {@link #SERVICE_VERBS} that lists the options taking a value (the word after one is not
   * a NAME) and says whether it takes more than one NAME, as {@code cli} has them.
   */
  private static String serviceNames(CommandLine cli) {
    List<String> cases = new ArrayList<>();
    for (String verb : SERVICE_VERBS) {
      CommandSpec spec = cli.getSubcommands().get(verb).getCommandSpec();
      String values = spec.options().stream()
          .filter(o -> o.arity().max() > 0).flatMap(o -> Arrays.stream(o.names()))
          .collect(Collectors.joining(" "));
      boolean many = spec.positionalParameters().stream().anyMatch(p -> p.arity().max() > 1);
      cases.add("            " + verb + ") values=\" " + values + " \" many=" + (many ? 1 : 0)
          + " ;;");
    }
    try (InputStream in = CompletionCommand.class.getResourceAsStream("service-names.bash")) {
      return new String(in.readAllBytes(), StandardCharsets.UTF_8)
          .replace("@SERVICE_VERBS@", String.join("\n", cases));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
