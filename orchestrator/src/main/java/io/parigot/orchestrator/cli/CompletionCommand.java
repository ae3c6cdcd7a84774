package io.parigot.orchestrator.cli;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Collectors;
import picocli.AutoComplete;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * {@code parigot completion}: the bash/zsh completion script. picocli writes what completes
 * verbs, options and signals; {@code service-names.bash}, beside this class, completes the NAME
 * of {@link #SERVICE_VERBS} to the service names of the deploy.yaml, read in the shell at every
 * TAB (what picocli writes can only list candidates known when the script is written).
 */
@Command(name = "completion", mixinStandardHelpOptions = true,
    description = {"Prints a bash (and zsh) completion script for parigot: its verbs and "
        + "options, and for kill, restart and logs the service names of the deploy.yaml they "
        + "act on.",
        "Use it with:  source <(./parigot completion)"})
final class CompletionCommand implements Runnable {
  /** The verbs whose first parameter is a service's name. */
  private static final List<String> SERVICE_VERBS = List.of("kill", "restart", "logs");

  @Override
  public void run() {
    CommandLine cli = ParigotCommand.commandLine();
    System.out.print(AutoComplete.bash("parigot", cli) + serviceNames(cli));
  }

  /**
   * The script's part that completes service names: service-names.bash, given a case for each
   * of {@link #SERVICE_VERBS} that lists the options taking a value (the word after one is not
   * the NAME), as {@code cli} has them.
   */
  private static String serviceNames(CommandLine cli) {
    List<String> cases = new ArrayList<>();
    for (String verb : SERVICE_VERBS) {
      String values = cli.getSubcommands().get(verb).getCommandSpec().options().stream()
          .filter(o -> o.arity().max() > 0).flatMap(o -> Arrays.stream(o.names()))
          .collect(Collectors.joining(" "));
      cases.add("            " + verb + ") values=\" " + values + " \" ;;");
    }
    try (InputStream in = CompletionCommand.class.getResourceAsStream("service-names.bash")) {
      return new String(in.readAllBytes(), StandardCharsets.UTF_8)
          .replace("@SERVICE_VERBS@", String.join("\n", cases));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
