package io.parigot.orchestrator.cli;

import io.parigot.deploy.DeployFile;
import io.parigot.orchestrator.control.StateDirectory;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.time.ZoneId;
import java.util.concurrent.Callable;
import java.util.stream.Stream;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code parigot logs [-f] [NAME...]}: the output each service printed, from its log file. */
@Command(name = "logs", mixinStandardHelpOptions = true,
    description = "Prints what services wrote (in .parigot/logs/, kept after the run ends).")
final class LogsCommand implements Callable<Integer> {
  @Mixin
  DeploymentOption deployment;

  @Parameters(arity = "0..*", paramLabel = "NAME",
      description = "Only these services, of this deployment or an older one run here, in the "
          + "order named (default: every service of the deployment that ran here last). Each "
          + "line is prefixed with its service's name, but for a single NAME: its lines are "
          + "printed as the service wrote them.")
  List<String> names = List.of();

  @Option(names = {"-f", "--follow"}, description = "Keep printing new lines until Ctrl-C or "
      + "the deployment ends.")
  boolean follow;

  @Option(names = {"-n", "--tail"}, paramLabel = "N", description = "Only the last N lines of "
      + "each service (of those --since and --until select), then (with --follow) what comes "
      + "(default: all).")
  Integer tail;

  @Option(names = {"-t", "--timestamps"}, description = "Print when each line arrived, in UTC "
      + "(2026-12-01T22:07:08.123Z), after the service's name. A line with no recorded time "
      + "(logged by an older parigot) has blanks there.")
  boolean timestamps;

  @Option(names = "--since", paramLabel = "T", description = "Only lines that arrived at T or "
      + "later: " + LogTimes.FORMS + ".")
  String since;

  @Option(names = "--until", paramLabel = "T", description = "Only lines that arrived before "
      + "T, in the same forms as --since.")
  String until;

  private long sinceAt = Long.MIN_VALUE;
  private long untilAt = Long.MAX_VALUE;

