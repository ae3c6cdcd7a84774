package io.parigot.sdk;

import io.parigot.control.ChildContract;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;

/**
 * Holds one service's methods to their budget (parigot's rule: answer within 50 ms, or return an
 * id to poll).
 *
 * <p>A call's budget runs from when the call reaches the service, so time spent queued for the
 * event loop counts. When it runs out before the answer, the caller is answered with the budget
 * error at once, from the watchdog's own thread. If the loop is at that moment inside the
 * call's method body, and still is once the body itself has run for the budget, the service is
 * wedged: the watchdog reports the method and the loop thread's stack, and the service is ended
 * (by the orchestrator under {@code parigot up}). Otherwise the call is an overrun: counted, and
 * the service goes on. An overrun whose body had returned, its future still pending, is also
 * told in the service's own log (its 1st, 10th, 100th, ... of each method): nothing else on the
 * service's side shows a future that waits on something slow, or on nothing at all.
 */
final class BudgetWatchdog {
  /** parigot's budget: a method answers within this, or returns an operation id. */
  static final Duration DEFAULT_BUDGET = Duration.ofMillis(50);
  /**
   * A caller gives up this long after the callee's budget when no answer came at all: the
   * promise is to hear within the budget plus 10 ms, and handing the failure to the caller's
   * loop takes a millisecond or two of the ten.
   */
  static final Duration CALLER_MARGIN = Duration.ofMillis(8);

  /**
   * The first calls a JVM serves, and the first it makes, run gRPC's and the service's code in
   * the interpreter: milliseconds a hop, and a chain of services just started takes far longer
   * than its budget the first time. For that many calls each way, budgets are
   * {@link #WARM_UP_FACTOR} times as long; a wedge is still killed, at the longer budget.
   */
  static final int WARM_UP_CALLS = ChildContract.WARM_UP_CALLS;
  static final int WARM_UP_FACTOR = ChildContract.WARM_UP_FACTOR;
  /** A body that waits for a CPU is let run for this many budgets at most before a kill. */
  static final int STARVED_LIMIT = 10;
  private static final AtomicLong SERVED = new AtomicLong();
  private static final AtomicLong MADE = new AtomicLong();

  static final Deadlines CLOCK = new Deadlines("parigot-budget-watchdog");
  /** Reports wedges, off the watchdog's thread; started ahead, as a kill must not wait for it. */
  private static final ExecutorService REPORTS = Executors.newSingleThreadExecutor(task -> {
    Thread thread = new Thread(task, "parigot-budget-report");
    thread.setDaemon(true);
    return thread;
  });

  private final String service;
  private final Backend backend;
  private final Duration defaultBudget;
  private final Log log;
  private final EventLoop loop;
  /** The start of the loop task last told as stuck: each stuck task is told once. */
  private final AtomicLong stuckTaskTold = new AtomicLong();
  private final AtomicLong overruns = new AtomicLong();
  /** Per method, the overruns whose future was still pending: the 1st, 10th, ... are logged. */
  private final ConcurrentHashMap<String, AtomicLong> pending = new ConcurrentHashMap<>();
  private final AtomicLong wedges = new AtomicLong();
  private volatile Call running;
  private volatile Thread loopThread;
  /** What the scheduler says of {@link #loopThread}, or null where it says nothing. */
  private volatile ThreadSched loopSched;
  private final Supplier<ThreadSched> schedOfCurrentThread;

  BudgetWatchdog(String service, Backend backend, Duration defaultBudget, Log log,
      EventLoop loop) {
    this(service, backend, defaultBudget, log, loop, ThreadSched::ofCurrentThread);
  }

  BudgetWatchdog(String service, Backend backend, Duration defaultBudget, Log log,
      EventLoop loop, Supplier<ThreadSched> schedOfCurrentThread) {
    this.schedOfCurrentThread = schedOfCurrentThread;
    this.service = service;
    this.backend = backend;
    this.defaultBudget = defaultBudget;
    this.log = log;
    this.loop = loop;
    loadTheFailurePath();
  }

