package io.parigot.agent;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * What to start: a name for its output, the full command line, extra environment and the
 * working directory.
 */
public record ChildSpec(String name, List<String> command, Map<String, String> environment,
    Path workingDirectory) {
  public ChildSpec {
    command = List.copyOf(command);
    environment = Map.copyOf(environment);
  }
}
