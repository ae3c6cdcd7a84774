package io.parigot.sdk;

import java.io.FileInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;

/**
 * This JVM's process id and its parent's, as the registry and the orphan watch need them. Read
 * from {@code /proc/self/stat} where there is one (Linux): the first use of {@link
 * ProcessHandle} sets up its native side, about 4 ms of a starting JVM's CPU, against a
 * fraction of a millisecond for the file. Elsewhere, {@link ProcessHandle}.
 */
final class Pids {
  private static final String STAT = "/proc/self/stat";

  private Pids() {}

  /** This JVM's process id. */
  static long self() {
    long[] pids = read();
    return pids != null ? pids[0] : ProcessHandle.current().pid();
  }

  /**
   * The process id of this JVM's parent now, or -1 when it has none (as {@link ProcessHandle}
   * says: a parent outside this JVM's pid namespace reads as 0 in /proc).
   */
  static long parent() {
    long[] pids = read();
    if (pids == null) {
      return ProcessHandle.current().parent().map(ProcessHandle::pid).orElse(-1L);
    }
    return pids[1] > 0 ? pids[1] : -1;
  }

  /** {pid, ppid} from /proc/self/stat, or null when it cannot be read. */
  private static long[] read() {
    String stat;
    try (InputStream in = new FileInputStream(STAT)) {
      stat = new String(in.readAllBytes(), StandardCharsets.US_ASCII);
    } catch (IOException | SecurityException e) {
      return null;
    }
    return parse(stat);
  }

  /**
   * {pid, ppid} from a line of /proc/PID/stat ({@code 4242 (java) S 4200 ...}), or null when it
   * does not read as one. The command's name may hold spaces and parentheses: the fields after
   * it start after its last ')'.
   */
  static long[] parse(String stat) {
    int open = stat.indexOf(" (");
    int close = stat.lastIndexOf(')');
    if (open <= 0 || close < open) {
      return null;
    }
    // ") S 4200 ..." : the state, then the parent's id
    int state = close + 2;
    int ppidStart = stat.indexOf(' ', state) + 1;
    int ppidEnd = ppidStart <= 0 ? -1 : stat.indexOf(' ', ppidStart);
    if (ppidStart <= 0 || ppidEnd < 0) {
      return null;
    }
    try {
      return new long[] {Long.parseLong(stat.substring(0, open)),
          Long.parseLong(stat.substring(ppidStart, ppidEnd))};
    } catch (NumberFormatException e) {
      return null;
    }
  }
}
