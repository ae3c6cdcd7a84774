package io.parigot.orchestrator.cli;

import java.util.regex.Pattern;

/** Paths in the commands parigot suggests, written so that pasting them into a shell works. */
final class Shell {
  private static final Pattern PLAIN = Pattern.compile("[A-Za-z0-9_./:=@%+,-]+");

  private Shell() {}

  /** {@code word} as a shell reads it back: as it is when plain, else in single quotes. */
  static String quote(Object word) {
    String text = String.valueOf(word);
    return PLAIN.matcher(text).matches() ? text : "'" + text.replace("'", "'\\''") + "'";
  }
}
