package io.parigot.orchestrator.cli;

import io.parigot.deploy.DeployFile;
import io.parigot.orchestrator.control.StateDirectory;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.stream.Stream;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code parigot logs [-f] [NAME]}: the output each service printed, from its log file. */
@Command(name = "logs", mixinStandardHelpOptions = true,
    description = "Prints what services wrote (in .parigot/logs/, kept after the run ends).")
final class LogsCommand implements Callable<Integer> {
  @Mixin
  DeploymentOption deployment;

  @Parameters(index = "0", arity = "0..1", paramLabel = "NAME",
      description = "Only this service, of this deployment or an older one run here (default: "
          + "every service of the deployment that ran here last, each line prefixed with its "
          + "name).")
  String name;

  @Option(names = {"-f", "--follow"}, description = "Keep printing new lines until Ctrl-C or "
      + "the deployment ends.")
  boolean follow;

  @Option(names = {"-n", "--tail"}, paramLabel = "N", description = "Only the last N lines of "
      + "each service, then (with --follow) what comes (default: all).")
  Integer tail;

  @Override
  public Integer call() throws IOException, InterruptedException {
    StateDirectory state = deployment.state();
    deployment.requireFile(Files.isDirectory(state.logs()));
    List<Path> files = new ArrayList<>();
    if (name != null) {
      if (!DeployFile.isName(name)) {
        // a path ("../orchestrator") would read a file that is not a service's log
        System.err.println("parigot: \"" + name + "\" is not the name of a service: service "
            + "names " + DeployFile.nameRule());
        return 2;
      }
      Path log = state.logOf(name);
      if (!Files.isRegularFile(log)) {
        List<String> known = ranLast(state).orElse(List.of());
        System.err.println("parigot: no log for service \"" + name + "\" in " + state.logs()
            + (known.isEmpty() ? "" : "; the deployment's services are " + String.join(", ",
                known)));
        return 2;
      }
      files.add(log);
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
    if (tail != null) {
      for (int i = 0; i < files.size(); i++) {
        offsets[i] = startOfLast(files.get(i), tail);
      }
    }
    while (true) {
      // seen ended before this pass: the pass still prints what it wrote before it ended
      boolean ended = follow && state.running().isEmpty();
      for (int i = 0; i < files.size(); i++) {
        offsets[i] = print(files.get(i), offsets[i], name == null ? width : -1);
      }
      if (!follow) {
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
   * prints: a line still being written is not one yet, and an empty one is not printed).
   * Read from the end, a block at a time: a long-running service's log can be large.
   */
  static long startOfLast(Path log, int lines) throws IOException {
    try (RandomAccessFile file = new RandomAccessFile(log.toFile(), "r")) {
      byte[] block = new byte[8192];
      long position = file.length();
      long completeEnd = -1; // just after the last '\n': what follows is no line yet
      int seen = 0;
      boolean inLine = false; // the bytes after this one, up to the next '\n', are a line
      while (position > 0) {
        int size = (int) Math.min(block.length, position);
        position -= size;
        file.seek(position);
        file.readFully(block, 0, size);
        for (int i = size - 1; i >= 0; i--) {
          boolean newline = block[i] == '\n';
          if (completeEnd < 0) {
            if (newline) {
              completeEnd = position + i + 1;
              if (lines == 0) {
                return completeEnd;
              }
            }
          } else if (newline) {
            if (inLine && ++seen == lines) {
              return position + i + 1;
            }
            inLine = false;
          } else {
            inLine = true;
          }
        }
      }
      return 0; // no more lines than asked for: all of them (and none with 0: there is none)
    }
  }

  /** Prints the complete lines of {@code log} after {@code offset}; returns the new offset. */
  private static long print(Path log, long offset, int width) throws IOException {
    try (RandomAccessFile file = new RandomAccessFile(log.toFile(), "r")) {
      if (file.length() <= offset) {
        return offset;
      }
      file.seek(offset);
      byte[] bytes = new byte[(int) (file.length() - offset)];
      file.readFully(bytes);
      int end = bytes.length;
      while (end > 0 && bytes[end - 1] != '\n') {
        end--;
      }
      String text = new String(bytes, 0, end, StandardCharsets.UTF_8);
      for (String line : text.split("\n", -1)) {
        if (line.isEmpty()) {
          continue;
        }
        System.out.println(width < 0 ? line
            : String.format("%-" + width + "s | %s", serviceOf(log), line));
      }
      return offset + end;
    }
  }
}
