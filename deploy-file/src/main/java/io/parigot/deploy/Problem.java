package io.parigot.deploy;

import java.nio.file.Path;

/**
 * One thing wrong with a deploy.yaml, where it is and what to do about it.
 *
 * @param file the file as the user named it (relative when they gave it relative)
 * @param line 1-based line; 0 when the problem is with the file as a whole (it cannot be read)
 * @param column 1-based column; 0 with line 0
 * @param message what is wrong and a hint, on one line
 */
public record Problem(Path file, int line, int column, String message) {

  /** {@code deploy.yaml:14:5: message}, the form editors and terminals turn into a link. */
  @Override
  public String toString() {
    return line == 0 ? file + ": " + message : file + ":" + line + ":" + column + ": " + message;
  }
}
