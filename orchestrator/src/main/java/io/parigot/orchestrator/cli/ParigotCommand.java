package io.parigot.orchestrator.cli;

import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** The {@code parigot} command: one subcommand per verb. */
@Command(name = "parigot",
    mixinStandardHelpOptions = true,
    versionProvider = ParigotCommand.Version.class,
    description = "Runs a deployment of parigot services, each in its own JVM.",
    subcommands = {UpCommand.class, PsCommand.class, KillCommand.class, LogsCommand.class,
        DownCommand.class, CompletionCommand.class, CommandLine.HelpCommand.class},
    footer = {"", "Exit codes: 0 success, 1 the deployment failed, 2 bad usage or bad input.",
        "Documentation: docs/cli.md"})
public final class ParigotCommand implements Runnable {
  @CommandLine.Spec
  CommandLine.Model.CommandSpec spec;

  public static void main(String[] args) {
    System.exit(run(args));
  }

  /** Runs the CLI and returns its exit code (for tests and the main method). */
  public static int run(String... args) {
    CommandLine cli = new CommandLine(new ParigotCommand());
    cli.setExecutionExceptionHandler((e, commandLine, parseResult) -> {
      if (e instanceof DeploymentOption.NotRunningException) {
        commandLine.getErr().println("parigot: " + e.getMessage());
        return 1;
      }
      if (e instanceof StatusRuntimeException s) {
        Status status = s.getStatus();
        if (status.getCode() == Status.Code.UNAVAILABLE) {
          commandLine.getErr().println("parigot: the orchestrator did not answer: " + status);
        } else {
          commandLine.getErr().println("parigot: " + (status.getDescription() == null
              ? status.toString() : status.getDescription()));
        }
        return status.getCode() == Status.Code.NOT_FOUND
            || status.getCode() == Status.Code.INVALID_ARGUMENT ? 2 : 1;
      }
      throw e;
    });
    return cli.execute(args);
  }

  @Override
  public void run() {
    spec.commandLine().usage(System.out);
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
