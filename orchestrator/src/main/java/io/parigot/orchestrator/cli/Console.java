package io.parigot.orchestrator.cli;

import io.parigot.deploy.Deployment;
import io.parigot.deploy.ServiceSpec;
import io.parigot.orchestrator.control.StateDirectory;
import io.parigot.orchestrator.supervise.DeploymentOutput;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * What {@code parigot up} prints: every line of every service with its name as an aligned prefix
 * (coloured on a terminal), or with {@code --no-log-prefix} as the service wrote it, and the
 * orchestrator's own messages under the name "parigot". Each service's lines also go to its log
 * file in the state directory, as the service wrote them.
 */
final class Console implements DeploymentOutput {
  private static final String SELF = "parigot";
  private static final String[] COLORS = {"36", "33", "32", "35", "34", "96", "93", "92", "95", "94"};

  private final PrintStream out;
  private final boolean color;
  /** Whether a service's line is printed after its name; the orchestrator's always are. */
  private final boolean servicePrefix;
  private final int width;
  private final Map<String, String> colorOf = new HashMap<>();
  private final Map<String, BufferedOutputStream> logs = new HashMap<>();
  /** Each log's {@link LogTimes}, written under the lock of its log. */
  private final Map<String, LogTimes.Writer> times = new HashMap<>();
  private static final byte[] LINE_BREAK = System.lineSeparator().getBytes(StandardCharsets.UTF_8);
  /** The services whose log could not be written to, once it was said. */
  private final Set<String> unwritable = ConcurrentHashMap.newKeySet();
  private final AtomicBoolean outputFailed = new AtomicBoolean();
  private volatile Runnable whenOutputFails = () -> { };
  /** Where the user stands, for the commands the orchestrator's lines suggest; null: as said. */
  private volatile DeploymentOption suggestFrom;

  Console(Deployment deployment, StateDirectory state, PrintStream out, boolean color,
      boolean servicePrefix) throws IOException {
    this.out = out;
    this.color = color;
    this.servicePrefix = servicePrefix;
    List<ServiceSpec> services = deployment.services();
    int longest = SELF.length();
    for (int i = 0; i < services.size(); i++) {
      String name = services.get(i).name();
      if (servicePrefix) {
        // the orchestrator's lines are aligned with the names the services' lines show
        longest = Math.max(longest, name.length());
      }
      colorOf.put(name, COLORS[i % COLORS.length]);
      logs.put(name, new BufferedOutputStream(Files.newOutputStream(state.logOf(name),
          StandardOpenOption.CREATE, StandardOpenOption.TRUNCATE_EXISTING,
          StandardOpenOption.WRITE)));
      times.put(name, new LogTimes.Writer(state.logOf(name)));
    }
    this.width = longest;
    // which of the logs are this deployment's: a directory's logs/ keeps those of services of
    // another deploy.yaml that ran there before, and plain `parigot logs` shows only these
    Files.write(state.logs().resolve(SERVICES), services.stream().map(ServiceSpec::name).toList(),
        StandardCharsets.UTF_8);
  }

  /** In logs/: the names of the services of the deployment that ran last, one a line. */
  static final String SERVICES = "services.txt";
  /**
   * In logs/: the names of the deploy.yaml's services that the {@code parigot up FILE
   * SERVICE...} that ran last left out, one a line; not there when it left none out.
   */
  static final String LEFT_OUT = "left-out.txt";

  /**
   * Lists in logs/ the services this run left out ({@link #LEFT_OUT}), for logs to say so of a
   * name that has no log, as kill and ps do.
   */
  static void listLeftOut(StateDirectory state, List<String> leftOut) throws IOException {
    Path listed = state.logs().resolve(LEFT_OUT);
    if (leftOut.isEmpty()) {
      Files.deleteIfExists(listed); // a partial run's before this one
    } else {
      Files.write(listed, leftOut, StandardCharsets.UTF_8);
    }
  }

