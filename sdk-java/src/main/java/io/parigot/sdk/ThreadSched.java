package io.parigot.sdk;

import java.io.File;
import java.io.FileInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;

/**
 * What Linux's scheduler says of one thread: whether it is runnable (running, or waiting for a
 * CPU) and how long, in all, it has waited for one. The budget watchdog asks it of the loop
 * thread before it kills a service: a method body that has had no CPU for its budget is not
 * wedged, the machine is busy.
 */
interface ThreadSched {
  /** The thread's state letter ({@code R} runnable, {@code S} sleeping, ...), or '?'. */
  char state();

  /** How long the thread has waited for a CPU since it started, in nanoseconds, or -1. */
  long waitedNanos();

  /**
   * The calling thread's, read from {@code /proc/self/task/TID/}; null where there is none (not
   * Linux, or a kernel without scheduler statistics).
   */
  static ThreadSched ofCurrentThread() {
    try {
      // /proc/thread-self is the calling thread's; its real path names the thread for others
      String task = new File("/proc/thread-self").getCanonicalPath();
      if (task.equals("/proc/thread-self") || !new File(task, "schedstat").canRead()) {
        return null;
      }
      return new Proc(task);
    } catch (IOException | SecurityException e) {
      return null;
    }
  }

  /** A thread's files under {@code /proc}. */
  final class Proc implements ThreadSched {
    private final String stat;
    private final String schedstat;

    private Proc(String task) {
      this.stat = task + "/stat";
      this.schedstat = task + "/schedstat";
    }

    @Override
    public char state() {
      String line = read(stat);
      // "4242 (name) R ...": the name may hold spaces and parentheses; the state follows its last ')'
      int close = line == null ? -1 : line.lastIndexOf(')');
      return close < 0 || close + 2 >= line.length() ? '?' : line.charAt(close + 2);
    }

    @Override
    public long waitedNanos() {
      String line = read(schedstat);
      // "time on a CPU, time waiting for one, time slices", in nanoseconds
      String[] fields = line == null ? new String[0] : line.trim().split(" ");
      try {
        return fields.length < 2 ? -1 : Long.parseLong(fields[1]);
      } catch (NumberFormatException e) {
        return -1;
      }
    }

    private static String read(String file) {
      try (InputStream in = new FileInputStream(file)) {
        return new String(in.readAllBytes(), StandardCharsets.US_ASCII);
      } catch (IOException e) {
        return null; // the thread ended
      }
    }
  }
}
