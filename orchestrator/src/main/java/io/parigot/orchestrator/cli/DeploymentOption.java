package io.parigot.orchestrator.cli;

import io.parigot.orchestrator.control.StateDirectory;
import java.nio.file.Files;
import java.nio.file.Path;
import picocli.CommandLine.Option;

/** The {@code -f FILE} option of the verbs that act on a running deployment. */
final class DeploymentOption {
  @Option(names = "--file", paramLabel = "FILE", defaultValue = "deploy.yaml",
      description = "The deployment's deploy.yaml (default: ${DEFAULT-VALUE} in the current "
          + "directory). Its running orchestrator is found in .parigot/ beside it.")
  Path file;

  StateDirectory state() {
    Path absolute = file.toAbsolutePath().normalize();
    Path directory = Files.isDirectory(absolute) ? absolute : absolute.getParent();
    return StateDirectory.of(directory);
  }

  /** The running orchestrator, or a usage error saying none runs here. */
  StateDirectory.Running running() {
    StateDirectory state = state();
    return state.running().orElseThrow(() -> new NotRunningException("no deployment is running "
        + "for " + file + " (nothing alive in " + state.root() + "). Start one with: parigot up "
        + file));
  }

  /** No orchestrator runs for the given deploy.yaml. */
  static final class NotRunningException extends RuntimeException {
    NotRunningException(String message) {
      super(message);
    }
  }
}