  /**
   * Loads the classes the budget's failure path needs, at start: the first budget error of a
   * service must not spend its caller's last milliseconds loading classes.
   */
  private static void loadTheFailurePath() {
    Throwable sent = Wire.budgetExceeded("parigot.Warm/Up", DEFAULT_BUDGET, DEFAULT_BUDGET);
    io.grpc.Status status = io.grpc.Status.fromThrowable(sent);
    io.grpc.Status.trailersFromThrowable(sent);
    new Wire.CallFailedException(status).getMessage();
    CLOCK.after(0, () -> { }).cancel();
    REPORTS.execute(() -> frame(new Throwable().getStackTrace()[0]));
  }

  /** The budget of a method: its own (a .proto option), else the service's. */
  Duration budgetOf(Duration methodBudget) {
    return methodBudget != null ? methodBudget : defaultBudget;
  }

  /** A call's budget as a message says it (see {@link ChildContract#budgetText}). */
  static String budgetText(Duration thisCall, Duration methodBudget) {
    return ChildContract.budgetText(thisCall.toMillis(),
        methodBudget == null ? 0 : methodBudget.toMillis());
  }

  /** The budget of one call this JVM serves: {@code budget}, longer while the JVM warms up. */
  static Duration served(Duration budget) {
    return SERVED.incrementAndGet() <= WARM_UP_CALLS ? budget.multipliedBy(WARM_UP_FACTOR)
        : budget;
  }

  /** The budget of one call this JVM makes: {@code budget}, longer while the JVM warms up. */
  static Duration made(Duration budget) {
    return MADE.incrementAndGet() <= WARM_UP_CALLS ? budget.multipliedBy(WARM_UP_FACTOR)
        : budget;
  }

  long overruns() {
    return overruns.get();
  }

  long wedges() {
    return wedges.get();
  }

  /**
   * A call reached the service; {@code expire} answers its caller with the budget error, and is
   * run at most once, instead of the method's own answer.
   */
  Call arrive(String method, Duration budget, Duration methodBudget, Runnable expire) {
    Call call = new Call(method, budget.toNanos(), methodBudget, expire);
    call.timer = CLOCK.after(call.budgetNanos, call::budgetRanOut);
    return call;
  }

  /** One call's budget, from its arrival to its answer. */
  final class Call {
    private final String method;
    private final long arrivedNanos = System.nanoTime();
    private final long budgetNanos;
    private final Duration methodBudget;
    private final Runnable expire;
    private final AtomicBoolean answered = new AtomicBoolean();
    private volatile Deadlines.Deadline timer;
    private volatile long bodyStartNanos;
    private volatile boolean returned;
    private volatile boolean lateWhileRunning;
    /** An overrun or a wedge is counted once per call, whoever sees it first. */
    private final AtomicBoolean counted = new AtomicBoolean();
    /** When the watchdog last saw the body wait for a CPU, and the wait then; its thread only. */
    private boolean looked;
    private long lookedAtNanos;
    private long waitedAtLook;

    private Call(String method, long budgetNanos, Duration methodBudget, Runnable expire) {
      this.method = method;
      this.budgetNanos = budgetNanos;
      this.methodBudget = methodBudget;
      this.expire = expire;
    }

    /**
     * On the loop, before the body: whether to run it. A call whose budget ran out while it was
     * queued is not run; its caller has heard already (or hears now).
     */
    boolean begin() {
      if (answered.get()) {
        return false;
      }
      if (System.nanoTime() - arrivedNanos >= budgetNanos) {
        budgetRanOut();
        return false;
      }
      Thread current = Thread.currentThread();
      if (loopThread != current) {
        loopSched = schedOfCurrentThread.get(); // once per loop thread
        loopThread = current;
      }
      bodyStartNanos = System.nanoTime();
      running = this;
      return true;
    }

    /** On the loop, after the body returned (its future may still be pending). */
    void bodyReturned() {
      running = null;
      returned = true;
      if (lateWhileRunning && counted.compareAndSet(false, true)) {
        overrun();
      }
    }

    /** Whether the method's own answer may be sent: false once the budget answered instead. */
    boolean answer() {
      if (!answered.compareAndSet(false, true)) {
        return false;
      }
      Deadlines.Deadline t = timer;
      if (t != null) {
        t.cancel();
      }
      return true;
    }

