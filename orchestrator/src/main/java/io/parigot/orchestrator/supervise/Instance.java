package io.parigot.orchestrator.supervise;

import io.parigot.agent.Child;
import io.parigot.control.v1.Endpoint;
import io.parigot.deploy.ServiceSpec;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.concurrent.ScheduledFuture;

/**
 * One service of the deployment as the supervisor tracks it across restarts. Only the
 * supervisor's thread reads or writes it.
 */
final class Instance {
  private static final int KEPT_LINES = 40;

  final ServiceSpec spec;
  ServiceState state = ServiceState.STARTING;
  Child child;
  /** The one-time registration token of the current JVM; null once it registered. */
  String pendingToken;
  /** The token the current JVM identifies itself with after registering. */
  String token;
  boolean registered;
  boolean everReady;
  List<String> exports = List.of();
  List<String> requires = List.of();
  Endpoint endpoint;
  /** The port this service serves on, kept across restarts; 0 until first started. */
  int port;
  long startedAtMillis;
  int restarts;
  int budgetKills;
  int overruns;
  int exitCode;
  /** Why the current JVM said it exits, from its Exit call. */
  String exitReason;
  /** Restart times within the policy window, to spot a crash loop. */
  final Deque<Long> recentRestarts = new ArrayDeque<>();
  final Deque<String> lastLines = new ArrayDeque<>();
  /** What the java launcher says when it cannot create the JVM (a bad option, say). */
  private static final String NO_JVM = "Error: Could not create the Java Virtual Machine";
  ScheduledFuture<?> startupTimer;
  /** The current JVM was not ready within its start-up timeout. */
  boolean timedOut;
  /**
   * The verb that asked for its JVM's exit to start it again, whatever its restart policy
   * ({@code parigot restart}, or {@code parigot start} while a stop ends it); null for none.
   */
  String startAgainFor;
  /** parigot stop asked for it: its exit leaves it stopped, whatever its restart policy. */
  boolean stopAsked;
  /** The restart its policy scheduled after its backoff, while it is due. */
  ScheduledFuture<?> pendingRestart;
  /**
   * When the current JVM was told its launch failed (System.nanoTime), or 0: it then logs why
   * and exits by itself.
   */
  long launchRefusedNanos;
  /** The class-data archive plan of the current JVM. */
  ClassDataArchive.Plan archivePlan;
  /** A start with the archive crashed: start without one from now on. */
  boolean archiveFailed;

  Instance(ServiceSpec spec) {
    this.spec = spec;
  }

  String name() {
    return spec.name();
  }

  boolean isAlive() {
    return child != null && child.isAlive();
  }

  void keep(String line) {
    if (lastLines.size() == KEPT_LINES) {
      lastLines.removeFirst();
    }
    lastLines.addLast(line);
  }

  /**
   * The best one-line account of why the JVM failed: what it said in its Exit call, else the
   * exception or error it printed last, else its last line of output.
   */
  String failureCause() {
    if (exitReason != null && !exitReason.isEmpty()) {
      return exitReason;
    }
    return causeIn(new ArrayList<>(lastLines));
  }

  /** What a service's last lines of output say of why it failed. */
  static String causeIn(List<String> lines) {
    for (int i = lines.size() - 1; i >= 0; i--) {
      String line = lines.get(i).strip();
      if (line.startsWith("Exception in thread") || line.startsWith("Error:")
          || line.startsWith("Caused by:")) {
        // the deepest cause is the most telling, but the first line names what failed
        return firstException(lines);
      }
    }
    return lines.isEmpty() ? "it printed nothing"
        : "its last words: " + lines.get(lines.size() - 1).strip();
  }

  private static String firstException(List<String> lines) {
    for (int i = 0; i < lines.size(); i++) {
      String text = lines.get(i).strip();
      int noJvm = text.indexOf(NO_JVM);
      if (noJvm >= 0) {
        // the java launcher's own words; what it could not take is said just before, on the
        // line or two above (its stderr and stdout may share the line)
        List<String> said = new ArrayList<>(lines.subList(Math.max(0, i - 2), i).stream()
            .map(String::strip).filter(l -> !l.isEmpty()).toList());
        String before = text.substring(0, noJvm).strip();
        if (!before.isEmpty()) {
          said.add(before);
        }
        if (!said.isEmpty()) {
          return String.join("; ", said) + " (the JVM could not start)";
        }
      }
      if (text.startsWith("Exception in thread") || text.startsWith("Error:")) {
        return text + deepestCause(lines.subList(i + 1, lines.size()), text);
      }
    }
    return lines.get(lines.size() - 1).strip();
  }

  /**
   * The last {@code Caused by:} of the trace in {@code after}, said after {@code first} unless
   * {@code first} says it already ("Could not find or load main class a.B" of a.B's
   * ClassNotFoundException): "Unable to initialize main class" alone does not say which class
   * was missing.
   */
  private static String deepestCause(List<String> after, String first) {
    String cause = null;
    for (String line : after) {
      String text = line.strip();
      if (text.startsWith("Exception in thread") || text.startsWith("Error:")) {
        break; // another trace
      }
      // the trace's own causes start their lines; a Suppressed: block's are indented
      if (line.startsWith("Caused by:")) {
        cause = text.substring("Caused by:".length()).strip();
      }
    }
    if (cause == null) {
      return "";
    }
    int colon = cause.indexOf(": ");
    String message = colon < 0 ? "" : cause.substring(colon + 2).strip();
    if (!message.isEmpty() && first.contains(message.replace('/', '.'))) {
      return "";
    }
    boolean missingClass = cause.startsWith("java.lang.NoClassDefFoundError")
        || cause.startsWith("java.lang.ClassNotFoundException");
    return "; caused by " + cause
        + (missingClass ? " (a class its classpath does not have: is a jar missing?)" : "");
  }
}
