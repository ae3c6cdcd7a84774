package io.parigot.agent;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

/** A process's state as Linux's {@code /proc/PID/stat} gives it: R, S, T (stopped), Z, ... */
public final class ProcessState {
  private ProcessState() {}

  /**
   * The state letter of {@code pid}; empty where there is no {@code /proc} (not Linux) or when
   * the process is gone.
   */
  public static Optional<Character> of(long pid) {
    try {
      // "PID (COMMAND) STATE ...": the command may hold spaces and parentheses, the state
      // follows the last ')'
      String stat = Files.readString(Path.of("/proc", Long.toString(pid), "stat"));
      int end = stat.lastIndexOf(')');
      return end >= 0 && end + 2 < stat.length() ? Optional.of(stat.charAt(end + 2))
          : Optional.empty();
    } catch (IOException e) {
      return Optional.empty();
    }
  }
}
