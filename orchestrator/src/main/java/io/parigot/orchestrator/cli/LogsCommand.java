package io.parigot.orchestrator.cli;

import io.parigot.deploy.DeployFile;
import io.parigot.orchestrator.control.StateDirectory;
import io.parigot.orchestrator.supervise.ServiceNames;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
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
      description = "Only these services, of this deployment or an older one run here (default: "
          + "every service of the deployment that ran here last). Their lines are merged in the "
          + "order they arrived (at the same time, in the order named), each prefixed with its "
          + "service's name, but for a single NAME (or with --no-log-prefix): its lines are "
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

  @Option(names = "--no-log-prefix", description = "Print each line without its service's "
      + "name, as the service wrote it (after its time, with -t), as for a single NAME.")
  boolean noLogPrefix;

  @Option(names = "--since", paramLabel = "T", description = "Only lines that arrived at T or "
      + "later: " + LogTimes.FORMS + ".")
  String since;

  @Option(names = "--until", paramLabel = "T", description = "Only lines that arrived before "
      + "T, in the same forms as --since.")
  String until;

  @Override
  public Integer call() throws IOException, InterruptedException {
    // bad usage whether or not a deployment ran here, as kill's unknown signal is
    if (tail != null && tail < 0) {
      System.err.println("parigot: --tail takes a number of lines, 0 or more, not " + tail);
      return 2;
    }
    long now = System.currentTimeMillis();
    String option = "--since";
    long sinceAt = Long.MIN_VALUE;
    long untilAt = Long.MAX_VALUE;
    try {
      sinceAt = since == null ? sinceAt : LogTimes.parse(since, now, ZoneId.systemDefault());
      option = "--until";
      untilAt = until == null ? untilAt : LogTimes.parse(until, now, ZoneId.systemDefault());
    } catch (IllegalArgumentException e) {
      System.err.println("parigot: " + option + " " + e.getMessage());
      return 2;
    }
    StateDirectory state = deployment.state();
    // an up -d starting here starts its logs afresh: they are its, not those of the run before
    DeploymentOption.awaitClaim(state);
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
        List<String> leftOut = leftOut(state);
        List<String> unknown = noLog.stream().filter(n -> !leftOut.contains(n)).toList();
        List<String> notRun = noLog.stream().filter(leftOut::contains).toList();
        List<String> said = new ArrayList<>();
        if (!unknown.isEmpty()) {
          said.add("no log for " + ServiceNames.plural(unknown, "service ", "services ")
              + ServiceNames.nearly(unknown, known) + " in " + state.logs()
              + (known.isEmpty() ? "" : "; the deployment's services are "
                  + String.join(", ", known)));
        }
        if (!notRun.isEmpty()) {
          // as kill and ps say it: the user may well have forgotten which they named to up
          said.add("no log for " + ServiceNames.plural(notRun, "service ", "services ")
              + ServiceNames.quoted(notRun) + " in " + state.logs() + ": "
              + ServiceNames.leftOut(notRun, known));
        }
        System.err.println("parigot: " + deployment.fromHere(String.join("; ", said)));
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
    if (files.isEmpty()) {
      System.err.println("parigot: no logs in " + state.logs() + deployment.noDeployFileHere()
          .map(what -> ". " + what).orElse("; has the deployment run?"));
      return 1;
    }
    int width = files.stream().mapToInt(f -> serviceOf(f).length()).max().orElse(0);
    long[] offsets = new long[files.size()];
    byte[][] prefixes = new byte[files.size()][];
    // one service named: its lines as it wrote them, for the scripts that read them so
    boolean prefixed = named.size() != 1 && !noLogPrefix;
    for (int i = 0; i < files.size(); i++) {
      prefixes[i] = (prefixed ? String.format("%-" + width + "s | ", serviceOf(files.get(i)))
          : "").getBytes(StandardCharsets.UTF_8);
    }
    // line by line, as they arrived: needed for times and for the lines of several services
    boolean byTime = timestamps || since != null || until != null;
    MergedLogs merged = new MergedLogs(files, prefixes, timestamps,
        since != null || until != null, sinceAt, untilAt);
    if (byTime || files.size() > 1) {
      offsets = merged.print(offsets, tail, false);
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
        offsets = merged.print(offsets, null, !ended);
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

  /** The services of the deployment that ran last in {@code state}, when it listed them. */
  private static Optional<List<String>> ranLast(StateDirectory state) throws IOException {
    Path listed = state.logs().resolve(Console.SERVICES);
    if (!Files.isRegularFile(listed)) {
      return Optional.empty();
    }
    return Optional.of(Files.readAllLines(listed, StandardCharsets.UTF_8).stream()
        .map(String::strip).filter(n -> !n.isEmpty()).toList());
  }

  /** The services that the run that ran last in {@code state} left out. */
  private static List<String> leftOut(StateDirectory state) throws IOException {
    Path listed = state.logs().resolve(Console.LEFT_OUT);
    return Files.isRegularFile(listed) ? Files.readAllLines(listed, StandardCharsets.UTF_8)
        : List.of();
  }

  static String serviceOf(Path log) {
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

  static final int BLOCK = 64 * 1024;

  /**
   * Just after the last '\n' of {@code file} between {@code from} and {@code length}; {@code
   * from} when there is none.
   */
  static long endOfLastLine(RandomAccessFile file, long from, long length)
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
