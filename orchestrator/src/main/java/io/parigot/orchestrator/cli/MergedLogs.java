package io.parigot.orchestrator.cli;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;

/**
 * What {@code parigot logs} prints of several services, or with times: their lines merged in the
 * order they arrived (from {@link LogTimes}), with {@code -t} each after its time, only those
 * that arrived within --since and --until.
 */
final class MergedLogs {
  private final List<Path> files;
  private final byte[][] prefixes;
  private final boolean timestamps;
  private final boolean windowed;
  private final long sinceAt;
  private final long untilAt;

  MergedLogs(List<Path> files, byte[][] prefixes, boolean timestamps, boolean windowed,
      long sinceAt, long untilAt) {
    this.files = files;
    this.prefixes = prefixes;
    this.timestamps = timestamps;
    this.windowed = windowed;
    this.sinceAt = sinceAt;
    this.untilAt = untilAt;
    this.deferred = new long[files.size()];
    Arrays.fill(deferred, -1);
  }

  /** Where a follow pass left an untimed line for the next, whose time may not be written yet. */
  private final long[] deferred;

  /**
   * Prints the complete lines of the logs after {@code from} (the last {@code last} of them,
   * unless null), those --since and --until select, merged in the order they arrived (a
   * service's own lines stay in order; a line with no time goes with the line before it), and
   * returns where each file's printed lines end. When {@code following}, a line whose time is
   * not recorded yet is left for the next call, once.
   */
  long[] print(long[] from, Integer last, boolean following) throws IOException {
    int n = files.size();
    LogLines[] sources = new LogLines[n];
    long[] ends = from.clone();
    long[] key = new long[n];
    int[] leftOut = new int[n];
    boolean[] has = new boolean[n];
    boolean[] waitForTime = new boolean[n];
    try {
      for (int i = 0; i < n; i++) {
        Path log = files.get(i);
        long start = from[i];
        if (last != null && !windowed) {
          start = Math.max(start, LogsCommand.startOfLast(log, last));
        }
        // the times of the lines from start only (-f reads again at every pass)
        LogTimes times = LogTimes.read(log, start);
        long end;
        try (RandomAccessFile file = new RandomAccessFile(log.toFile(), "r")) {
          end = LogsCommand.endOfLastLine(file, from[i], file.length());
        }
        long skip = 0;
        if (last != null && windowed) {
          long selected = 0;
          try (LogLines counted = new LogLines(log, start, end, times)) {
            while (counted.next()) {
              selected += isSelected(counted.time()) ? 1 : 0;
            }
          }
          skip = Math.max(0, selected - last);
        }
        ends[i] = start;
        key[i] = LogTimes.NONE;
        sources[i] = new LogLines(log, start, end, times);
        waitForTime[i] = following && !times.isEmpty();
        has[i] = advance(sources[i], i, skip, waitForTime[i], ends, leftOut);
      }
      ByteArrayOutputStream out =
          new ByteArrayOutputStream(LogsCommand.BLOCK + LogsCommand.BLOCK / 4);
      while (true) {
        int pick = -1;
        long best = 0;
        for (int i = 0; i < n; i++) {
          if (has[i]) {
            long k = sources[i].time() == LogTimes.NONE ? key[i] : sources[i].time();
            if (pick < 0 || k < best) {
              pick = i;
              best = k;
            }
          }
        }
        if (pick < 0) {
          break;
        }
        key[pick] = best;
        LogLines source = sources[pick];
        out.write(prefixes[pick]);
        if (timestamps) {
          out.write((LogTimes.stamp(source.time()) + " ").getBytes(StandardCharsets.UTF_8));
        }
        source.line().writeTo(out);
        ends[pick] = source.position();
        if (out.size() >= LogsCommand.BLOCK) {
          out.writeTo(System.out);
          out.reset();
          if (System.out.checkError()) {
            return ends; // no one reads: the rest is not read either
          }
        }
        has[pick] = advance(source, pick, 0, waitForTime[pick], ends, leftOut);
      }
      out.writeTo(System.out);
      System.out.flush();
    } finally {
      for (LogLines source : sources) {
        if (source != null) {
          source.close();
        }
      }
    }
    for (int i = 0; i < n; i++) {
      if (leftOut[i] > 0) {
        System.err.println("parigot: " + leftOut[i] + (leftOut[i] == 1 ? " line" : " lines")
            + " of " + LogsCommand.serviceOf(files.get(i)) + " left out: no time is recorded for "
            + (leftOut[i] == 1 ? "it" : "them") + " in " + LogTimes.of(files.get(i))
            + " (logged by an older parigot, or cut short by a crash)");
      }
    }
    return ends;
  }

  /**
   * Moves {@code source} to its next line to print, past {@code skip} selected ones, and says
   * whether there is one. Lines not selected are passed over; when {@code waitForTime}, a line
   * with no time yet is left for the next pass, once (its record follows it into the times file).
   */
  private boolean advance(LogLines source, int i, long skip, boolean waitForTime, long[] ends,
      int[] leftOut) throws IOException {
    while (source.next()) {
      long start = source.position() - source.line().size();
      if (source.time() == LogTimes.NONE && waitForTime && deferred[i] != start) {
        deferred[i] = start;
        return false;
      }
      if (!isSelected(source.time())) {
        if (source.time() == LogTimes.NONE) {
          leftOut[i]++;
        }
        ends[i] = source.position();
      } else if (skip > 0) {
        skip--;
        ends[i] = source.position();
      } else {
        return true;
      }
    }
    return false;
  }

  private boolean isSelected(long time) {
    if (!windowed) {
      return true;
    }
    return time != LogTimes.NONE && time >= sinceAt && time < untilAt;
  }
}
