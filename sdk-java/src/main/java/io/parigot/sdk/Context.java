package io.parigot.sdk;

import static io.parigot.control.ChildContract.STOP_GRACE_ENV;

import io.grpc.ServerServiceDefinition;
import io.parigot.control.v1.Endpoint;
import io.parigot.control.v1.Location;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.BiConsumer;

/**
 * A service or program as its own code sees it: what it requires, its launch, its event loop,
 * Locate, timers and Exit. Created with {@link Parigot#service} or {@link Parigot#program}.
 *
 * <pre>{@code
 * Context hello = Parigot.program("hello").require(Greeting.SERVICE);
 * hello.launch()
 *     .compose(ready -> GreetingClient.locate(hello).fetchGreeting(request))
 *     .onSuccess(response -> { System.out.println(response.getGreeting()); hello.exit(0); })
 *     .onFailure(error -> hello.exit(1));
 * hello.run();
 * }</pre>
 *
 * <p>Everything here is meant to be called on the context's event loop (or on the main thread
 * before {@link #run()}); callbacks always arrive there.
 */
public final class Context {
  private final String label;
  private final List<ServiceBinding> bindings;
  private final Set<ServiceRef> requires = new LinkedHashSet<>();
  private final EventLoop loop;
  private final List<Runnable> exitHooks = new ArrayList<>();
  private final Map<String, Location> located = new HashMap<>();
  private final Log log = new Log(this::serviceName);
  /** Counted down once the exit hooks have run, or the loop has ended without them. */
  private final CountDownLatch exitHooksDone = new CountDownLatch(1);
  /** Counted down once {@link #run()} has closed the backend's server, channels and threads. */
  private final CountDownLatch backendClosed = new CountDownLatch(1);
  private Backend backend;
  private BudgetWatchdog watchdog;
  private Operations operations;
  private String serviceName;
  private Future<Context> launched;
  private Integer exitCode;

  Context(String label, List<ServiceBinding> bindings, Backend backend) {
    this.label = label;
    this.bindings = List.copyOf(bindings);
    this.backend = backend;
    this.serviceName = label;
    this.loop = new EventLoop(this::serviceName);
    if (this.bindings.isEmpty()) {
      // a program ends by exit(); one that waits for a future that failed unseen never does
      loop.whenIdle(this::idle);
    }
  }

  /** A program's loop has had nothing to do for a while: says so if a failure went unseen. */
  private void idle() {
    Throwable unhandled = Future.takeUnhandled();
    if (unhandled != null && exitCode == null) {
      log().warn("nothing to do for " + EventLoop.IDLE_MILLIS / 1000 + " s (no call in flight, "
          + "no timer) since a future failed that no callback handled: " + unhandled
          + ". A program ends with exit(); onSuccess alone ignores a failure: give the future "
          + "an onFailure (or onComplete) that exits, or handles it");
    }
  }

  /**
   * Declares services this one needs (parigot's MustRequire). Its launch succeeds only once
   * every one of them is ready, and only these can be located. Call before {@link #launch()}.
   */
  public Context require(ServiceRef... services) {
    if (launched != null) {
      throw new IllegalStateException(serviceName + ": require(...) must come before launch()");
    }
    requires.addAll(List.of(services));
    return this;
  }

  /** The name of this service in the deployment (deploy.yaml), or the name it was created with. */
  public String serviceName() {
    return serviceName;
  }

