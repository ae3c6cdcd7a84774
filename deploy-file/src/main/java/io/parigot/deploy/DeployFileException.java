package io.parigot.deploy;

import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Collectors;

/**
 * A deploy.yaml that cannot be run, with every problem found in it: a user fixes them in one
 * pass instead of one per run. Nothing has been started when this is thrown.
 */
public final class DeployFileException extends Exception {
  private static final long serialVersionUID = 1L;

  private final List<Problem> problems;

  DeployFileException(List<Problem> problems) {
    // Stable sort: problems found at the same place keep the order they were found in. Those of
    // each file together (a .env's, an env_file's), in the order of each file's first problem.
    List<Path> files = problems.stream().map(Problem::file).distinct().toList();
    this.problems = problems.stream()
        .sorted(Comparator.comparingInt((Problem p) -> files.indexOf(p.file()))
            .thenComparingInt(Problem::line).thenComparingInt(Problem::column))
        .toList();
  }

  /** The problems, in the order of their places in the file; never empty. */
  public List<Problem> problems() {
    return problems;
  }

  /**
   * What follows a file's problems, for {@code parigot up} and together mode alike: {@code
   * deploy.yaml has 2 problems; nothing was started.}
   */
  public static String nothingStarted(Path file, int problems) {
    return file + " has " + problems + (problems == 1 ? " problem" : " problems")
        + "; nothing was started.";
  }

  /** Every problem as {@code file:line:column: message}, one per line, in file order. */
  @Override
  public String getMessage() {
    return problems.stream().map(Problem::toString).collect(Collectors.joining("\n"));
  }
}