    /**
     * The budget from arrival ran out: answer the caller, then judge the loop (in this order: a
     * wedge is killed within a few milliseconds, and the caller's answer must leave first).
     */
    private void budgetRanOut() {
      if (!answered.compareAndSet(false, true)) {
        return;
      }
      try {
        expire.run();
      } catch (RuntimeException e) {
        // the caller went away meanwhile: nobody to tell
      }
      // Written before running is read, as bodyReturned() writes running before reading this:
      // of a body ending now and this check, at least one sees the other.
      lateWhileRunning = true;
      if (running != this) {
        if (counted.compareAndSet(false, true)) {
          overrun();
          if (returned) {
            pendingAtBudget();
          } else if (bodyStartNanos == 0) {
            queuedBehindAStuckTask();
          }
        }
        return;
      }
      // The body is running: it is wedged once it has itself run for the whole budget.
      long now = System.nanoTime();
      long left = bodyStartNanos + budgetNanos - now;
      if (left <= 0) {
        checkWedged(arrivedNanos + budgetNanos);
      } else {
        long due = now + left;
        timer = CLOCK.after(left, () -> checkWedged(due));
      }
    }

    /**
     * Kills a body still running at {@code dueNanos}, its budget's end. Unless the watchdog
     * itself looks more than a budget late: then the JVM was not running (stopped by SIGSTOP or
     * a debugger, a suspended machine) or the machine stalled, and the body's time is the
     * watchdog's too, not what the body did. It looks again one budget later, and a body that is
     * wedged is still running then.
     */
    private void checkWedged(long dueNanos) {
      if (running != this) {
        return; // it returned in time after all: bodyReturned() counted the overrun
      }
      long now = System.nanoTime();
      if (now - dueNanos > budgetNanos) {
        long due = now + budgetNanos;
        timer = CLOCK.after(budgetNanos, () -> checkWedged(due));
        return;
      }
      if (waitsForACpu(now)) {
        long window = budgetNanos / 2;
        long due = now + window;
        timer = CLOCK.after(window, () -> checkWedged(due));
        return;
      }
      if (!counted.compareAndSet(false, true)) {
        return;
      }
      Thread thread = loopThread;
      StackTraceElement[] stack = thread == null ? new StackTraceElement[0] : thread.getStackTrace();
      long ranMicros = (now - bodyStartNanos) / 1000;
      long lateMicros = (now - bodyStartNanos - budgetNanos) / 1000;
      Instant deadline = Instant.now().minusNanos(lateMicros * 1000);
      wedges.incrementAndGet();
      Wedge wedge = new Wedge(service, method, Duration.ofNanos(budgetNanos), methodBudget,
          Duration.ofNanos(ranMicros * 1000), stack, deadline);
      // reporting may block; the watchdog's own thread keeps watching the other calls
      REPORTS.execute(() -> backend.budgetWedged(wedge));
    }

    /**
     * Whether the body may be waiting for a CPU rather than be wedged: its thread is runnable (a
     * body blocked in a sleep, a lock or I/O is not, and is killed at once), and it has not
     * been seen to get a CPU for most of the time since it was last looked at. The first look
     * at a runnable body only notes its wait, and the watchdog looks again half a budget later:
     * a body that spins gets a CPU meanwhile and is killed then; one that has had none goes on,
     * for ten budgets at most, since on a machine busy enough a spinning body gets little CPU
     * too. Without the scheduler's word (not Linux), none waits.
     */
    private boolean waitsForACpu(long now) {
      ThreadSched sched = loopSched;
      if (sched == null || now - bodyStartNanos >= STARVED_LIMIT * budgetNanos
          || sched.state() != 'R') {
        return false;
      }
      long waited = sched.waitedNanos();
      if (waited < 0) {
        return false;
      }
      boolean starved = !looked || waited - waitedAtLook > (now - lookedAtNanos) / 2;
      looked = true;
      lookedAtNanos = now;
      waitedAtLook = waited;
      return starved;
    }

    private void overrun() {
      overruns.incrementAndGet();
      backend.budgetOverrun(method, Duration.ofNanos(budgetNanos));
    }

