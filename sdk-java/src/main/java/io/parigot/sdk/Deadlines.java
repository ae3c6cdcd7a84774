package io.parigot.sdk;

import java.util.PriorityQueue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.locks.LockSupport;

/**
 * The budget watchdog's clock: runs each task at its deadline, on one thread of its own.
 *
 * <p>Every call a service serves gets a deadline, so this is on the path of every call. A
 * general scheduler wakes its thread whenever a task is added ahead of the others, which, for
 * calls one at a time, is every call: two thread switches per call, felt at the scale of
 * microseconds. Here the thread is woken only when a new deadline is earlier than the one it
 * sleeps until: calls with the same budget arrive in the order of their deadlines, so a busy
 * service costs about one wake-up per budget, not one per call. A cancelled deadline stays
 * queued, marked, until it is due (or until a purge, when many have piled up).
 */
final class Deadlines {
  /** A task and when it is due; {@link #cancel()} makes it skipped. */
  static final class Deadline implements Comparable<Deadline> {
    private final long dueNanos;
    private final Runnable task;
    private volatile boolean cancelled;

    private Deadline(long dueNanos, Runnable task) {
      this.dueNanos = dueNanos;
      this.task = task;
    }

    void cancel() {
      cancelled = true;
    }

    @Override
    public int compareTo(Deadline other) {
      return Long.compare(dueNanos - other.dueNanos, 0);
    }
  }

  private final ConcurrentLinkedQueue<Deadline> intake = new ConcurrentLinkedQueue<>();
  /** Only the clock's thread touches this. */
  private final PriorityQueue<Deadline> pending = new PriorityQueue<>();
  private final Thread thread;
  /** Whether the thread is running tasks (and will look at the intake before it sleeps). */
  private volatile boolean awake = true;
  /** Whether the thread sleeps with nothing pending, until woken. */
  private volatile boolean idle;
  /** When the sleeping thread wakes by itself, in {@link System#nanoTime()}. */
  private volatile long sleepingUntil;
  private int purgeAt = 4096;

  Deadlines(String threadName) {
    thread = new Thread(this::run, threadName);
    thread.setDaemon(true);
    thread.setPriority(Thread.MAX_PRIORITY);
    thread.start();
  }

  /** Runs {@code task} on the clock's thread {@code delayNanos} from now, unless cancelled. */
  Deadline after(long delayNanos, Runnable task) {
    Deadline deadline = new Deadline(System.nanoTime() + delayNanos, task);
    intake.add(deadline);
    // read after the add: a thread about to sleep either saw the add, or published by now
    // when it will wake, and is woken here if that is too late
    if (!awake && (idle || deadline.dueNanos - sleepingUntil < 0)) {
      LockSupport.unpark(thread);
    }
    return deadline;
  }

  private void run() {
    while (true) {
      awake = true;
      take();
      long now = System.nanoTime();
      Deadline head;
      while ((head = pending.peek()) != null && (head.cancelled || head.dueNanos - now <= 0)) {
        pending.poll();
        if (!head.cancelled) {
          try {
            head.task.run();
          } catch (RuntimeException | Error e) {
            System.err.println("parigot: the budget watchdog's task failed:");
            e.printStackTrace();
          }
          now = System.nanoTime();
        }
      }
      idle = head == null;
      if (head != null) {
        sleepingUntil = head.dueNanos;
      }
      awake = false;
      if (!intake.isEmpty()) {
        continue; // added while this looked: take it before sleeping
      }
      if (head == null) {
        LockSupport.park(this);
      } else {
        LockSupport.parkNanos(this, head.dueNanos - System.nanoTime());
      }
    }
  }

  private void take() {
    Deadline added;
    while ((added = intake.poll()) != null) {
      if (!added.cancelled) {
        pending.add(added);
      }
    }
    if (pending.size() >= purgeAt) {
      pending.removeIf(d -> d.cancelled);
      purgeAt = Math.max(4096, pending.size() * 2);
    }
  }
}