  /**
   * Launches: registers with the deployment, waits until every required service is ready, runs
   * the ready hooks of the exported services, and becomes locatable. The future succeeds then,
   * or fails with a {@link LaunchFailure}. When it fails, the service exits with code 1 after
   * the future's callbacks ran.
   */
  public Future<Context> launch() {
    if (launched != null) {
      return launched;
    }
    Promise<Context> promise = Promise.promise();
    launched = promise.future();
    if (backend == null) {
      backend = Together.backendFor(this);
    }
    if (backend == null) {
      backend = ControlPlaneBackend.fromEnvironment();
    }
    if (backend == null) {
      promise.fail(new LaunchFailure(LaunchFailure.Reason.REFUSED, label
          + ": this JVM was not started by `parigot up` (" + io.parigot.control.ChildContract.CONTROL_ENV
          + " is not set). Start it from a deploy.yaml (parigot up deploy.yaml), or run it with"
          + " others in this JVM through io.parigot.sdk.Together", null));
      failLaunch(promise.future().cause());
      return launched;
    }
    serviceName = backend.serviceName(label);
    List<ServerServiceDefinition> definitions = new ArrayList<>();
    List<String> exports = new ArrayList<>();
    watchdog = new BudgetWatchdog(serviceName, backend, backend.budget(), log, loop);
    for (ServiceBinding binding : bindings) {
      definitions.add(binding.bindTo(loop, watchdog, operations(), log));
      exports.add(binding.service().fullName());
    }
    Endpoint endpoint;
    try {
      endpoint = backend.serve(definitions);
    } catch (IOException e) {
      promise.fail(new LaunchFailure(LaunchFailure.Reason.REFUSED,
          serviceName + ": could not start serving: " + e.getMessage(), e));
      failLaunch(promise.future().cause());
      return launched;
    }
    List<String> required = requires.stream().map(ServiceRef::fullName).toList();
    backend.register(exports, required, endpoint)
        .thenCompose(registered -> backend.awaitRequirements())
        .whenComplete(onLoop((locations, failure) -> {
          if (failure != null) {
            fail(promise, failure);
            return;
          }
          for (Location location : locations) {
            located.put(location.getInterfaceName(), location);
          }
          warmUp(locations).compose(warm -> runReadyHooks(0)).onComplete(hooks -> {
            if (hooks.failed()) {
              Throwable cause = hooks.cause();
              if (!(cause instanceof ServiceError)) {
                // a bug in the service's own start: the message alone does not say where
                log.error("ready failed; the service exits", cause);
              }
              fail(promise, new LaunchFailure(LaunchFailure.Reason.READY_FAILED,
                  serviceName + ": ready failed: " + (cause instanceof ServiceError
                      ? cause.getMessage() : cause.toString()), cause));
              return;
            }
            backend.ready().whenComplete(onLoop((ok, notReady) -> {
              if (notReady != null) {
                fail(promise, notReady);
              } else {
                promise.tryComplete(this);
              }
            }));
          });
        }));
    return launched;
  }

  /**
   * One call to each required service before ready: it connects the channel and runs gRPC's
   * code on both sides once, so that the first real call, held to its budget, does not pay for
   * a handshake and for loading classes. Its outcome does not matter.
   */
  private Future<Void> warmUp(List<Location> locations) {
    List<Future<Void>> calls = new ArrayList<>();
    for (Location location : locations) {
      ServiceRef service = requires.stream()
          .filter(r -> r.fullName().equals(location.getInterfaceName())).findFirst().orElse(null);
      if (service == null) {
        continue;
      }
      Remote remote = new Remote(service, backend.channelTo(location), loop, WARM_UP_BUDGET);
      calls.add(remote.pollOperation("parigot-warm-up").<Void>map(state -> null)
          .recover(ignored -> Future.done()));
    }
    return calls.isEmpty() ? Future.done() : Future.all(calls).map(all -> null);
  }

  private static final Duration WARM_UP_BUDGET = Duration.ofSeconds(5);

  private Future<Void> runReadyHooks(int index) {
    if (index == bindings.size()) {
      return Future.done();
    }
    Future<Void> hook;
    try {
      hook = bindings.get(index).ready(this);
    } catch (RuntimeException | Error e) {
      return Future.failed(e);
    }
    if (hook == null) {
      // `return null;` reads naturally in a method of Future<Void>
      return Future.failed(new NullPointerException("the ready hook of "
          + bindings.get(index).service().fullName() + " returned null instead of a future: "
          + "return Future.done() when it has nothing to wait for"));
    }
    return hook.compose(done -> runReadyHooks(index + 1));
  }

  private void fail(Promise<Context> promise, Throwable failure) {
    if (failure instanceof CompletionException && failure.getCause() != null) {
      failure = failure.getCause();
    }
    LaunchFailure launchFailure = failure instanceof LaunchFailure lf ? lf : toLaunchFailure(failure);
    promise.tryFail(launchFailure);
    failLaunch(launchFailure);
  }

  private void failLaunch(Throwable failure) {
    String reason = failure instanceof LaunchFailure lf ? " (" + lf.reason() + ")" : "";
    loop.execute(() -> exit(1, "launch failed" + reason + ": " + failure.getMessage()));
  }

