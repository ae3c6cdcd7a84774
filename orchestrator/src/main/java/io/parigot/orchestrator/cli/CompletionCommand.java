package io.parigot.orchestrator.cli;

import picocli.AutoComplete;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** {@code parigot completion}: the bash/zsh completion script. */
@Command(name = "completion", mixinStandardHelpOptions = true,
    description = {"Prints a bash (and zsh) completion script for parigot.",
        "Use it with:  source <(./parigot completion)"})
final class CompletionCommand implements Runnable {
  @Override
  public void run() {
    System.out.print(AutoComplete.bash("parigot", ParigotCommand.commandLine()));
  }
}