  @Override
  public Integer call() throws IOException, InterruptedException {
    StateDirectory state = deployment.state();
    deployment.requireFile(Files.isDirectory(state.logs()));
    List<Path> files = new ArrayList<>();
    List<String> named = names.stream().distinct().toList();
    if (!named.isEmpty()) {
      List<String> notNames = named.stream().filter(n -> !DeployFile.isName(n)).toList();
      if (!notNames.isEmpty()) {
        // a path ("../orchestrator") would read a file that is not a service's log
        System.err.println("parigot: " + ServiceNames.quoted(notNames) + (notNames.size() == 1
            ? " is not the name of a service" : " are not names of services") + ": service "
            + "names " + DeployFile.nameRule());
        return 2;
      }
      List<String> noLog = named.stream().filter(n -> !Files.isRegularFile(state.logOf(n)))
          .toList();
      if (!noLog.isEmpty()) {
        List<String> known = ranLast(state).orElse(List.of());
        System.err.println("parigot: no log for " + ServiceNames.said(noLog) + " in "
            + state.logs() + (known.isEmpty() ? "" : "; the deployment's services are "
                + String.join(", ", known)));
        return 2;
      }
      named.forEach(n -> files.add(state.logOf(n)));
    } else if (Files.isDirectory(state.logs())) {
      Optional<List<String>> services = ranLast(state);
      if (services.isPresent()) {
        // the services of the deployment that ran last, not those of an older deploy.yaml
        for (String service : services.get()) {
          Path log = state.logOf(service);
          if (Files.isRegularFile(log)) {
            files.add(log);
          }
        }
      } else {
        try (Stream<Path> all = Files.list(state.logs())) {
          all.filter(p -> p.toString().endsWith(".log")).sorted().forEach(files::add);
        }
      }
    }
    if (tail != null && tail < 0) {
      System.err.println("parigot: --tail takes a number of lines, 0 or more, not " + tail);
      return 2;
    }
    if (files.isEmpty()) {
      System.err.println("parigot: no logs in " + state.logs() + "; has the deployment run?");
      return 1;
    }
    int width = files.stream().mapToInt(f -> serviceOf(f).length()).max().orElse(0);
    long[] offsets = new long[files.size()];
    byte[][] prefixes = new byte[files.size()][];
    for (int i = 0; i < files.size(); i++) {
      // one service named: its lines as it wrote them, for the scripts that read them so
      prefixes[i] = (named.size() == 1 ? "" : String.format("%-" + width + "s | ",
          serviceOf(files.get(i)))).getBytes(StandardCharsets.UTF_8);
    }
    long now = System.currentTimeMillis();
    String option = "--since";
    try {
      sinceAt = since == null ? sinceAt : LogTimes.parse(since, now, ZoneId.systemDefault());
      option = "--until";
      untilAt = until == null ? untilAt : LogTimes.parse(until, now, ZoneId.systemDefault());
    } catch (IllegalArgumentException e) {
      System.err.println("parigot: " + option + " " + e.getMessage());
      return 2;
    }
    // line by line, as they arrived: needed for times and for the lines of several services
    boolean byTime = timestamps || since != null || until != null;
    if (byTime || files.size() > 1) {
      offsets = printByTime(files, prefixes, offsets, tail, false);
    } else {
      offsets[0] = print(files.get(0), tail == null ? 0 : startOfLast(files.get(0), tail),
          prefixes[0]);
    }
    if (System.out.checkError()) {
      return 0;
    }
    while (follow) {
      // seen ended before this pass: the pass still prints what it wrote before it ended
      boolean ended = state.running().isEmpty();
      if (byTime) {
        // the last pass waits for no time: no pass comes after it to print the line
        offsets = printByTime(files, prefixes, offsets, null, !ended);
      } else {
        for (int i = 0; i < files.size(); i++) {
          offsets[i] = print(files.get(i), offsets[i], prefixes[i]);
        }
      }
      if (System.out.checkError()) {
        // whoever read the output has gone (`logs -f | head`, `| grep -m1`): as a closed
        // pipe ends cat or tail -f, it ends this, or -f would follow for ever unread
        return 0;
      }
      if (ended) {
        // the output stops here: why, the user reads where the orchestrator said it
        System.out.flush();
        System.err.println("parigot: no deployment is running in " + state.root().getParent()
            + DeploymentOption.lastDetached(state) + "; nothing more to follow");
        return 0;
      }
      Thread.sleep(200);
    }
    return 0;
  }

  /** Where a follow pass left an untimed line for the next, whose time may not be written yet. */
  private long[] deferred;

