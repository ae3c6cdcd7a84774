package io.parigot.deploy;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** The problems found so far in one deploy.yaml; reading goes on after each so all are reported. */
final class Problems {
  private final Path file;
  private final List<Problem> found = new ArrayList<>();

  Problems(Path file) {
    this.file = file;
  }

  void report(int line, int column, String message) {
    found.add(new Problem(file, line, column, message));
  }

  /** A problem in another file than the deploy.yaml: its .env, say. */
  void report(Path in, int line, int column, String message) {
    found.add(new Problem(in, line, column, message));
  }

  void report(Node at, String message) {
    report(at.line(), at.column(), message);
  }

  /** A problem with the file as a whole, such as not being readable. */
  void reportFile(String message) {
    report(0, 0, message);
  }

  /** How many so far: a reader compares counts to learn whether its part was clean. */
  int count() {
    return found.size();
  }

  void throwIfAny() throws DeployFileException {
    if (!found.isEmpty()) {
      throw new DeployFileException(found);
    }
  }
}
