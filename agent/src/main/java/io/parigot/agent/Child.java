package io.parigot.agent;

import static io.parigot.control.ChildContract.TOKEN_ENV;
import static io.parigot.control.ChildContract.WEDGED_PREFIX;

import io.parigot.control.ProcStat;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * A JVM the agent started. Its stdin stays open for as long as the agent lives: the child's SDK
 * exits when it closes, so no child outlives its agent.
 */
public final class Child {
  /** What the names of the child contract's variables start with. */
  private static final String CONTRACT_PREFIX = "PARIGOT_";

  private final ChildSpec spec;
  private final Process process;
  private final CompletableFuture<Integer> exit = new CompletableFuture<>();
  private volatile boolean leftoversKilled;
  /** Whether {@link #terminate()} asked it to stop. */
  private volatile boolean terminating;

  private Child(ChildSpec spec, Process process) {
    this.spec = spec;
    this.process = process;
  }

  static Child start(ChildSpec spec, ChildListener listener) throws IOException {
    ProcessBuilder builder = new ProcessBuilder(spec.command())
        .directory(spec.workingDirectory().toFile())
        .redirectInput(ProcessBuilder.Redirect.PIPE);
    // PARIGOT_ names are the contract between a child and its orchestrator, set for each child
    // by its spec: one the agent inherited (a shell's export, a parigot up run from inside a
    // service) is not meant for it, and would reach it as if it were (PARIGOT_HOST had a
    // service serve on every interface, at an address nobody chose)
    builder.environment().keySet().removeIf(name -> name.startsWith(CONTRACT_PREFIX));
    builder.environment().putAll(spec.environment());
    Child child = new Child(spec, builder.start());
    Thread out = child.pump(child.process.getInputStream(), false, listener);
    Thread err = child.pump(child.process.getErrorStream(), true, listener);
    Thread waiter = new Thread(() -> {
      int code;
      try {
        code = child.process.waitFor();
        // what it started ends with it, however it ended (unless kill() saw to it already)
        String token = spec.environment().get(TOKEN_ENV);
        if (token != null && !token.isEmpty() && !child.leftoversKilled) {
          killStartedBy(token);
        }
        out.join();
        err.join();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return;
      }
      listener.exited(child, code);
      child.exit.complete(code);
    }, "parigot-wait-" + spec.name());
    waiter.setDaemon(true);
    waiter.start();
    return child;
  }

  private Thread pump(InputStream stream, boolean error, ChildListener listener) {
    Thread reader = new Thread(() -> {
      try (BufferedReader lines =
          new BufferedReader(new InputStreamReader(stream, StandardCharsets.UTF_8))) {
        String token = spec.environment().get(TOKEN_ENV);
        String wedged = error && token != null && !token.isEmpty()
            ? WEDGED_PREFIX + token + " " : null;
        String line;
        while ((line = lines.readLine()) != null) {
          int at = wedged == null ? -1 : line.indexOf(wedged);
          if (at >= 0) {
            long read = epochMicros();
            // SIGKILL and nothing else: the kill is timed from the budget's end; what the child
            // started (a scan of every process, milliseconds) is found once it has exited
            process.destroyForcibly();
            long killed = epochMicros();
            listener.wedged(this, line.substring(at + wedged.length()), read, killed);
            if (at > 0) {
              listener.output(this, line.substring(0, at), error); // another thread's output
            }
          } else {
            listener.output(this, line, error);
          }
        }
      } catch (IOException e) {
        // the child is gone; the waiter reports its exit
      }
    }, "parigot-" + (error ? "err-" : "out-") + spec.name());
    reader.setDaemon(true);
    reader.start();
    return reader;
  }

  /**
   * Kills the processes a killed child left behind: those that carry its one-time token in their
   * environment, inherited from it (its parent link is gone once it died).
   */
  private static void killStartedBy(String token) {
    byte[] mark = (TOKEN_ENV + "=" + token).getBytes(StandardCharsets.UTF_8);
    long self = ProcessHandle.current().pid();
    ProcessHandle.allProcesses().filter(p -> p.pid() != self).forEach(p -> {
      try {
        byte[] environment = java.nio.file.Files.readAllBytes(
            java.nio.file.Path.of("/proc", Long.toString(p.pid()), "environ"));
        if (contains(environment, mark)) {
          p.destroyForcibly();
        }
      } catch (IOException | SecurityException e) {
        // gone, or not ours to read
      }
    });
  }

  private static boolean contains(byte[] environment, byte[] entry) {
    // entries are NUL-separated; match a whole entry
    outer:
    for (int start = 0; start + entry.length <= environment.length; ) {
      for (int i = 0; i < entry.length; i++) {
        if (environment[start + i] != entry[i]) {
          int nul = start;
          while (nul < environment.length && environment[nul] != 0) {
            nul++;
          }
          start = nul + 1;
          continue outer;
        }
      }
      int end = start + entry.length;
      if (end == environment.length || environment[end] == 0) {
        return true;
      }
      start = end;
    }
    return false;
  }