  /**
   * Prints the complete lines of {@code files} after {@code from}, those --since and --until
   * select, merged in the order they arrived (a service's own lines stay in order; a line with
   * no time goes with the line before it), and returns where each file's printed lines end.
   */
  private long[] printByTime(List<Path> files, byte[][] prefixes, long[] from, Integer last,
      boolean following) throws IOException {
    int n = files.size();
    boolean windowed = since != null || until != null;
    if (deferred == null) {
      deferred = new long[n];
      Arrays.fill(deferred, -1);
    }
    LogLines[] sources = new LogLines[n];
    long[] ends = from.clone();
    long[] key = new long[n];
    int[] leftOut = new int[n];
    boolean[] has = new boolean[n];
    boolean[] waitForTime = new boolean[n];
    try {
      for (int i = 0; i < n; i++) {
        Path log = files.get(i);
        LogTimes times = LogTimes.read(log);
        long end;
        try (RandomAccessFile file = new RandomAccessFile(log.toFile(), "r")) {
          end = endOfLastLine(file, from[i], file.length());
        }
        long start = from[i];
        long skip = 0;
        if (last != null && !windowed) {
          start = Math.max(start, startOfLast(log, last));
        } else if (last != null) {
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
      ByteArrayOutputStream out = new ByteArrayOutputStream(BLOCK + BLOCK / 4);
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
        if (out.size() >= BLOCK) {
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
            + " of " + serviceOf(files.get(i)) + " left out: no time is recorded for "
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
    if (since == null && until == null) {
      return true;
    }
    return time != LogTimes.NONE && time >= sinceAt && time < untilAt;
  }

  /** The services of the deployment that ran last in {@code state}, when it listed them. */
  private static Optional<List<String>> ranLast(StateDirectory state) throws IOException {
    Path listed = state.logs().resolve(Console.SERVICES);
    if (!Files.isRegularFile(listed)) {
      return Optional.empty();
    }
    return Optional.of(Files.readAllLines(listed, StandardCharsets.UTF_8).stream()
        .map(String::strip).filter(n -> !n.isEmpty()).toList());
  }

  private static String serviceOf(Path log) {
    String file = log.getFileName().toString();
    return file.substring(0, file.length() - ".log".length());
  }

  /**
   * Where the last {@code lines} complete lines of {@code log} start (the lines {@link #print}
   * prints: a line still being written is not one yet). Read from the end, a block at a time: a
   * long-running service's log can be large.
   */
  static long startOfLast(Path log, int lines) throws IOException {
    try (RandomAccessFile file = new RandomAccessFile(log.toFile(), "r")) {
      long completeEnd = endOfLastLine(file, 0, file.length());
      if (lines == 0 || completeEnd == 0) {
        return completeEnd;
      }
      // the last line ends with the '\n' before completeEnd; each line before it, with the one
      // before that: the first of the last N lines starts after the (N + 1)th from the end
      byte[] block = new byte[BLOCK];
      long position = completeEnd - 1;
      int seen = 0;
      while (position > 0) {
        int size = (int) Math.min(block.length, position);
        position -= size;
        file.seek(position);
        file.readFully(block, 0, size);
        for (int i = size - 1; i >= 0; i--) {
          if (block[i] == '\n' && ++seen == lines) {
            return position + i + 1;
          }
        }
      }
      return 0; // no more lines than asked for: all of them
    }
  }

  private static final int BLOCK = 64 * 1024;

  /**
   * Just after the last '\n' of {@code file} between {@code from} and {@code length}; {@code
   * from} when there is none.
   */
  private static long endOfLastLine(RandomAccessFile file, long from, long length)
      throws IOException {
    byte[] block = new byte[8192];
    long position = length;
    while (position > from) {
      int size = (int) Math.min(block.length, position - from);
      position -= size;
      file.seek(position);
      file.readFully(block, 0, size);
      for (int i = size - 1; i >= 0; i--) {
        if (block[i] == '\n') {
          return position + i + 1;
        }
      }
    }
    return from;
  }

  /**
   * Prints the complete lines of {@code log} after {@code offset}, each after {@code prefix}
   * (none when it is empty), and returns the new offset. The lines go out as the service wrote
   * them, byte for byte and blank ones too, a block at a time: a log can be larger than the
   * memory of this JVM.
   */
  private static long print(Path log, long offset, byte[] prefix) throws IOException {
    try (RandomAccessFile file = new RandomAccessFile(log.toFile(), "r")) {
      long end = endOfLastLine(file, offset, file.length());
      if (end <= offset) {
        return offset;
      }
      file.seek(offset);
      byte[] block = new byte[BLOCK];
      ByteArrayOutputStream out = new ByteArrayOutputStream(BLOCK + BLOCK / 4);
      boolean lineStarts = true;
      for (long position = offset; position < end; ) {
        int size = (int) Math.min(block.length, end - position);
        file.readFully(block, 0, size);
        position += size;
        int from = 0;
        for (int i = 0; i < size; i++) {
          if (block[i] == '\n') {
            if (lineStarts) {
              out.write(prefix, 0, prefix.length);
            }
            out.write(block, from, i + 1 - from);
            from = i + 1;
            lineStarts = true;
          }
        }
        if (from < size) {
          if (lineStarts) {
            out.write(prefix, 0, prefix.length);
          }
          out.write(block, from, size - from);
          lineStarts = false;
        }
        out.writeTo(System.out);
        out.reset();
        if (System.out.checkError()) {
          return end; // no one reads: the rest of a large log is not read either
        }
      }
      System.out.flush();
      return end;
    }
  }
}
