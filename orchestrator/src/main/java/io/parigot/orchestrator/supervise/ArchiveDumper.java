package io.parigot.orchestrator.supervise;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * Dumps the static class-data archives of services from the classes their first run listed
 * ({@code java -Xshare:dump}), in the background, as many at once as the machine has cores (four
 * at most): a dump takes a JVM and a few seconds of CPU, and they run once the services they are
 * for have exited, most of them when the first run of a deployment stops. No dumping JVM
 * outlives the orchestrator: {@link #cancel} kills those running (a second Ctrl-C, or the wait
 * for them ran out), and so does the JVM's shutdown; on Linux the kernel kills them when the
 * orchestrator dies of SIGKILL.
 */
final class ArchiveDumper {
  /** How long one dump may take; one that takes longer is killed, and recorded again next run. */
  static final Duration DUMP_LIMIT = Duration.ofSeconds(60);
  /** For a dump that fails at every run, what stops the trying. */
  private static final String TURN_OFF = " (archive: false in deploy.yaml turns its archive off)";

  private final Path workingDirectory;
  private final DeploymentOutput output;
  private final ExecutorService thread;
  private final Thread reaper = new Thread(this::cancel, "parigot-archive-reaper");
  /** Dumps asked for and not finished; guarded by {@code this}. */
  private int pending;
  private volatile boolean cancelled;
  private final Set<Process> running = ConcurrentHashMap.newKeySet();

  /** Dumps in {@code workingDirectory} (the services'), warning {@code output} of failures. */
  ArchiveDumper(Path workingDirectory, DeploymentOutput output) {
    this.workingDirectory = workingDirectory;
    this.output = output;
    int cores = Math.max(1, Math.min(4, Runtime.getRuntime().availableProcessors()));
    this.thread = Executors.newFixedThreadPool(cores, r -> {
      Thread t = new Thread(r, "parigot-archive-dump");
      t.setDaemon(true);
      return t;
    });
    Runtime.getRuntime().addShutdownHook(reaper);
  }

  /**
   * Queues the dump of {@code service}'s archive: {@code command} is to write {@code archive}.
   * {@code done} hears, on the dumping thread, whether it did; a dump that failed has been
   * reported, one that was cancelled has not.
   */
  void dump(String service, List<String> command, Path archive, Consumer<Boolean> done) {
    synchronized (this) {
      pending++;
    }
    try {
      thread.execute(() -> {
        boolean dumped = false;
        try {
          dumped = !cancelled && run(service, command, archive);
        } finally {
          finished(done, dumped);
        }
      });
    } catch (RejectedExecutionException e) {
      finished(done, false); // closed: the orchestrator is on its way out
    }
  }

  private void finished(Consumer<Boolean> done, boolean dumped) {
    try {
      done.accept(dumped);
    } finally {
      synchronized (this) {
        pending--;
        notifyAll();
      }
    }
  }

  /** How many dumps are queued or running. */
  synchronized int pending() {
    return pending;
  }

  /** Waits until no dump is queued or running, {@code limit} at most; whether none is. */
  synchronized boolean awaitAll(Duration limit) throws InterruptedException {
    long deadline = System.nanoTime() + limit.toNanos();
    while (pending > 0) {
      long left = deadline - System.nanoTime();
      if (left <= 0) {
        return false;
      }
      TimeUnit.NANOSECONDS.timedWait(this, left);
    }
    return true;
  }

  /** Whether {@link #cancel} was called: no dump runs any more. */
  boolean isCancelled() {
    return cancelled;
  }

  /** Kills the dumps running, if any, and drops those queued: their services record again. */
  void cancel() {
    cancelled = true;
    for (Process process : running) {
      process.descendants().forEach(ProcessHandle::destroyForcibly);
      process.destroyForcibly();
    }
  }

  /** Cancels what is left and ends the dumping thread. */
  void close() {
    cancel();
    thread.shutdownNow();
    try {
      Runtime.getRuntime().removeShutdownHook(reaper);
    } catch (IllegalStateException e) {
      // already shutting down: the hook runs anyway
    }
  }

  private boolean run(String service, List<String> command, Path archive) {
    Path log = archive.resolveSibling(archive.getFileName() + ".log");
    Process process = null;
    try {
      List<String> full = new ArrayList<>();
      // killed with the thread that starts it, which waits for the dump (see ParentDeathSignal)
      full.addAll(ParentDeathSignal.prefix());
      full.addAll(command);
      process = new ProcessBuilder(full).directory(workingDirectory.toFile())
          .redirectErrorStream(true).redirectOutput(log.toFile()).start();
      running.add(process);
      if (cancelled) {
        process.destroyForcibly(); // cancelled as it started: cancel() did not see it
      }
      boolean ended = process.waitFor(DUMP_LIMIT.toMillis(), TimeUnit.MILLISECONDS);
      if (!ended) {
        process.destroyForcibly().waitFor();
      }
      if (cancelled) {
        return false;
      }
      if (ended && process.exitValue() == 0 && Files.isRegularFile(archive)) {
        return true;
      }
      String said = Files.readString(log).strip();
      output.warn("could not record the class-data archive of service \"" + service + "\" ("
          + (ended ? "java -Xshare:dump exited with code " + process.exitValue()
              : "java -Xshare:dump took over " + Supervisor.describe(DUMP_LIMIT))
          + (said.isEmpty() ? "" : ": " + said.lines().reduce((a, b) -> b).orElse(""))
          + "); it starts without one, and its next run tries again" + TURN_OFF);
      return false;
    } catch (IOException e) {
      output.warn("could not record the class-data archive of service \"" + service + "\": "
          + e.getMessage() + "; it starts without one, and its next run tries again" + TURN_OFF);
      return false;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    } finally {
      if (process != null) {
        process.destroyForcibly();
        running.remove(process);
      }
      try {
        Files.deleteIfExists(log);
      } catch (IOException e) {
        // the next plan of the service removes it with its other files
      }
    }
  }
}
