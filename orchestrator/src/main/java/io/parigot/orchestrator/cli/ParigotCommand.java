package io.parigot.orchestrator.cli;

import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import java.io.PrintWriter;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystemException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.function.Supplier;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** The {@code parigot} command: one subcommand per verb. */
@Command(name = "parigot",
    mixinStandardHelpOptions = true,
    versionProvider = ParigotCommand.Version.class,
    description = "Runs a deployment of parigot services, each in its own JVM.",
    footer = {"", "Exit codes: 0 success, 1 the deployment failed, 2 bad usage or bad input.",
        "Documentation: docs/cli.md"})
public final class ParigotCommand implements Callable<Integer> {
  @CommandLine.Spec
  CommandLine.Model.CommandSpec spec;

  public static void main(String[] args) {
    // The control plane's server and the CLI's channels run on netty's NIO transport. Its native
    // one would be copied out of its jar into a temporary file and loaded by every run that
    // reaches ready (tens of milliseconds of CPU; and four lines of warning on JDK 24 and newer).
    System.setProperty("io.grpc.netty.shaded.io.netty.transport.noNative", "true");
    if (args.length > 0 && args[0].equals("up")) {
      UpCommand.startEarly();
    }
    System.exit(run(args));
  }

  /**
   * The CLI with every verb, or with only the verb of {@code args} when it names one: picocli
   * reads each verb's annotations when it is added, which on a cold JVM is a good part of the
   * time to {@code parigot up}'s first service. Help, completion and anything it does not
   * recognise get every verb.
   */
  static CommandLine commandLine(String... args) {
    CommandLine cli = new CommandLine(new ParigotCommand());
    Map<String, Supplier<Object>> verbs = new LinkedHashMap<>();
    verbs.put("up", UpCommand::new);
    verbs.put("ps", PsCommand::new);
    verbs.put("kill", KillCommand::new);
    verbs.put("restart", RestartCommand::new);
    verbs.put("stop", StopCommand::new);
    verbs.put("start", StartCommand::new);
    verbs.put("logs", LogsCommand::new);
    verbs.put("down", DownCommand::new);
    verbs.put("config", ConfigCommand::new);
    verbs.put("completion", CompletionCommand::new);
    verbs.put("help", CommandLine.HelpCommand::new);
    String verb = args.length > 0 ? args[0] : "";
    boolean one = verbs.containsKey(verb) && !verb.equals("help") && !verb.equals("completion");
    for (Map.Entry<String, Supplier<Object>> entry : verbs.entrySet()) {
      if (!one || entry.getKey().equals(verb)) {
        cli.addSubcommand(entry.getKey(), entry.getValue().get());
      }
    }
    // every verb's help lists --version: it answers what parigot --version does
    cli.getSubcommands().values()
        .forEach(sub -> sub.getCommandSpec().versionProvider(new Version()));
    return cli;
  }

  /** Runs the CLI and returns its exit code (for tests and the main method). */
  public static int run(String... args) {
    if (CompletionCommand.asksServiceNames(args)) {
      // before picocli, whose reading of the verbs' annotations would double the time of a TAB
      return CompletionCommand.printServiceNames(args[2]);
    }
    UpCommand up = UpCommand.withoutOptions(args);
    if (up != null) {
      return up.callAsPicocliWould();
    }
    CommandLine cli = commandLine(args);
    cli.setParameterExceptionHandler(new BadUsage(cli));
    cli.setExecutionExceptionHandler((e, commandLine, parseResult) -> {
      if (e instanceof DeploymentOption.NotRunningException) {
        commandLine.getErr().println("parigot: " + e.getMessage());
        return 1;
      }
      if (e instanceof DeploymentOption.NoSuchFileException) {
        commandLine.getErr().println("parigot: " + e.getMessage());
        return 2;
      }
      if (e instanceof StatusRuntimeException s) {
        Status status = s.getStatus();
        String said;
        if (status.getCode() == Status.Code.UNAVAILABLE) {
          // not the status itself: its text holds the whole stack trace of netty's cause
          said = "the orchestrator did not answer ("
              + (status.getDescription() == null ? "unavailable" : status.getDescription())
              + (status.getCause() == null || status.getCause().getMessage() == null ? ""
                  : ": " + status.getCause().getMessage())
              + "); it may be stopping. See `parigot logs`, or try again.";
        } else if (status.getCode() == Status.Code.DEADLINE_EXCEEDED) {
          // not grpc's text: its buffered nanos and name resolution delay tell the user nothing
          said = "the orchestrator did not answer within "
              + ControlClient.DEADLINE.toSeconds() + " s: it runs, but is stopped (SIGSTOP) or "
              + "starved of CPU. Try again; its pid is in " + deploymentOf(commandLine)
                  .map(DeploymentOption::controlFileFromHere).orElse(Path.of(".parigot",
                      "control.json")) + ".";
        } else {
          said = status.getDescription() == null ? status.toString() : status.getDescription();
        }
        commandLine.getErr().println("parigot: " + fromHere(commandLine, said));
        return status.getCode() == Status.Code.NOT_FOUND
            || status.getCode() == Status.Code.INVALID_ARGUMENT ? 2 : 1;
      }
      if (e instanceof FileSystemException f) {
        return cannotWrite(f, commandLine.getErr());
      }
      throw e;
    });
    return cli.execute(args);
  }

  /**
   * What the orchestrator answered the verb of {@code commandLine}, with the parigot commands it
   * suggests carrying the verb's {@code --file} (see {@link DeploymentOption#fromHere}).
   */
  private static String fromHere(CommandLine commandLine, String said) {
    return deploymentOf(commandLine).map(d -> d.fromHere(said)).orElse(said);
  }

  /** The {@code --file} option of the verb of {@code commandLine}; none for a verb without. */
  private static Optional<DeploymentOption> deploymentOf(CommandLine commandLine) {
    return commandLine.getCommandSpec().mixins().values().stream()
        .map(CommandLine.Model.CommandSpec::userObject)
        .filter(DeploymentOption.class::isInstance).map(DeploymentOption.class::cast)
        .findFirst();
  }

  /**
   * The state directory (or a log in it) cannot be written: a read-only or full file system, or
   * a file in the way; not a bug of parigot's to show a stack trace for. Exit code 2.
   */
  static int cannotWrite(FileSystemException f, PrintWriter err) {
    err.println("parigot: cannot write " + f.getFile()
        + (f.getReason() == null ? "" : ": " + f.getReason())
        + (f instanceof FileAlreadyExistsException ? ": a file is in the way" : "")
        + ". parigot keeps a deployment's state in .parigot/ beside its deploy.yaml.");
    err.flush();
    return 2;
  }

  /**
   * {@code parigot} with no verb is bad usage: the usage goes to stderr and the exit code is 2,
   * so that a script's {@code parigot $verb} with an empty verb does not pass for a success.
   */
  @Override
  public Integer call() {
    spec.commandLine().usage(System.err);
    System.err.println("parigot: give a command, e.g. parigot up deploy.yaml.");
    return 2;
  }

  /** The version of this build, from the jar's manifest. */
  static final class Version implements CommandLine.IVersionProvider {
    @Override
    public String[] getVersion() {
      String version = ParigotCommand.class.getPackage().getImplementationVersion();
      return new String[] {"parigot " + (version == null ? "(development build)" : version),
          "Java " + System.getProperty("java.version") + " (" + System.getProperty("java.home") + ")"};
    }
  }
}
