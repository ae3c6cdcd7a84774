package io.parigot.control;

import java.io.FileInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.Optional;

/**
 * What Linux's {@code /proc/PID/stat} says of a process: its id, its state letter (R, S, T for
 * stopped, Z, ...) and its parent's id. Read with java.io, which a starting JVM has set up
 * already (a service JVM reads its own on its way to ready).
 */
public record ProcStat(long pid, char state, long parentPid) {
  /** The process {@code pid}; empty where there is no {@code /proc} (not Linux), or it is gone. */
  public static Optional<ProcStat> of(long pid) {
    return read("/proc/" + pid + "/stat");
  }

  /** This JVM's process; empty where there is no {@code /proc}. */
  public static Optional<ProcStat> self() {
    return read("/proc/self/stat");
  }

  private static Optional<ProcStat> read(String file) {
    try (InputStream in = new FileInputStream(file)) {
      return parse(new String(in.readAllBytes(), StandardCharsets.US_ASCII));
    } catch (IOException | SecurityException e) {
      return Optional.empty();
    }
  }

  /**
   * A line of /proc/PID/stat ({@code 4242 (java) S 4200 ...}), or empty when it does not read as
   * one. The command's name may hold spaces and parentheses: the fields after it start after its
   * last ')'.
   */
  static Optional<ProcStat> parse(String stat) {
    int open = stat.indexOf(" (");
    int close = stat.lastIndexOf(')');
    // ") S 4200 ...": the state, then the parent's id
    int state = close + 2;
    int parentStart = state + 2;
    int parentEnd = parentStart < stat.length() ? stat.indexOf(' ', parentStart) : -1;
    if (open <= 0 || close < open || parentEnd < 0 || stat.charAt(state + 1) != ' ') {
      return Optional.empty();
    }
    try {
      return Optional.of(new ProcStat(Long.parseLong(stat.substring(0, open)),
          stat.charAt(state), Long.parseLong(stat.substring(parentStart, parentEnd))));
    } catch (NumberFormatException e) {
      return Optional.empty();
    }
  }
}