  private LaunchFailure toLaunchFailure(Throwable failure) {
    String text = ControlPlaneBackend.describe(failure);
    for (LaunchFailure.Reason reason : LaunchFailure.Reason.values()) {
      if (text.startsWith(reason.name() + ": ")) {
        return new LaunchFailure(reason, text.substring(reason.name().length() + 2), null);
      }
    }
    return new LaunchFailure(LaunchFailure.Reason.REFUSED,
        serviceName + ": the orchestrator refused the launch: " + text, failure);
  }

  private <T> BiConsumer<T, Throwable> onLoop(BiConsumer<T, Throwable> callback) {
    return (value, failure) -> loop.execute(() -> callback.accept(value, failure));
  }

  /**
   * Locates a required service (parigot's Locate); generated clients call this, e.g. {@code
   * GreetingClient.locate(context)}. Fails when the service was not required or the launch has
   * not succeeded yet.
   */
  public Remote locate(ServiceRef service) {
    if (!requires.contains(service)) {
      throw new IllegalStateException(serviceName + ": cannot locate " + service.fullName()
          + ": it was not required. Declare it before launch: .require(" + simpleName(service)
          + ".SERVICE)");
    }
    Location location = located.get(service.fullName());
    if (location == null) {
      throw new IllegalStateException(serviceName + ": cannot locate " + service.fullName()
          + " before the launch has succeeded; locate it in ready() or after launch()");
    }
    Duration budget = location.getBudgetMillis() > 0
        ? Duration.ofMillis(location.getBudgetMillis()) : BudgetWatchdog.DEFAULT_BUDGET;
    return new Remote(service, backend.channelTo(location), loop, budget);
  }

  private static String simpleName(ServiceRef service) {
    String name = service.fullName();
    return name.substring(name.lastIndexOf('.') + 1);
  }

  /**
   * This service's long-running operations: start work that takes longer than a method's
   * budget and answer with its id (see {@link Operations}).
   */
  public Operations operations() {
    if (operations == null) {
      operations = new Operations(serviceName, loop, log);
    }
    return operations;
  }

  /** This service's logger: its lines start with the service's name. */
  public Log log() {
    return log;
  }

  /** Runs {@code task} on the loop once, after {@code delay}. */
  public Timer runAfter(Duration delay, Runnable task) {
    return loop.schedule(delay.toNanos(), 0, task);
  }

  /** Runs {@code task} on the loop every {@code period}, the first time after one period. */
  public Timer every(Duration period, Runnable task) {
    if (period.isZero() || period.isNegative()) {
      throw new IllegalArgumentException("every(...) needs a positive period, not " + period);
    }
    return loop.schedule(period.toNanos(), period.toNanos(), task);
  }

  /**
   * A future of {@code stage}, completed on this service's loop: brings work done outside
   * parigot (a JDBC pool, an HTTP client) back onto the loop. The reverse of {@link
   * Future#toCompletionStage()}.
   */
  public <T> Future<T> fromCompletionStage(java.util.concurrent.CompletionStage<T> stage) {
    Promise<T> promise = Promise.promise();
    stage.whenComplete(onLoop((value, failure) -> {
      if (failure != null) {
        promise.tryFail(failure instanceof CompletionException && failure.getCause() != null
            ? failure.getCause() : failure);
      } else {
        promise.tryComplete(value);
      }
    }));
    return promise.future();
  }

  /** Runs {@code task} on this service's event loop; safe to call from any thread. */
  public void execute(Runnable task) {
    loop.execute(task);
  }

  /**
   * Adds a hook that runs on the loop when the service exits, before the process ends: on {@link
   * #exit(int)}, and also when the JVM is asked to stop from outside ({@code parigot down},
   * Ctrl-C, the end of the deployment's program: SIGTERM or SIGINT). On such a signal the hooks
   * have 2 s in all (more with a longer stop_grace_period in deploy.yaml); then the JVM ends
   * anyway. Hooks run in the order they were added; one that
   * throws is logged with its stack and the next runs.
   */
  public Context onExit(Runnable hook) {
    exitHooks.add(hook);
    return this;
  }

  /**
   * How long the exit hooks have when the JVM is stopped by a signal: 2 s of the orchestrator's
   * 5 s between its SIGTERM and its SIGKILL; of a stop_grace_period of its own, all but 3 s (and
   * at least two fifths of it), the rest being the JVM's own end.
   */
  static final long TERMINATION_GRACE_MILLIS = hooksGraceMillis(System.getenv(STOP_GRACE_ENV));

