package io.parigot.deploy;

import java.nio.file.Path;

/**
 * A place in a deploy.yaml, for messages that point at what the user wrote.
 *
 * @param file the file as the user named it (relative when they gave it relative)
 * @param line 1-based line
 * @param column 1-based column
 */
public record Position(Path file, int line, int column) {

  /** {@code deploy.yaml:14:5}, the form editors and terminals turn into a link. */
  @Override
  public String toString() {
    return file + ":" + line + ":" + column;
  }
}
