package io.parigot.orchestrator.cli;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

/**
 * What {@code up} and {@code config} say of a FILE that names no deploy.yaml: where it is not,
 * and the YAML file the user most likely meant, a {@code deploy.yml} say, which docker compose
 * users write as readily as {@code .yaml}.
 */
final class MissingDeployFile {
  private MissingDeployFile() {}

  /** {@code dir} is a directory without a deploy.yaml. */
  static String inDirectory(String verb, Path dir) {
    List<Path> yamls = yamlFiles(dir);
    String said = dir + " is a directory with no deploy.yaml in it";
    if (yamls.size() == 1) {
      return said + "; it holds " + yamls.get(0).getFileName() + ": give its path, parigot "
          + verb + " " + yamls.get(0) + ", or rename it deploy.yaml.";
    }
    if (!yamls.isEmpty()) {
      return said + "; the YAML files in it are " + String.join(", ", yamls.stream()
          .map(p -> p.getFileName().toString()).toList()) + ": give the path of one.";
    }
    return said + ". Give the path of a deploy.yaml.";
  }

  /** {@code file} is not there (or is no regular file). */
  static String atPath(String verb, Path file) {
    String name = file.getFileName() == null ? "" : file.getFileName().toString();
    String other = name.endsWith(".yaml") ? name.substring(0, name.length() - 5) + ".yml"
        : name.endsWith(".yml") ? name.substring(0, name.length() - 4) + ".yaml" : null;
    if (other != null && Files.isRegularFile(file.resolveSibling(other))) {
      return file + ": no such file; did you mean " + file.resolveSibling(other) + "? (parigot "
          + verb + " " + file.resolveSibling(other) + ")";
    }
    return file + ": no such file. Give the path of a deploy.yaml.";
  }

  /** The .yaml and .yml files of {@code dir}, by name; none when it cannot be listed. */
  private static List<Path> yamlFiles(Path dir) {
    try (Stream<Path> files = Files.list(dir)) {
      return files.filter(p -> {
        String n = p.getFileName().toString();
        return !n.startsWith(".") && (n.endsWith(".yaml") || n.endsWith(".yml"))
            && Files.isRegularFile(p);
      }).sorted().limit(10).toList();
    } catch (IOException e) {
      return List.of();
    }
  }
}