  private static long epochMicros() {
    java.time.Instant now = java.time.Instant.now();
    return now.getEpochSecond() * 1_000_000 + now.getNano() / 1000;
  }

  /** The name given in its spec. */
  public String name() {
    return spec.name();
  }

  public long pid() {
    return process.pid();
  }

  public boolean isAlive() {
    return process.isAlive();
  }

  /**
   * Whether the child is stopped by a signal (SIGSTOP, SIGTSTP, ...) or held by a debugger: it
   * runs no code, so answers no call, until it gets SIGCONT. Read from {@code /proc}; false where
   * there is none.
   */
  public boolean isSuspended() {
    return ProcStat.of(pid()).map(ProcStat::state)
        .map(state -> state == 'T' || state == 't').orElse(false);
  }

  /** Whether {@link #terminate()} has asked the child to stop: it is ending, if not yet gone. */
  public boolean isTerminating() {
    return terminating;
  }

  /** Completes with the exit code once the child has ended and its output is read. */
  public CompletableFuture<Integer> onExit() {
    return exit;
  }

  /**
   * Asks the child to stop: SIGTERM, then SIGCONT when it is suspended, as systemd stops a unit.
   * A JVM stopped by a signal ({@code parigot kill --signal STOP}, {@code kill -STOP}) acts on the
   * SIGTERM only once it runs again; without the SIGCONT it would sit out its grace period until
   * SIGKILL, its exit hooks skipped.
   */
  public void terminate() {
    terminating = true;
    sendTerm();
    if (isSuspended()) {
      try {
        send("CONT");
      } catch (IOException e) {
        // it stays stopped, and is killed once its grace period is over, as before
      }
    }
  }

  /** SIGTERM and nothing else. */
  private void sendTerm() {
    // Not Process.destroy(): it also closes the child's stdin, which the SDK reads as "the
    // orchestrator is gone" and answers with SIGKILL to itself, skipping its shutdown (and the
    // class-data archive it writes at exit), and closes its output before its last lines.
    process.toHandle().destroy();
  }

  /**
   * Kills the child at once (SIGKILL), then what it started: found by its token when it has one
   * (so the SIGKILL waits for no scan of the process table), else as its descendants beforehand.
   */
  public void kill() {
    String token = spec.environment().get(TOKEN_ENV);
    if (token != null && !token.isEmpty()) {
      process.destroyForcibly();
      // now, not only once it has exited: kill() also runs as the orchestrator's JVM shuts down
      leftoversKilled = true;
      killStartedBy(token);
      return;
    }
    List<ProcessHandle> descendants = process.descendants().toList();
    process.destroyForcibly();
    descendants.forEach(ProcessHandle::destroyForcibly);
  }

  /** Whether {@link #signal} knows {@code signal}. */
  public static boolean isKnownSignal(String signal) {
    return KNOWN_SIGNALS.contains(signalName(signal));
  }

  /** The signals {@link #signal} sends, by name (its switch names the same), and their list. */
  private static final java.util.Set<String> KNOWN_SIGNALS = java.util.Set.of("KILL", "TERM",
      "INT", "HUP", "QUIT", "USR1", "USR2", "STOP", "CONT");
  public static final String SIGNALS = "TERM, KILL, INT, HUP, QUIT, USR1, USR2, STOP, CONT (or "
      + "1, 2, 3, 9, 15)";

  /**
   * A signal's name as {@code kill -s} takes it, from a name with or without {@code SIG}, in any
   * case, or from one of the numbers POSIX fixes (1, 2, 3, 9, 15); other numbers differ between
   * systems, and stay as given (so that {@link #signal} refuses them).
   */
  public static String signalName(String signal) {
    String name = signal.strip().toUpperCase(Locale.ROOT).replaceFirst("^SIG", "");
    return switch (name) {
      case "1" -> "HUP";
      case "2" -> "INT";
      case "3" -> "QUIT";
      case "9" -> "KILL";
      case "15" -> "TERM";
      default -> name;
    };
  }

  /**
   * Sends a signal by name (TERM, KILL, INT, HUP, QUIT, USR1, USR2, STOP, CONT) or by one of
   * the numbers POSIX fixes (see {@link #signalName}).
   */
  public void signal(String signal) throws IOException {
    String name = signalName(signal);
    switch (name) {
      case "KILL" -> kill();
      case "TERM" -> sendTerm(); // the signal asked for alone: a suspended JVM stays suspended
      case "INT", "HUP", "QUIT", "USR1", "USR2", "STOP", "CONT" -> send(name);
      default -> throw new IllegalArgumentException("unknown signal '" + signal
          + "'; use one of " + SIGNALS);
    }
  }

  /** Sends the signal {@code kill -s} calls {@code name} (Java sends only TERM and KILL). */
  private void send(String name) throws IOException {
    Process kill = new ProcessBuilder("kill", "-s", name, Long.toString(pid()))
        .redirectErrorStream(true).start();
    try {
      if (!kill.waitFor(5, TimeUnit.SECONDS) || kill.exitValue() != 0) {
        throw new IOException("kill -s " + name + " " + pid() + " failed");
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException("interrupted while signalling " + pid(), e);
    }
  }
}