  static long hooksGraceMillis(String stopGraceMillis) {
    long grace;
    try {
      grace = stopGraceMillis == null ? 5000 : Long.parseLong(stopGraceMillis);
    } catch (NumberFormatException e) {
      grace = 5000;
    }
    return Math.max(grace - 3000, grace * 2 / 5);
  }
  /** How long a JVM stopped by a signal waits, once its exit hooks ran, for run() to close. */
  private static final long CLOSE_GRACE_MILLIS = 1000;
  /** The exit code of a JVM stopped by SIGTERM, the way a shell reports it (128 + 15). */
  private static final int TERMINATED = 143;

  /**
   * Exits (parigot's Exit): runs the exit hooks, tells the deployment, and stops the loop, so
   * that {@link #run()} ends the process with {@code code}. Calling it again has no effect.
   */
  public Future<Void> exit(int code) {
    return exit(code, null);
  }

  Future<Void> exit(int code, String reason) {
    return exit(code, reason, true);
  }

  private Future<Void> exit(int code, String reason, boolean tellDeployment) {
    if (exitCode != null) {
      return Future.done();
    }
    exitCode = code;
    for (Runnable hook : exitHooks) {
      try {
        hook.run();
      } catch (RuntimeException | Error e) {
        // with its stack, as a method, a timer or ready that threw: the hook's own line of it
        log.error("an exit hook threw; the next one runs", e);
      }
    }
    exitHooksDone.countDown();
    if (reason != null) {
      System.err.println(serviceName + ": " + reason);
    }
    if (backend != null && tellDeployment) {
      backend.exit(code, reason);
    }
    loop.stop();
    return Future.done();
  }

  /**
   * Runs the event loop on the calling thread until the service exits (parigot's Run). In a JVM
   * started by {@code parigot up}, the process then ends with the exit code; when the service
   * runs together with others in one JVM, this returns instead.
   */
  public void run() {
    if (launched == null) {
      launch();
    }
    if (backend != null && backend.ownsProcess()) {
      try {
        Runtime.getRuntime().addShutdownHook(
            new Thread(this::exitOnTermination, "parigot-exit-" + serviceName));
      } catch (IllegalStateException e) {
        // a SIGTERM came during the launch (the orchestrator refused it, or is stopping): the
        // JVM is ending already, and the loop below runs what it can until it does
      }
    }
    try {
      loop.run();
    } finally {
      exitHooksDone.countDown();
    }
    if (backend != null) {
      backend.shutdown();
    }
    backendClosed.countDown();
    int code = exitCode == null ? 0 : exitCode;
    if (backend == null || backend.ownsProcess()) {
      System.out.flush();
      System.err.flush();
      System.exit(code);
    }
  }

  /**
   * The JVM is ending (a JVM shutdown hook): when that is not this service's own exit but a
   * signal (SIGTERM from {@code parigot down} or the end of the program, SIGINT from Ctrl-C),
   * the exit hooks run on the loop, as the single-thread rule wants, and the JVM waits for them
   * a short grace at most. It does not tell the deployment: the deployment is what stops it.
   */
  private void exitOnTermination() {
    if (exitHooksDone.getCount() == 0) {
      return;
    }
    loop.execute(() -> exit(TERMINATED, null, false));
    try {
      if (!exitHooksDone.await(TERMINATION_GRACE_MILLIS, TimeUnit.MILLISECONDS)) {
        System.err.println(serviceName + ": the exit hooks did not finish within "
            + (TERMINATION_GRACE_MILLIS % 1000 == 0 ? TERMINATION_GRACE_MILLIS / 1000 + " s"
                : TERMINATION_GRACE_MILLIS + " ms") + " of the stop signal; exiting without them");
        return;
      }
      // the JVM's exit, once this hook returns, stops every thread at a safepoint and then
      // waits 300 ms for those blocked in native code (event loops, socket reads): run()
      // closes them first
      backendClosed.await(CLOSE_GRACE_MILLIS, TimeUnit.MILLISECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /** The exit code, once {@link #exit(int)} was called; otherwise null. */
  Integer exitCode() {
    return exitCode;
  }

  EventLoop loop() {
    return loop;
  }
}
