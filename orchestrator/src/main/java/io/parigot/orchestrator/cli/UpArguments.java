package io.parigot.orchestrator.cli;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * How {@code parigot up [FILE] [SERVICE...]} tells its FILE from its first SERVICE: docker
 * compose has no positional file, parigot has, and a service name never ends in .yaml.
 */
final class UpArguments {
  private UpArguments() {}

  /**
   * The SERVICEs {@code up} was given. Its first argument is FILE when it is an existing file or
   * directory or ends in .yaml or .yml, else the first SERVICE (and {@code up.file} becomes
   * null: the default). Null after saying on stderr what is wrong: a later argument that looks
   * like a second deployment file, or a first argument that is no file with no deploy.yaml here.
   */
  static List<String> serviceNames(UpCommand up) {
    List<String> names = new ArrayList<>(up.names);
    if (up.file != null && !looksLikeAFile(up.file)) {
      if (up.fileOption == null && !Files.exists(Path.of("deploy.yaml"))) {
        System.err.println("parigot: " + up.file + ": no such file, and no deploy.yaml here "
            + "to take it as a SERVICE of. Give the path of a deploy.yaml: parigot up FILE "
            + "[SERVICE...].");
        return null;
      }
      names.add(0, up.file.toString());
      up.file = null;
    }
    for (String name : names) {
      if (name.endsWith(".yaml") || name.endsWith(".yml")) {
        System.err.println("parigot: up was given " + name + " as a SERVICE, but it looks like a "
            + "deployment file; up takes one FILE, first: parigot up FILE [SERVICE...]. Nothing "
            + "was started.");
        return null;
      }
    }
    return names;
  }

  private static boolean looksLikeAFile(Path path) {
    String name = path.toString();
    return name.isEmpty() || name.endsWith(".yaml") || name.endsWith(".yml") || Files.exists(path);
  }
}