  /** Whether the output should be coloured: a terminal, and the user did not ask for plain. */
  static boolean wantsColor() {
    return wantsColor(System.console() != null, System.getenv("NO_COLOR"), System.getenv("TERM"));
  }

  /**
   * Whether output to a terminal (or not) is coloured under these NO_COLOR and TERM: as
   * no-color.org has it, a NO_COLOR that is set and not empty turns colour off ({@code
   * NO_COLOR= cmd}, or one a script set to an empty variable, does not).
   */
  static boolean wantsColor(boolean terminal, String noColor, String term) {
    return terminal && (noColor == null || noColor.isEmpty()) && !"dumb".equals(term);
  }

  @Override
  public void serviceLine(String service, String line, boolean error) {
    if (servicePrefix) {
      print(service, colorOf.getOrDefault(service, "0"), line);
    } else {
      print(null, null, line);
    }
    BufferedOutputStream log = logs.get(service);
    if (log != null) {
      synchronized (log) {
        try {
          // encoded once, for the log and for its length in the times record
          byte[] bytes = line.getBytes(StandardCharsets.UTF_8);
          log.write(bytes);
          log.write(LINE_BREAK);
          log.flush();
          // after the log, so that a record never names a line the log does not have yet
          LogTimes.Writer timesOfLog = times.get(service);
          timesOfLog.lineWritten(bytes.length + LINE_BREAK.length, System.currentTimeMillis());
          timesOfLog.flush();
        } catch (IOException e) {
          // the terminal still shows the line; a full disk must not stop the deployment, but
          // `parigot logs` will not have it: said once per service
          if (unwritable.add(service)) {
            warn("could not write to the log of \"" + service + "\" (" + e.getMessage()
                + "); its lines from here on are only in this output, not in `parigot logs`");
          }
        }
      }
    }
  }

  @Override
  public void say(String message) {
    print(SELF, "1", fromHere(message));
  }

  @Override
  public void warn(String message) {
    print(SELF, "1;31", fromHere(message));
  }

  /**
   * Has the parigot commands that the orchestrator's lines suggest ({@code it stays stopped until
   * parigot start cart}) carry the FILE that {@code up} was given, as {@link
   * DeploymentOption#fromHere} has those of the other verbs' messages: typed where the user
   * stands, they act on this deployment.
   */
  void suggestFrom(DeploymentOption given) {
    suggestFrom = given;
  }

  private String fromHere(String message) {
    DeploymentOption given = suggestFrom;
    return given == null ? message : given.fromHere(message);
  }

  /**
   * Runs {@code action} once, on the thread that found it, the first time the output could not
   * be written: a pipe whose reader has exited ({@code parigot up | head -1}), a full disk.
   */
  void whenOutputFails(Runnable action) {
    whenOutputFails = action;
  }

  /**
   * Each line of {@code text} with the prefix of {@code source} (none when it is null), so a
   * message of several lines reads as one.
   */
  private void print(String source, String code, String text) {
    boolean failed;
    synchronized (this) {
      String name = source == null ? null : String.format("%-" + width + "s", source);
      for (String line : text.isEmpty() ? List.of("") : text.lines().toList()) {
        if (name == null) {
          out.println(line);
        } else if (color) {
          out.println("\u001b[" + code + "m" + name + " |\u001b[0m " + line);
        } else {
          out.println(name + " | " + line);
        }
      }
      failed = out.checkError(); // flushes; a PrintStream keeps its IOException to itself
    }
    // outside the lock: the action stops the deployment, whose threads print too
    if (failed && outputFailed.compareAndSet(false, true)) {
      whenOutputFails.run();
    }
  }

  void close() {
    for (Map.Entry<String, BufferedOutputStream> entry : logs.entrySet()) {
      BufferedOutputStream log = entry.getValue();
      synchronized (log) {
        try {
          times.get(entry.getKey()).close();
        } catch (IOException e) {
          // the lines' times stop here; the log is closed all the same
        }
        try {
          log.close();
        } catch (IOException e) {
          // nothing left to write
        }
      }
    }
  }
}
