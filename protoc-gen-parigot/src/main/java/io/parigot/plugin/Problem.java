package io.parigot.plugin;

/**
 * One problem in the input: the file and position it is at (line 0 when protoc sent no position)
 * and what is wrong, with the fix. Problems are collected, not thrown, so that one run reports
 * them all.
 */
record Problem(String file, int line, int column, String message) {

  /** A problem with the file as a whole, or where protoc sent no position. */
  static Problem in(String file, String message) {
    return new Problem(file, 0, 0, message);
  }

  /** As protoc prints it: {@code file.proto:line:col: message}. */
  @Override
  public String toString() {
    return (line == 0 ? file : file + ":" + line + ":" + column) + ": " + message;
  }
}
