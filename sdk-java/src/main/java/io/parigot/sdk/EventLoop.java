package io.parigot.sdk;

import java.util.PriorityQueue;
import java.util.concurrent.Executor;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/**
 * One service's single thread: every method body, future callback, ready hook and timer of the
 * service runs here, one at a time. Other threads hand work in with {@link #execute}.
 *
 * <p>The loop runs on the thread that calls {@link #run()} (parigot's Run), until {@link
 * #stop()}.
 */
final class EventLoop implements Executor {
  /** The service's name in the deployment, known once it launched (the label before). */
  private final Supplier<String> name;
  private final Log log;
  private final LinkedBlockingQueue<Runnable> queue = new LinkedBlockingQueue<>();
  private final PriorityQueue<LoopTimer> timers = new PriorityQueue<>();
  private volatile Thread thread;
  /** When the task the loop runs now began (System.nanoTime()), or 0 while it waits for work. */
  private volatile long taskStartNanos;
  private boolean stopping;
  private long timerSequence;

  EventLoop(Supplier<String> name) {
    this.name = name;
    this.log = new Log(name);
  }

  @Override
  public void execute(Runnable task) {
    queue.add(task);
  }

  /** The name of the service or program whose loop this is. */
  String name() {
    return name.get();
  }

  boolean inLoop() {
    return Thread.currentThread() == thread;
  }

  Thread thread() {
    return thread;
  }

  /**
   * When the task the loop is running began, on {@link System#nanoTime()}'s clock, or 0 while
   * the loop waits for work; read from other threads (the budget watchdog).
   */
  long taskStartNanos() {
    return taskStartNanos;
  }

  /** Runs the loop on the calling thread until {@link #stop()}. */
  void run() {
    thread = Thread.currentThread();
    try {
      while (!stopping) {
        Runnable task;
        LoopTimer next;
        // a cancelled timer (the give-up timer of a call answered) neither wakes the loop nor
        // counts as one that could bring work: the loop with only those left is idle
        while ((next = timers.peek()) != null && next.cancelled) {
          timers.poll();
        }
        try {
          if (next == null && idle == null) {
            task = queue.take();
          } else if (next == null) {
            task = queue.poll(IDLE_MILLIS, TimeUnit.MILLISECONDS);
            if (task == null) {
              idle.run(); // nothing to do, and no timer that could bring something
              continue;
            }
          } else {
            long wait = next.dueNanos - System.nanoTime();
            task = wait <= 0 ? queue.poll() : queue.poll(wait, TimeUnit.NANOSECONDS);
          }
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          return;
        }
        if (task != null) {
          runTask(task);
        }
        fireDueTimers();
      }
    } finally {
      thread = null;
    }
  }

  /** How long the loop waits with nothing to do and no timer before it runs {@link #idle}. */
  static final long IDLE_MILLIS = 2_000;
  /** What runs when the loop has had nothing to do for a while (a program's), or null. */
  private Runnable idle;

  /** Runs {@code task} on the loop each time it has had nothing to do for 2 s. */
  void whenIdle(Runnable task) {
    idle = task;
  }

  /** Ends {@link #run()} after the tasks already queued. */
  void stop() {
    execute(() -> stopping = true);
  }

  Timer schedule(long delayNanos, long periodNanos, Runnable task) {
    LoopTimer timer = new LoopTimer(System.nanoTime() + delayNanos, periodNanos, task);
    if (inLoop()) {
      add(timer);
    } else {
      execute(() -> add(timer));
    }
    return timer;
  }

  private void add(LoopTimer timer) {
    timer.sequence = timerSequence++;
    timers.add(timer);
  }

  private void fireDueTimers() {
    long now = System.nanoTime();
    LoopTimer due;
    while ((due = timers.peek()) != null && due.dueNanos <= now) {
      timers.poll();
      if (due.cancelled) {
        continue;
      }
      if (due.periodNanos > 0) {
        due.dueNanos += due.periodNanos;
        add(due);
      }
      runTask(due.task);
    }
  }

  private void runTask(Runnable task) {
    long start = System.nanoTime();
    taskStartNanos = start == 0 ? 1 : start;
    try {
      task.run();
    } catch (RuntimeException | Error e) {
      // a timer or a callback that threw: every line of it under the service's name, as the
      // failure of a method body is logged
      log.error("a task on the event loop (a timer or a callback) threw; the loop goes on", e);
    } finally {
      taskStartNanos = 0;
    }
  }

  private static final class LoopTimer implements Timer, Comparable<LoopTimer> {
    long dueNanos;
    final long periodNanos;
    final Runnable task;
    long sequence;
    volatile boolean cancelled;

    LoopTimer(long dueNanos, long periodNanos, Runnable task) {
      this.dueNanos = dueNanos;
      this.periodNanos = periodNanos;
      this.task = task;
    }

    @Override
    public void cancel() {
      cancelled = true;
    }

    @Override
    public int compareTo(LoopTimer other) {
      int byTime = Long.compare(dueNanos - other.dueNanos, 0);
      return byTime != 0 ? byTime : Long.compare(sequence, other.sequence);
    }
  }
}
