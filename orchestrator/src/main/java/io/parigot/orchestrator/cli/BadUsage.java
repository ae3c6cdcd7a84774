package io.parigot.orchestrator.cli;

import io.parigot.agent.Child;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import picocli.CommandLine;
import picocli.CommandLine.Model.ArgSpec;
import picocli.CommandLine.Model.OptionSpec;
import picocli.CommandLine.Model.PositionalParamSpec;
import picocli.CommandLine.ParameterException;

/**
 * What a command line picocli cannot read is told: one line, as git and docker say it,
 * {@code parigot logs: --tail takes a number of lines, not 'x' (see parigot logs --help)}, in
 * place of picocli's message and the verb's whole usage. Exit code 2.
 */
final class BadUsage implements CommandLine.IParameterExceptionHandler {
  /** What the value of each option's label is, in the user's words. */
  private static final Map<String, String> VALUES = Map.of(
      "N", "a number of lines, 0 or more",
      "SIGNAL", "a signal, one of " + Child.SIGNALS,
      "T", "a time: " + LogTimes.FORMS,
      "FILE", "a deploy.yaml or its directory");

  private final CommandLine parigot;

  BadUsage(CommandLine parigot) {
    this.parigot = parigot;
  }

  @Override
  public int handleParseException(ParameterException e, String[] given) {
    CommandLine verb = e.getCommandLine();
    String said = verb == parigot && isUnknownCommand(e, given) ? unknownCommand(given[0], e)
        : verb == parigot && isUnknownHelp(e, given) ? unknownCommand(e.getValue(), e)
        : verb.getCommandSpec().qualifiedName() + ": " + whatIsWrong(e) + " (see "
            + verb.getCommandSpec().qualifiedName() + " --help)";
    verb.getErr().println(said);
    verb.getErr().flush();
    return 2;
  }

  private static boolean isUnknownCommand(ParameterException e, String[] given) {
    return e instanceof CommandLine.UnmatchedArgumentException unmatched && given.length > 0
        && !given[0].startsWith("-") && unmatched.getUnmatched().get(0).equals(given[0]);
  }

  /** {@code parigot help bogus}: picocli's help verb refuses a verb parigot does not have. */
  private static boolean isUnknownHelp(ParameterException e, String[] given) {
    return given.length > 1 && given[0].equals("help") && e.getArgSpec() == null
        && e.getValue() != null;
  }

  /** A verb parigot does not have: said as such, not as picocli's "unmatched argument". */
  private static String unknownCommand(String command, ParameterException e) {
    List<String> near = e instanceof CommandLine.UnmatchedArgumentException unmatched
        ? unmatched.getSuggestions() : List.of();
    return "parigot: unknown command '" + command + "'"
        + (near.isEmpty() ? "." : "; did you mean " + String.join(" or ", near.stream()
            .map(n -> "parigot " + n).toList()) + "?")
        + " The commands: up, ps, kill, restart, stop, start, logs, down, config, "
        + "completion (see parigot --help).";
  }

  private static String whatIsWrong(ParameterException e) {
    if (e instanceof CommandLine.UnmatchedArgumentException unmatched) {
      return unmatched(unmatched);
    }
    if (e instanceof CommandLine.MissingParameterException missing) {
      ArgSpec arg = missing.getMissing().get(0);
      if (arg instanceof OptionSpec option) {
        return named(option) + " needs a value: " + valueOf(option);
      }
      List<String> labels = missing.getMissing().stream().map(ArgSpec::paramLabel).toList();
      return "give " + String.join(" and ", labels) + ": " + description(arg);
    }
    if (e instanceof CommandLine.OverwrittenOptionException overwritten
        && overwritten.getOverwritten() instanceof OptionSpec option) {
      return named(option) + " is given twice; give it once";
    }
    if (e.getArgSpec() instanceof OptionSpec option && e.getValue() != null) {
      // a value picocli could not convert to the option's type (--tail x)
      return named(option) + " takes " + valueOf(option) + ", not '" + e.getValue() + "'";
    }
    return e.getMessage();
  }

  private static String unmatched(CommandLine.UnmatchedArgumentException e) {
    List<String> args = e.getUnmatched();
    String option = args.stream().filter(a -> a.startsWith("-")).findFirst().orElse(null);
    if (e.isUnknownOption() && option != null) {
      List<String> near = e.getSuggestions();
      return "unknown option '" + option + "'" + (near.isEmpty() ? ""
          : "; did you mean " + String.join(" or ", near) + "?");
    }
    List<PositionalParamSpec> takes = e.getCommandLine().getCommandSpec().positionalParameters();
    String verb = e.getCommandLine().getCommandName();
    return "too many arguments: '" + args.get(0) + "'; " + verb + " takes " + (takes.isEmpty()
        ? "none" : takes.stream().map(p -> p.isMultiValue() ? p.paramLabel() + "..."
            : "one " + p.paramLabel()).collect(Collectors.joining(" and ")));
  }

  /** {@code --tail (-n)}: the name typed in the help first, then its short one. */
  private static String named(OptionSpec option) {
    return option.longestName() + (option.names().length > 1
        ? " (" + option.shortestName() + ")" : "");
  }

  private static String valueOf(OptionSpec option) {
    return VALUES.getOrDefault(option.paramLabel(), option.paramLabel());
  }

  /** The first sentence of a parameter's description, lower-cased: "the service, as ...". */
  private static String description(ArgSpec arg) {
    String text = arg.description().length == 0 ? "" : arg.description()[0];
    int end = text.indexOf(". ");
    text = end < 0 ? text.replaceAll("\\.$", "") : text.substring(0, end);
    return text.isEmpty() ? "" : Character.toLowerCase(text.charAt(0)) + text.substring(1);
  }
}