    /**
     * The call waited in the queue for its whole budget. When the loop has been in one task
     * that is no method body (a timer, a future callback, ready, an exit hook) for all that
     * time, that task blocks the loop: say where it is, as the wedge of a method body is said.
     * A long queue of short tasks is an overload, and is not told.
     */
    private void queuedBehindAStuckTask() {
      long start = loop.taskStartNanos();
      long now = System.nanoTime();
      if (start == 0 || running != null || now - start < budgetNanos
          || stuckTaskTold.getAndSet(start) == start) {
        return;
      }
      Thread thread = loop.thread();
      StackTraceElement[] stack = thread == null ? new StackTraceElement[0] : thread.getStackTrace();
      if (loop.taskStartNanos() != start) {
        return; // the task ended meanwhile: the stack is of another
      }
      StringBuilder text = new StringBuilder("the event loop has been in one task for "
          + (now - start) / 1_000_000 + " ms, and it is no method body (a timer, a future "
          + "callback, ready or an exit hook): " + method + " waited behind it past its "
          + budgetText(Duration.ofNanos(budgetNanos), methodBudget) + ", and its caller got "
          + "the budget error.\n");
      appendStack(text, stack, "  It is at: ");
      text.append("  Never block the loop: do blocking work in an operation "
          + "(docs/sdk.md#long-running-work).");
      log.warn(text.toString());
    }

    /** The body returned in time, its future did not complete within the budget: say so. */
    private void pendingAtBudget() {
      long count = pending.computeIfAbsent(method, m -> new AtomicLong()).incrementAndGet();
      if (!isPowerOfTen(count)) {
        return;
      }
      log.warn("method " + method + " returned a future that was still pending when its "
          + budgetText(Duration.ofNanos(budgetNanos), methodBudget) + " ran out; its caller got "
          + "the budget error (its overrun " + count + "; told at the 1st, 10th, 100th, ... of each "
          + "method).\n  The future waits on something slower than the budget (a slow "
          + "service, a timer) or on nothing at all (a Promise that is never completed).\n  "
          + "Return an operation id for long work (docs/sdk.md#long-running-work).");
    }
  }

  /**
   * A service whose loop is stuck in a method body past its budget.
   *
   * @param service the service's name
   * @param method the full gRPC method name
   * @param budget the call's budget
   * @param methodBudget the method's own budget, which {@code budget} is a multiple of while the
   *     JVM warms up
   * @param ran how long the body had run when the watchdog looked
   * @param stack where the loop thread was then
   * @param deadline when the budget ran out
   */
  record Wedge(String service, String method, Duration budget, Duration methodBudget,
      Duration ran, StackTraceElement[] stack, Instant deadline) {

    /** The line a developer acts on, then where the loop was, then what to do instead. */
    String describe() {
      StringBuilder text = new StringBuilder();
      text.append(service).append(": method ").append(simpleMethod()).append(" ran past its ")
          .append(budgetText(budget, methodBudget)).append(" (").append(ran.toMillis())
          .append(" ms so far) and the service is being killed.\n");
      appendStack(text, stack, "  It was at: ");
      text.append("  Return an operation id for long work (docs/sdk.md#long-running-work).");
      return text.toString();
    }

    private String simpleMethod() {
      return method.substring(method.lastIndexOf('/') + 1);
    }

    /** The top {@code frames} frames of the stack, one per line. */
    String stackText(int frames) {
      StringBuilder text = new StringBuilder();
      for (int i = 0; i < stack.length && i < frames; i++) {
        text.append(frame(stack[i])).append('\n');
      }
      return text.toString();
    }
  }

  /** The top 12 frames of {@code stack}, the first after {@code first}, one a line. */
  static void appendStack(StringBuilder text, StackTraceElement[] stack, String first) {
    int shown = 0;
    for (StackTraceElement frame : stack) {
      if (shown == 12) {
        text.append("    ...\n");
        break;
      }
      text.append(shown == 0 ? first : "    at ").append(frame(frame)).append('\n');
      shown++;
    }
  }

  private static boolean isPowerOfTen(long n) {
    while (n >= 10 && n % 10 == 0) {
      n /= 10;
    }
    return n == 1;
  }

  /** A frame as a developer reads it: {@code pkg.Class.method(File.java:31)}. */
  static String frame(StackTraceElement frame) {
    String where = frame.isNativeMethod() ? "Native Method"
        : frame.getFileName() == null ? "Unknown Source"
        : frame.getLineNumber() >= 0 ? frame.getFileName() + ":" + frame.getLineNumber()
        : frame.getFileName();
    return frame.getClassName() + "." + frame.getMethodName() + "(" + where + ")";
  }
}
