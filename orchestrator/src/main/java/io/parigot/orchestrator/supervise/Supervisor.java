package io.parigot.orchestrator.supervise;

import io.grpc.Status;
import io.grpc.StatusException;
import io.parigot.agent.Child;
import io.parigot.agent.ChildListener;
import io.parigot.agent.ChildSpec;
import io.parigot.agent.LocalAgent;
import io.parigot.control.ChildContract;
import io.parigot.control.naming.NameServer;
import io.parigot.control.naming.Resolution;
import io.parigot.control.v1.BudgetReport;
import io.parigot.control.v1.Location;
import io.parigot.control.v1.RegisterRequest;
import io.parigot.control.v1.RegisterResponse;
import io.parigot.deploy.Deployment;
import io.parigot.deploy.FileAgainstCode;
import io.parigot.deploy.JavaRuntime;
import io.parigot.deploy.Position;
import io.parigot.deploy.RestartPolicy;
import io.parigot.deploy.ServiceSpec;
import io.parigot.orchestrator.control.Secrets;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.function.Supplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A deployment in motion: starts every service's JVM through the agent, tracks registration and
 * readiness, restarts by policy, and stops everything when the program exits, on {@code parigot
 * down} or on Ctrl-C. Its state lives on one thread; every public method hops onto it.
 */
public final class Supervisor {
  /** parigot's initial heap for a service: an idle service touches little of it. */
  static final String INITIAL_HEAP = "-Xms8m";
  /** parigot's collector for a service: small and quick to start. */
  static final String SERIAL_COLLECTOR = "-XX:+UseSerialGC";
  /** An option that chooses a collector: {@code -XX:+UseG1GC}, {@code -XX:+UseZGC}, ... */
  private static final Pattern COLLECTOR = Pattern.compile("-XX:\\+Use\\w+GC");
  /** parigot's one compiler thread, for C1 alone. */
  static final String ONE_COMPILER_THREAD = "-XX:CICompilerCount=1";
  /** A tier to stop at; from 4 on it includes C2, which needs a second compiler thread. */
  private static final Pattern TIER = Pattern.compile("-XX:TieredStopAtLevel=(\\d{1,9})");
  /** A JVM size: {@code 64m}, {@code 1G}, {@code 65536}. */
  private static final Pattern SIZE = Pattern.compile("(\\d+)([kKmMgGtT]?)");
  /**
   * JVM options every service starts with unless its deploy.yaml says otherwise (its own
   * jvm_options come later and win): start-up over peak throughput, and a small footprint. A
   * small initial heap keeps the young generation (and what an idle service has touched of it)
   * small; the heap grows when a service needs more. gRPC's buffer pool takes its memory in
   * chunks of 512 KB rather than 2 MB, one or two per event-loop thread. A method is compiled
   * after three times the usual number of calls: a starting JVM spends about a quarter of its CPU
   * compiling code it runs a few hundred times, which ten JVMs starting at once on two cores
   * wait for.
   */
  public static final List<String> FAST_START = List.of(
      SERIAL_COLLECTOR, "-XX:TieredStopAtLevel=1", "-Xss512k", ONE_COMPILER_THREAD,
      "-XX:CompileThresholdScaling=3", INITIAL_HEAP,
      "-Dio.grpc.netty.shaded.io.netty.allocator.maxOrder=6");
  /**
   * On JDK 24 and newer: gRPC's netty uses sun.misc.Unsafe and native access, which those JDKs
   * allow but warn about, eight lines at every start of every service. The same behaviour,
   * without the warnings; a service's own jvm_options can say otherwise.
   */
  static final List<String> QUIET_ON_NEW_JDKS = List.of(
      "--sun-misc-unsafe-memory-access=allow", "--enable-native-access=ALL-UNNAMED");

  /**
   * {@link #QUIET_ON_NEW_JDKS} when this JVM's JDK is one of those, else none: for the JVMs that
   * run the orchestrator's own code (a detached orchestrator, the dump of its archive, which must
   * be given the options the archive is used with), as the {@code parigot} script starts it.
   */
  public static List<String> quietOnThisJdk() {
    return Runtime.version().feature() >= 24 ? QUIET_ON_NEW_JDKS : List.of();
  }
  /**
   * The grace period (at least: a service's stop_grace_period may be longer) when a stopping
   * service records its AOT cache as it exits (its first run):
   * several JVMs assembling caches at once on a small machine take seconds.
   */
  public static final Duration ARCHIVE_GRACE = Duration.ofSeconds(30);
  /**
   * Once every service has stopped, how long the orchestrator waits for the class-data archives
   * still being dumped from first runs' class lists (a few seconds of CPU each, one per core); those
   * left are recorded by the next run.
   */
  public static final Duration DUMPS_LIMIT = Duration.ofSeconds(60);
  /**
   * Once a service failed to start, how long the supervisor waits for the other services to
   * register and hear about it before it stops the deployment anyway.
   */
  static final Duration FAILED_START_LIMIT = Duration.ofSeconds(10);
  /**
   * How long a service whose own start-up timeout ran out as it waited for its requirements has
   * to log why and exit by itself before it is killed.
   */
  static final Duration LAUNCH_FAILURE_MOMENT = Duration.ofSeconds(1);
  /**
   * How long a deployment whose start failed waits for a service told that its launch failed
   * to log why and exit by itself before it stops it: a JVM on a loaded machine can take more
   * than a second to print its first lines from cold code, and what it says is why the
   * deployment failed. Most exit within a few hundred milliseconds, and the wait ends then.
   */
  static final Duration REFUSED_EXIT_LIMIT = Duration.ofSeconds(5);
  private final Deployment deployment;
  /** The deploy.yaml's services that {@code parigot up FILE NAME...} did not start. */
  private final List<String> leftOut;
  private final LocalAgent agent;
  private final DeploymentOutput output;
  private final NameServer names;
  private final String controlAddress;
  private final ScheduledExecutorService thread;
  private final ClassDataArchive archives;
  private final NativeTransport natives;
  private final ArchiveKeys keys;
  private final ArchiveDumper dumper;
  private final Map<String, Instance> instances = new LinkedHashMap<>();
  private final Map<String, Instance> pendingTokens = new HashMap<>();
  private final Map<String, Instance> sessions = new HashMap<>();
  private final CompletableFuture<Integer> outcome = new CompletableFuture<>();
  private final CompletableFuture<Void> ready = new CompletableFuture<>();
  private final long startedNanos = System.nanoTime();
  private boolean stopping;
  private int stopCode;
  private volatile boolean announcedReady;
  /** The first service that failed to start: the deployment is failing and about to stop. */
  private String failedStart;

  /**
   * A supervisor for {@code deployment}; children reach the control plane at {@code
   * controlAddress}; class-data archives (when enabled) are kept in {@code stateDirectory}.
   */
  public Supervisor(Deployment deployment, LocalAgent agent, DeploymentOutput output,
      String controlAddress, Path stateDirectory, boolean classDataArchives) {
    this(deployment, List.of(), agent, output, controlAddress, stateDirectory, classDataArchives);
  }

  /**
   * A supervisor for the services of {@code deployment} that {@code parigot up FILE NAME...}
   * starts, {@code leftOut} naming the deploy.yaml's others (said when a requirement is theirs).
   */
  public Supervisor(Deployment deployment, List<String> leftOut, LocalAgent agent,
      DeploymentOutput output, String controlAddress, Path stateDirectory,
      boolean classDataArchives) {
    this.deployment = deployment;
    this.leftOut = List.copyOf(leftOut);
    this.dumper = new ArchiveDumper(deployment.directory(), output);
    // one reading of the jars' manifests for both, on the supervisor's thread
    this.keys = new ArchiveKeys();
    this.archives = new ClassDataArchive(stateDirectory.resolve("cds"), classDataArchives, keys,
        dumper);
    this.natives = new NativeTransport(stateDirectory.resolve("native"), keys);
    this.agent = agent;
    this.output = output;
    this.controlAddress = controlAddress;
    this.names = new NameServer(deployment.services().stream().map(ServiceSpec::name).toList(),
        leftOut);
    this.thread = Executors.newSingleThreadScheduledExecutor(r -> {
      Thread t = new Thread(r, "parigot-supervisor");
      t.setDaemon(true);
      return t;
    });
    for (ServiceSpec spec : deployment.services()) {
      instances.put(spec.name(), new Instance(spec));
    }
  }

  /** Starts every service; the future completes with the deployment's exit code once all stopped. */
  public CompletableFuture<Integer> start() {
    thread.execute(() -> keys.holdingStamps(() -> instances.values().forEach(this::spawn)));
    return outcome;
  }

  private void spawn(Instance instance) {
    keys.holdingStamps(() -> spawnNow(instance));
  }

  private void spawnNow(Instance instance) {
    if (stopping) {
      return;
    }
    ServiceSpec spec = instance.spec;
    String token = Secrets.token();
    instance.pendingToken = token;
    instance.registered = false;
    instance.exitReason = null;
    instance.lastLines.clear(); // a failure of this start is told from this start's output
    instance.endpoint = null;
    instance.timedOut = false;
    instance.launchRefusedNanos = 0;
    pendingTokens.put(token, instance);
    Map<String, String> env = new LinkedHashMap<>(spec.env());
    env.put(ChildContract.CONTROL_ENV, controlAddress);
    env.put(ChildContract.TOKEN_ENV, token);
    env.put(ChildContract.SERVICE_ENV, spec.name());
    if (instance.port == 0) {
      instance.port = freePort();
    }
    // the same port across restarts: callers' channels reconnect to the new JVM by themselves
    env.put(ChildContract.PORT_ENV, Integer.toString(instance.port));
    spec.budget().ifPresent(b -> env.put(ChildContract.BUDGET_ENV, Long.toString(b.toMillis())));
    env.put(ChildContract.STOP_GRACE_ENV, Long.toString(spec.stopGrace().toMillis()));
    ClassDataArchive.Plan plan = instance.archiveFailed || !spec.archive()
        ? ClassDataArchive.Plan.NONE : archives.plan(spec);
    instance.archivePlan = plan;
    try {
      instance.child = agent.start(new ChildSpec(spec.name(), command(spec, plan.jvmOptions()),
          env, deployment.directory()), listener(instance, plan));
    } catch (IOException e) {
      pendingTokens.remove(token);
      instance.state = ServiceState.FAILED;
      output.warn("service \"" + spec.name() + "\" could not be started: " + e.getMessage());
      names.gone(spec.name(), true, "it could not be started: " + e.getMessage());
      stop(1);
      return;
    }
    instance.state = ServiceState.STARTING;
    instance.startedAtMillis = System.currentTimeMillis();
    instance.startupTimer = thread.schedule(() -> startupTimedOut(instance, instance.child),
        spec.startupTimeout().toMillis(), TimeUnit.MILLISECONDS);
  }

  /**
   * The options a service's JVM starts with on {@code java}, before its own. A service whose
   * {@code jvm_options} give an initial heap, or a largest heap under parigot's initial 8 MB
   * ({@code -Xmx6m} beside {@code -Xms8m} is a JVM that does not start), gets none of parigot's;
   * one whose {@code jvm_options} choose a collector gets it instead of the serial one (two are a
   * JVM that does not start either: "Multiple garbage collectors selected"); one that brings C2
   * back ({@code -XX:TieredStopAtLevel=4}) gets no single compiler thread ("CICompilerCount (1)
   * must be at least 2").
   */
  static List<String> defaultOptions(ServiceSpec spec) {
    JavaRuntime java = spec.java();
    List<String> options = new ArrayList<>(FAST_START);
    if (spec.jvmOptions().stream().anyMatch(Supervisor::clashesWithTheInitialHeap)) {
      options.remove(INITIAL_HEAP);
    }
    if (spec.jvmOptions().stream()
        .anyMatch(o -> COLLECTOR.matcher(o).matches() && !o.equals(SERIAL_COLLECTOR))) {
      options.remove(SERIAL_COLLECTOR);
    }
    if (spec.jvmOptions().stream().map(TIER::matcher)
        .anyMatch(m -> m.matches() && Integer.parseInt(m.group(1)) >= 4)) {
      options.remove(ONE_COMPILER_THREAD);
    }
    if (java.isVersionKnown() && java.feature() >= 24) {
      options.addAll(QUIET_ON_NEW_JDKS);
    }
    return options;
  }

  private static boolean clashesWithTheInitialHeap(String option) {
    if (option.startsWith("-Xms") || option.startsWith("-XX:InitialHeapSize=")
        || option.startsWith("-XX:MinHeapSize=") || option.startsWith("-XX:InitialRAMPercentage=")
        || option.startsWith("-XX:InitialRAMFraction=")) {
      return true;
    }
    String max = option.startsWith("-Xmx") ? option.substring(4)
        : option.startsWith("-XX:MaxHeapSize=") ? option.substring("-XX:MaxHeapSize=".length())
        : null;
    return max != null && bytes(max) < 8L << 20;
  }

  /** A JVM size ({@code 64m}, {@code 1G}, {@code 65536}) in bytes; what it cannot read, huge. */
  private static long bytes(String size) {
    Matcher m = SIZE.matcher(size);
    if (!m.matches()) {
      return Long.MAX_VALUE; // the JVM refuses it itself, and says why
    }
    int shift = switch (m.group(2).toLowerCase(Locale.ROOT)) {
      case "k" -> 10;
      case "m" -> 20;
      case "g" -> 30;
      case "t" -> 40;
      default -> 0;
    };
    try {
      return Math.multiplyExact(Long.parseLong(m.group(1)), 1L << shift);
    } catch (ArithmeticException | NumberFormatException e) {
      return Long.MAX_VALUE;
    }
  }

  private List<String> command(ServiceSpec spec, List<String> archiveOptions) {
    List<String> command = new ArrayList<>();
    // killed by the kernel with this supervisor's thread, which starts every service JVM and
    // lives as long as the orchestrator: a JVM stopped by a signal does not see its stdin end
    command.addAll(parentDeathSignal());
    command.add(spec.java().executable().toString());
    command.addAll(defaultOptions(spec));
    command.addAll(natives.jvmOptions(spec));
    command.addAll(archiveOptions);
    command.addAll(spec.jvmOptions());
    if (spec.jar().isPresent()) {
      command.add("-jar");
      command.add(spec.jar().get().toString());
    } else {
      command.add("-cp");
      command.add(ClassDataArchive.classPath(spec));
      command.add(spec.mainClass().orElseThrow());
    }
    command.addAll(spec.args());
    return command;
  }

  /**
   * Does ahead of the first launch, on a thread that would be idle (the main one reads
   * deploy.yaml meanwhile), what it would otherwise wait for: the probe of setpriv, a process
   * of its own, which is also this JVM's first (the JDK's process machinery is set up with it).
   */
  public static void prepareLaunches() {
    parentDeathSignal();
  }

  private static List<String> parentDeathSignal() {
    try {
      return ParentDeathSignal.prefix();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return List.of();
    }
  }

  private ChildListener listener(Instance instance, ClassDataArchive.Plan plan) {
    return new ChildListener() {
      @Override
      public void output(Child child, String line, boolean error) {
        if (plan.isRecordingReport(line)) {
          return;
        }
        output.serviceLine(instance.name(), line, error);
        thread.execute(() -> instance.keep(line));
      }

      @Override
      public void wedged(Child child, String report, long readEpochMicros,
          long killedEpochMicros) {
        BudgetReport said;
        try {
          said = BudgetReport.parseFrom(java.util.Base64.getDecoder().decode(report));
        } catch (IllegalArgumentException | com.google.protobuf.InvalidProtocolBufferException e) {
          said = BudgetReport.newBuilder().setKind(BudgetReport.Kind.WEDGED)
              .setMethod("(its report was unreadable: " + e.getMessage() + ")").build();
        }
        BudgetReport wedge = said;
        thread.execute(() -> {
          if (instance.child == child) {
            killedForBudget(instance, wedge, readEpochMicros, killedEpochMicros);
          }
        });
      }

      @Override
      public void exited(Child child, int exitCode) {
        thread.execute(() -> handleExit(instance, child, exitCode));
      }
    };
  }

  private void startupTimedOut(Instance instance, Child child) {
    if (instance.child != child || instance.state != ServiceState.STARTING || child == null) {
      return;
    }
    String limit = describe(instance.spec.startupTimeout());
    instance.timedOut = true;
    instance.exitReason = "it was not ready within " + limit + " (startup_timeout in deploy.yaml)";
    if (names.waitedTooLong(instance.name(), limit)) {
      // it waits for its requirements: it now hears NOT_READY_IN_TIME, logs it and exits itself
      instance.launchRefusedNanos = System.nanoTime();
      output.warn("service \"" + instance.name() + "\" was not ready within " + limit
          + ": its requirements were not ready");
      thread.schedule(() -> {
        if (instance.child == child) {
          child.kill();
        }
      }, LAUNCH_FAILURE_MOMENT.toMillis(), TimeUnit.MILLISECONDS);
      return;
    }
    // a JVM that never registered is most often a main that does not start parigot at all
    output.warn("service \"" + instance.name() + "\" was not ready within " + limit
        + (instance.registered ? "" : " and never registered with the orchestrator: its main "
            + "does not start parigot (Parigot.service(...).run() or Parigot.program(...)), or "
            + "takes longer than that to get there")
        + "; killing it");
    child.kill();
  }

  private void handleExit(Instance instance, Child child, int code) {
    if (instance.child != child) {
      return;
    }
    instance.child = null;
    instance.exitCode = code;
    if (instance.startupTimer != null) {
      instance.startupTimer.cancel(false);
    }
    forgetTokens(instance);
    ClassDataArchive.Plan plan = instance.archivePlan;
    instance.archivePlan = null;
    // a run stopped before it was ready loaded a fraction of its classes: an archive of those
    // would be kept, and used, for good; the next run records again
    if (plan != null && instance.everReady && (code == 0 || code == 130 || code == 143)) {
      archives.keep(plan);
    }
    if (plan != null && plan.using() != null && !instance.everReady && !stopping
        && !instance.stopAsked && code > 128 && code != 137 && code != 143) {
      // JDK 17 can crash on an archive it cannot map; a start must never fail for that
      output.warn("service \"" + instance.name() + "\" crashed (code " + code + ") starting with "
          + "its " + plan.kind().noun() + "; starting it again without one");
      try {
        archives.discardAll(instance.name());
      } catch (IOException e) {
        output.warn("could not remove the " + plan.kind().noun() + " of \"" + instance.name()
            + "\": " + e.getMessage());
      }
      instance.archiveFailed = true;
      spawn(instance);
      return;
    }
    if (stopping) {
      instance.state = instance.spec.isProgram() && instance.state != ServiceState.STARTING
          ? ServiceState.EXITED : ServiceState.STOPPED;
      names.gone(instance.name(), true, "the deployment is stopping");
      finishIfAllStopped();
      return;
    }
    if (instance.stopAsked) {
      instance.stopAsked = false;
      instance.state = ServiceState.STOPPED;
      // as for a service that exited and is not restarted: Locate no longer gives it, and a
      // service that requires it hears why at once
      names.gone(instance.name(), true, stoppedByUser(instance.name()));
      output.say("service \"" + instance.name() + "\" exited with code " + code
          + "; it stays stopped until parigot start " + instance.name());
      return;
    }
    if (instance.startAgainFor != null) {
      String verb = instance.startAgainFor;
      instance.startAgainFor = null;
      instance.state = ServiceState.RESTARTING;
      names.gone(instance.name(), false, "it is restarting (" + verb + ")");
      output.say("service \"" + instance.name() + "\" exited with code " + code
          + "; starting it again (" + verb + ")");
      spawn(instance);
      return;
    }
    String cause = instance.failureCause();
    if (instance.spec.isProgram()) {
      // as ps tells a service's end: exited (0), or failed with the code (137 for a kill)
      instance.state = code == 0 ? ServiceState.EXITED : ServiceState.FAILED;
      names.gone(instance.name(), true, "it exited");
      if (code == 0) {
        output.say("program \"" + instance.name() + "\" exited with code 0");
      } else {
        output.warn("program \"" + instance.name() + "\" exited with code " + code + ": " + cause);
      }
      if (failedStart != null) {
        stopForFailedStart();
        return;
      }
      stop(code);
      return;
    }
    if (!instance.everReady) {
      instance.state = ServiceState.FAILED;
      if (code == 0 && !instance.registered) {
        // nothing went wrong but the main: it returned, or exited, before it started parigot
        cause = cause + "; it never registered with the orchestrator: its main ended without "
            + "starting parigot (Parigot.service(...).run() for a service; a program that needs "
            + "no parigot is marked program: true)";
      }
      output.warn("service \"" + instance.name() + "\" failed to start: it exited with code "
          + code + ": " + cause);
      if (instance.timedOut) {
        // the cause is the timeout itself unless the JVM said why, exiting by itself
        names.notReadyInTime(instance.name(), describe(instance.spec.startupTimeout()),
            cause.startsWith("it was not ready within") ? null : cause);
      } else {
        names.crashedAtStart(instance.name(), code, cause);
      }
      failedToStart(instance);
      return;
    }
    RestartPolicy policy = instance.spec.restart();
    if (!policy.restarts(code)) {
      // not to run again: a clean end, or a failure (a kill, a crash) left as it is
      instance.state = code == 0 ? ServiceState.EXITED : ServiceState.FAILED;
      names.gone(instance.name(), true, "it exited with code " + code);
      output.say("service \"" + instance.name() + "\" exited with code " + code
          + " (restart: " + policy.mode().yaml() + ")"
          + (code == 0 && instance.exports.isEmpty() && deployment.program().isEmpty()
              ? "; it exports nothing: if it is the deployment's program, mark it `program: "
                  + "true` at " + at(instance.spec) + ", and its exit ends the deployment"
              : ""));
      stopWhenNothingRuns();
      return;
    }
    long now = System.currentTimeMillis();
    while (!instance.recentRestarts.isEmpty()
        && now - instance.recentRestarts.peekFirst() > policy.window().toMillis()) {
      instance.recentRestarts.removeFirst();
    }
    if (instance.recentRestarts.size() >= policy.maxRestarts()) {
      instance.state = ServiceState.FAILED;
      names.gone(instance.name(), true, "it crash-looped");
      output.warn("service \"" + instance.name() + "\" exited " + (instance.recentRestarts.size() + 1)
          + " times within " + describe(policy.window()) + "; giving up (restart policy allows "
          + policy.maxRestarts() + " restarts in " + describe(policy.window()) + "). Last exit: code "
          + code + ": " + cause);
      stop(1);
      return;
    }
    Duration backoff = policy.backoff(instance.recentRestarts.size());
    instance.recentRestarts.addLast(now);
    instance.restarts++;
    instance.state = ServiceState.RESTARTING;
    names.gone(instance.name(), false, "it is restarting");
    output.warn("service \"" + instance.name() + "\" exited with code " + code + "; restarting in "
        + describe(backoff) + " (restart " + instance.restarts + ")");
    instance.pendingRestart = thread.schedule(() -> {
      instance.pendingRestart = null;
      if (instance.state == ServiceState.RESTARTING) {
        spawn(instance);
      }
    }, backoff.toMillis(), TimeUnit.MILLISECONDS);
  }

  /**
   * A service failed to start: the deployment fails. Before it stops, the services waiting for
   * their requirements are answered (CRASHED or NOT_READY_IN_TIME, naming the service), so that
   * each logs that its launch failed and why; the deployment stops once none is still starting
   * up or waiting, or when {@link #FAILED_START_LIMIT} ran out.
   */
  private void failedToStart(Instance instance) {
    if (failedStart == null) {
      failedStart = instance.name();
      thread.schedule(this::stopForFailedStart, FAILED_START_LIMIT.toMillis(),
          TimeUnit.MILLISECONDS);
    }
    stopWhenFailedStartHeard();
  }

  /**
   * Stops the failing deployment unless a service still runs that has not registered yet, waits
   * for its requirements, or was told its launch failed and has not exited by itself yet (for
   * {@link #REFUSED_EXIT_LIMIT} at most).
   */
  private void stopWhenFailedStartHeard() {
    if (failedStart == null || stopping) {
      return;
    }
    long now = System.nanoTime();
    for (Instance other : instances.values()) {
      if (other.child == null) {
        continue;
      }
      boolean hearing = other.launchRefusedNanos != 0
          && now - other.launchRefusedNanos < REFUSED_EXIT_LIMIT.toNanos();
      if (!other.registered || names.isWaiting(other.name()) || hearing) {
        return;
      }
    }
    stopForFailedStart();
  }

  private void stopForFailedStart() {
    if (stopping) {
      return;
    }
    output.warn("deployment \"" + deployment.name() + "\" failed: service \"" + failedStart
        + "\" failed to start; stopping every service");
    stop(1);
  }

  /**
   * Ends the deployment once no service runs or is to run again: one in its backoff is, and so is
   * one that parigot stop stopped (while the deployment is not stopping, only parigot stop
   * makes a service STOPPED): parigot start starts it again.
   */
  private void stopWhenNothingRuns() {
    boolean anyRunning = instances.values().stream().anyMatch(i -> i.isAlive()
        || i.state == ServiceState.RESTARTING || i.state == ServiceState.STOPPED);
    if (!anyRunning) {
      boolean allClean = instances.values().stream().allMatch(i -> i.exitCode == 0);
      output.say("every service has exited");
      stop(allClean ? 0 : 1);
    }
  }

  private void forgetTokens(Instance instance) {
    if (instance.pendingToken != null) {
      pendingTokens.remove(instance.pendingToken);
      instance.pendingToken = null;
    }
    if (instance.token != null) {
      sessions.remove(instance.token);
      instance.token = null;
    }
  }

  /** Registers the JVM holding {@code token}; fails with PERMISSION_DENIED for any other token. */
  public CompletableFuture<RegisterResponse> register(String token, RegisterRequest request) {
    return onThread(() -> {
      Instance instance = token == null ? null : pendingTokens.remove(token);
      if (instance == null) {
        throw Status.PERMISSION_DENIED.withDescription("registration refused: the token is not one "
            + "this orchestrator gave a child, or it was used already").asRuntimeException();
      }
      instance.pendingToken = null;
      instance.token = token;
      sessions.put(token, instance);
      Set<String> requires = new LinkedHashSet<>(request.getRequiresList());
      refuseWhenTheFileDiffers(instance, "requirements", "requires",
          FileAgainstCode.requires(instance.spec, requires), instance.spec.requiresAt());
      refuseWhenTheFileDiffers(instance, "exports", "exports",
          FileAgainstCode.exports(instance.spec, new LinkedHashSet<>(request.getExportsList())),
          instance.spec.exportsAt());
      requires.addAll(instance.spec.requires());
      Optional<String> twice = names.secondExporter(instance.name(), request.getExportsList(),
          other -> " (" + at(instances.get(other).spec) + ")");
      if (twice.isPresent()) {
        output.warn(at(instance.spec) + ": " + twice.get());
        stop(1);
        throw Status.FAILED_PRECONDITION.withDescription("REFUSED: " + twice.get())
            .asRuntimeException();
      }
      instance.registered = true;
      instance.exports = List.copyOf(request.getExportsList());
      instance.requires = List.copyOf(requires);
      instance.endpoint = request.hasEndpoint() ? request.getEndpoint() : null;
      names.registered(instance.name(), instance.exports, instance.requires, instance.endpoint,
          budgetMillis(instance.spec));
      return RegisterResponse.newBuilder()
          .setServiceName(instance.name())
          .setStartupTimeoutMillis(instance.spec.startupTimeout().toMillis())
          .setBudgetMillis(budgetMillis(instance.spec))
          .build();
    });
  }

  /** Answers once every requirement of the registered JVM holding {@code token} is ready. */
  public void awaitRequirements(String token, Consumer<Resolution> answer,
      Consumer<StatusException> refused) {
    thread.execute(() -> {
      Instance instance = sessions.get(token);
      if (instance == null) {
        refused.accept(unknownSession());
        return;
      }
      names.await(instance.name(), resolution -> {
        if (!resolution.succeeded()) {
          instance.launchRefusedNanos = System.nanoTime();
          thread.schedule(this::stopWhenFailedStartHeard,
              REFUSED_EXIT_LIMIT.toMillis() + 10, TimeUnit.MILLISECONDS);
        }
        answer.accept(resolution);
        // after the name server has answered everyone this change decided
        thread.execute(this::stopWhenFailedStartHeard);
      });
    });
  }

  /** The JVM holding {@code token} finished its launch: it is ready and locatable. */
  public CompletableFuture<Void> ready(String token) {
    return onThread(() -> {
      Instance instance = session(token);
      if (instance.startupTimer != null) {
        instance.startupTimer.cancel(false);
      }
      if (stopping) {
        // its ready crossed the stop on its way: the deployment has failed or is ending, and a
        // "ready" said after that is read as a deployment that came up after all
        return null;
      }
      instance.state = ServiceState.READY;
      instance.everReady = true;
      names.ready(instance.name());
      long millis = System.currentTimeMillis() - instance.startedAtMillis;
      output.say((instance.spec.isProgram() ? "program \"" : "service \"") + instance.name()
          + "\" is ready" + (instance.endpoint == null ? "" : " at " + instance.endpoint.getHost()
          + ":" + instance.endpoint.getPort()) + " (" + millis + " ms)");
      if (!announcedReady && instances.values().stream().allMatch(i -> i.everReady)) {
        announcedReady = true;
        ready.complete(null);
        output.say("deployment \"" + deployment.name() + "\" is ready: " + instances.size()
            + (instances.size() == 1 ? " service in " : " services in ")
            + TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - startedNanos) + " ms");
      }
      stopWhenFailedStartHeard();
      return null;
    });
  }

  /**
   * Stops the deployment and refuses the registration when the file's {@code key} list differs
   * from what the code declares: the checks before start trusted the file.
   */
  private void refuseWhenTheFileDiffers(Instance instance, String what, String key,
      Optional<String> mismatch, Optional<Position> at) {
    if (mismatch.isEmpty()) {
      return;
    }
    output.warn(mismatch.get());
    stop(1);
    throw Status.FAILED_PRECONDITION.withDescription("REFUSED: the " + what + " of \""
        + instance.name() + "\" in its code differ from its " + key + ": in "
        + at.orElseThrow().file() + "; the orchestrator says why").asRuntimeException();
  }

  /** Where {@code spec}'s key is in deploy.yaml, as {@code deploy.yaml:7:3}. */
  private String at(ServiceSpec spec) {
    Path here = Path.of("").toAbsolutePath();
    Path file = deployment.file().startsWith(here) ? here.relativize(deployment.file())
        : deployment.file();
    return new Position(file, spec.line(), spec.column()).toString();
  }

  private static long budgetMillis(ServiceSpec spec) {
    return spec.budget().map(Duration::toMillis).orElse(0L);
  }

  /**
   * A registered JVM reports a call past its budget: an overrun is counted; a wedged service
   * (its loop stuck in a method body) is logged with where it was, counted, and killed at once.
   * Its restart policy then applies.
   */
  public CompletableFuture<Void> budgetReport(String token, BudgetReport report) {
    long receivedMicros = epochMicros();
    return onThread(() -> {
      Instance instance = session(token);
      if (report.getKind() == BudgetReport.Kind.OVERRUN) {
        instance.overruns++;
        return null;
      }
      if (report.getKind() != BudgetReport.Kind.WEDGED || instance.child == null) {
        return null;
      }
      instance.child.kill();
      killedForBudget(instance, report, receivedMicros, epochMicros());
      return null;
    });
  }

  /**
   * A wedged service was killed: counts the budget kill, keeps why it ended, and logs the line
   * a developer acts on, with where its loop was.
   */
  private void killedForBudget(Instance instance, BudgetReport report, long receivedMicros,
      long killedMicros) {
    instance.budgetKills++;
    String method = report.getMethod().substring(report.getMethod().lastIndexOf('/') + 1);
    String budget = ChildContract.budgetText(report.getBudgetMillis(),
        report.getMethodBudgetMillis());
    instance.exitReason = "killed for its budget: method " + method + " ran past its " + budget;
    StringBuilder text = new StringBuilder();
    text.append("service \"").append(instance.name()).append("\": method ").append(method)
        .append(" ran past its ").append(budget).append(" (")
        .append(report.getRunningMicros() / 1000).append(" ms so far) and the service was "
            + "killed (budget kill ").append(instance.budgetKills).append("; SIGKILL ")
        .append(String.format(java.util.Locale.ROOT, "%.1f",
            (killedMicros - report.getDeadlineEpochMicros()) / 1000.0))
        .append(" ms after the budget ran out, report received after ")
        .append(String.format(java.util.Locale.ROOT, "%.1f",
            (receivedMicros - report.getDeadlineEpochMicros()) / 1000.0))
        .append(" ms).");
    String[] frames = report.getStack().split("\n");
    for (int i = 0; i < frames.length && i < 12; i++) {
      if (!frames[i].isBlank()) {
        text.append("\n  ").append(i == 0 ? "It was at: " : "  at ").append(frames[i]);
      }
    }
    text.append("\n  Return an operation id for long work (docs/sdk.md#long-running-work).");
    output.warn(text.toString());
  }

  private static long epochMicros() {
    java.time.Instant now = java.time.Instant.now();
    return now.getEpochSecond() * 1_000_000 + now.getNano() / 1000;
  }

  /** Where the ready service exporting {@code interfaceName} is, for a registered JVM. */
  public CompletableFuture<Optional<Location>> locate(String token, String interfaceName) {
    return onThread(() -> {
      session(token);
      return names.locate(interfaceName);
    });
  }

  /** The JVM holding {@code token} says it exits with {@code code}, and why. */
  public CompletableFuture<Void> exiting(String token, int code, String reason) {
    return onThread(() -> {
      Instance instance = session(token);
      instance.exitReason = reason;
      if (instance.state == ServiceState.READY) {
        instance.state = ServiceState.EXITING; // until its process has ended
      }
      return null;
    });
  }

  /** A snapshot of every service. */
  public CompletableFuture<List<ServiceStatus>> status() {
    return onThread(() -> instances.values().stream().map(i -> new ServiceStatus(i.name(),
        shownState(i), i.child == null ? 0 : i.child.pid(),
        i.endpoint == null ? "" : i.endpoint.getHost() + ":" + i.endpoint.getPort(),
        i.startedAtMillis, i.restarts, i.budgetKills, i.overruns, i.spec.isProgram(), i.exitCode,
        i.exports)).toList());
  }

  /**
   * Stops the service's JVM as {@code down} would (SIGTERM, SIGKILL after the grace period) and
   * starts it again, whatever its restart policy, and not as a restart the policy counts; a
   * service that had exited is started again. Completes with the pid asked to stop (0 for
   * none) and how long it may take to be ready again. The program is refused: its end is the
   * deployment's.
   */
  public CompletableFuture<Restarted> restart(String name) {
    return onThread(() -> {
      Instance instance = named(name);
      refuseTheProgram(instance, "restarted", "run parigot up again");
      refuseWhileStopping();
      instance.stopAsked = false;
      Child child = instance.child;
      if (child == null) {
        if (instance.state == ServiceState.RESTARTING) {
          // its restart is due: it starts then
          return new Restarted(0, instance.spec.startupTimeout());
        }
        instance.state = ServiceState.RESTARTING;
        output.say("starting service \"" + name + "\" again (parigot restart)");
        spawn(instance);
        return new Restarted(0, instance.spec.startupTimeout());
      }
      instance.startAgainFor = "parigot restart";
      output.say("stopping service \"" + name + "\" (pid " + child.pid() + ") to start it again "
          + "(parigot restart)");
      Duration grace = terminate(instance, child);
      return new Restarted(child.pid(), grace.plus(instance.spec.startupTimeout()));
    });
  }

  /**
   * Stops each service named as {@code down} would (SIGTERM, SIGKILL after its grace period),
   * and keeps it stopped, whatever its restart policy, until {@link #startServices}: its exit
   * is not restarted, a restart due after its backoff is cancelled, and it counts as a service
   * to run again, so the deployment goes on while it is stopped. One not running is left as it
   * is. Every name is checked before any service is stopped: NOT_FOUND for a name that is no
   * service of the deployment, FAILED_PRECONDITION for the program, whose end is the
   * deployment's.
   */
  public CompletableFuture<List<Stopped>> stopServices(List<String> serviceNames) {
    return onThread(() -> {
      List<Instance> named = toActOn(serviceNames, "stopped alone",
          "stop the deployment with parigot down");
      List<Stopped> stopped = new ArrayList<>();
      for (Instance instance : named) {
        stopped.add(stopService(instance));
      }
      return stopped;
    });
  }

  private Stopped stopService(Instance instance) {
    Child child = instance.child;
    if (child == null) {
      ServiceState was = instance.state;
      if (was == ServiceState.RESTARTING) {
        // its policy's restart is due after its backoff: cancelled, and it is stopped now
        if (instance.pendingRestart != null) {
          instance.pendingRestart.cancel(false);
          instance.pendingRestart = null;
        }
        instance.state = ServiceState.STOPPED;
        names.gone(instance.name(), true, stoppedByUser(instance.name()));
        output.say("service \"" + instance.name() + "\" is stopped: its restart is cancelled "
            + "(parigot stop)");
      }
      return new Stopped(instance.name(), 0, Duration.ZERO, was, instance.exitCode);
    }
    instance.startAgainFor = null;
    instance.stopAsked = true;
    output.say("stopping service \"" + instance.name() + "\" (pid " + child.pid()
        + ") (parigot stop)");
    Duration grace = terminate(instance, child);
    return new Stopped(instance.name(), child.pid(), grace, instance.state, instance.exitCode);
  }

  /**
   * Starts each service named that has no JVM (stopped, exited, failed, or waiting out its
   * backoff), whatever its restart policy and not as a restart the policy counts; one that runs
   * is left as it is. Every name is checked first, as {@link #stopServices} does.
   */
  public CompletableFuture<List<Started>> startServices(List<String> serviceNames) {
    return onThread(() -> {
      List<Instance> named = toActOn(serviceNames, "started alone", "run parigot up again");
      List<Started> started = new ArrayList<>();
      for (Instance instance : named) {
        Child child = instance.child;
        if (child != null && !instance.stopAsked) {
          started.add(new Started(instance.name(), true, child.pid(), Duration.ZERO));
          continue;
        }
        if (child != null) {
          // on its way out by parigot stop: it starts again once it has exited
          instance.stopAsked = false;
          instance.startAgainFor = "parigot start";
          started.add(new Started(instance.name(), false, child.pid(),
              instance.spec.stopGrace().plus(instance.spec.startupTimeout())));
          continue;
        }
        if (instance.pendingRestart != null) {
          instance.pendingRestart.cancel(false); // it starts now rather than after its backoff
          instance.pendingRestart = null;
        }
        output.say("starting service \"" + instance.name() + "\" (parigot start)");
        spawn(instance);
        started.add(new Started(instance.name(), false, 0, instance.spec.startupTimeout()));
      }
      return started;
    });
  }

  /**
   * The services {@code serviceNames} names, checked before anything is done to any: each is a
   * service of the deployment ({@link #named(List)}), none is the program, which is not {@code
   * what} ({@code instead}), and the deployment is not stopping.
   */
  private List<Instance> toActOn(List<String> serviceNames, String what, String instead) {
    List<Instance> named = named(serviceNames);
    for (Instance instance : named) {
      refuseTheProgram(instance, what, instead);
    }
    refuseWhileStopping();
    return named;
  }

  /** Why a service stopped by parigot stop is not located, as those waiting for it hear it. */
  private static String stoppedByUser(String name) {
    return "it was stopped (parigot stop; parigot start " + name + " starts it again)";
  }

  /** Refuses to act on the program alone: its end is the deployment's. */
  private static void refuseTheProgram(Instance instance, String what, String instead) {
    if (instance.spec.isProgram()) {
      throw Status.FAILED_PRECONDITION.withDescription("\"" + instance.name() + "\" is the "
          + "program: its end ends the deployment, so it is not " + what + "; " + instead)
          .asRuntimeException();
    }
  }

  private void refuseWhileStopping() {
    if (stopping) {
      throw Status.FAILED_PRECONDITION.withDescription("deployment \"" + deployment.name()
          + "\" is stopping: every service stops with it, and none starts again. Once it has "
          + "stopped, parigot up starts it anew").asRuntimeException();
    }
  }

  /**
   * Sends SIGTERM to the service's JVM, and SIGKILL once its grace period is over, unless it has
   * ended by then; returns the grace period.
   */
  private Duration terminate(Instance instance, Child child) {
    child.terminate();
    Duration grace = instance.spec.stopGrace();
    thread.schedule(() -> {
      if (instance.child == child) {
        child.kill();
      }
    }, grace.toMillis(), TimeUnit.MILLISECONDS);
    return grace;
  }

  /**
   * The state ps shows: the supervisor's, stopping for a JVM parigot sent SIGTERM to, or
   * suspended for a JVM stopped by a signal.
   */
  private static ServiceState shownState(Instance instance) {
    if (instance.child != null && instance.child.isTerminating()) {
      return ServiceState.STOPPING;
    }
    boolean running = instance.state == ServiceState.READY
        || instance.state == ServiceState.STARTING;
    return running && instance.child != null && instance.child.isSuspended()
        ? ServiceState.SUSPENDED : instance.state;
  }

  /** The service called {@code name}; NOT_FOUND, naming the services there are, when none is. */
  private Instance named(String name) {
    return named(List.of(name)).get(0);
  }

  /**
   * The services called {@code serviceNames}, in the order named, each once; NOT_FOUND, as
   * {@link ServiceNames#notRunning} says it, when one is no service of this run.
   */
  private List<Instance> named(List<String> serviceNames) {
    Optional<String> notRunning = ServiceNames.notRunning(deployment.name(), serviceNames,
        instances.keySet(), leftOut);
    if (notRunning.isPresent()) {
      throw Status.NOT_FOUND.withDescription(notRunning.get()).asRuntimeException();
    }
    return new LinkedHashSet<>(serviceNames).stream().map(instances::get).toList();
  }

  /** Sends {@code signal} to the service's JVM; completes with whether it is the program. */
  public CompletableFuture<Boolean> kill(String name, String signal) {
    return onThread(() -> {
      Instance instance = named(name);
      if (instance.child == null) {
        // as ps shows it, and what to do instead: there is no JVM to signal
        boolean ended = instance.state == ServiceState.EXITED
            || instance.state == ServiceState.FAILED;
        throw Status.FAILED_PRECONDITION.withDescription("service \"" + name + "\" is not running ("
            + instance.state + (ended ? " (" + instance.exitCode + ")" : "") + "); no signal was "
            + "sent. " + (instance.state == ServiceState.RESTARTING
                ? "It starts again once its backoff is over; parigot stop " + name
                    + " keeps it from starting"
                : "parigot start " + name + " starts it again")).asRuntimeException();
      }
      try {
        instance.child.signal(signal);
      } catch (IllegalArgumentException e) {
        throw Status.INVALID_ARGUMENT.withDescription(e.getMessage()).asRuntimeException();
      } catch (IOException e) {
        throw Status.INTERNAL.withDescription(e.getMessage()).asRuntimeException();
      }
      output.say("sent SIG" + Child.signalName(signal) + " to "
          + (instance.spec.isProgram() ? "program" : "service") + " \"" + name + "\" (pid "
          + instance.child.pid() + ")");
      return instance.spec.isProgram();
    });
  }

  /**
   * Stops the deployment: SIGTERM to every JVM, SIGKILL to those still running after the grace
   * period. The outcome then completes with {@code code}. Asked again while the deployment stops,
   * or once it has stopped and the supervisor is closed (a signal as the orchestrator exits), it
   * does nothing.
   */
  public void stop(int code) {
    try {
      thread.execute(() -> stopNow(code));
    } catch (RejectedExecutionException e) {
      // closed: every service has stopped already
    }
  }

  private void stopNow(int code) {
    if (stopping) {
      return;
    }
    stopping = true;
    stopCode = code;
    int recording = 0;
    Duration longest = Duration.ZERO;
    for (Instance instance : instances.values()) {
      if (instance.state == ServiceState.RESTARTING) {
        instance.state = ServiceState.STOPPED;
      }
      Child child = instance.child;
      if (child != null) {
        child.terminate();
        // its stop_grace_period, or the longer time a JVM writing its AOT cache as it exits
        // needs
        Duration grace = instance.spec.stopGrace();
        if (instance.archivePlan != null && instance.archivePlan.recordsAtExit()) {
          recording++;
          grace = grace.compareTo(ARCHIVE_GRACE) > 0 ? grace : ARCHIVE_GRACE;
        }
        longest = grace.compareTo(longest) > 0 ? grace : longest;
        thread.schedule(child::kill, grace.toMillis(), TimeUnit.MILLISECONDS);
      }
    }
    if (recording > 0) {
      output.say(recording + (recording == 1 ? " service records its "
          : " services record their ") + "AOT cache as it exits (first run only; it makes the "
          + "next start faster)");
    }
    // and anything else still running by then
    thread.schedule(this::killServices, longest.toMillis(), TimeUnit.MILLISECONDS);
    finishIfAllStopped();
  }

  /**
   * Kills every JVM at once (a second Ctrl-C): the services', and the one dumping a class-data
   * archive; the archives not recorded yet are recorded by the next run.
   */
  public void killNow() {
    dumper.cancel();
    killServices();
  }

  /** Kills every service's JVM at once (also when the grace period is over). */
  private void killServices() {
    for (Child child : agent.children()) {
      child.kill();
    }
  }

  /**
   * Once the deployment has stopped: waits for the class-data archives still being dumped from
   * the class lists of first runs, {@link #DUMPS_LIMIT} at most, then stops those running.
   */
  public void awaitArchives() throws InterruptedException {
    int pending = dumper.pending();
    if (pending == 0 || dumper.isCancelled()) {
      dumper.awaitAll(DUMPS_LIMIT); // cancelled: they end at once
      return;
    }
    output.say("recording the class-data " + (pending == 1 ? "archive of 1 service"
        : "archives of " + pending + " services") + " (first run only; it makes the next start "
        + "faster)");
    if (!dumper.awaitAll(DUMPS_LIMIT)) {
      int left = dumper.pending();
      dumper.cancel();
      output.warn(left + " class-data " + (left == 1 ? "archive was" : "archives were")
          + " not recorded within " + describe(DUMPS_LIMIT) + "; the next run records "
          + (left == 1 ? "it" : "them"));
    }
  }

  private void finishIfAllStopped() {
    if (stopping && instances.values().stream().noneMatch(i -> i.child != null)) {
      outcome.complete(stopCode);
    }
  }

  private Instance session(String token) {
    Instance instance = token == null ? null : sessions.get(token);
    if (instance == null) {
      throw unknownSession().getStatus().asRuntimeException();
    }
    return instance;
  }

  private static StatusException unknownSession() {
    return Status.PERMISSION_DENIED.withDescription("refused: this call needs the token of a "
        + "registered service of this deployment").asException();
  }

  private <T> CompletableFuture<T> onThread(Supplier<T> work) {
    CompletableFuture<T> result = new CompletableFuture<>();
    thread.execute(() -> {
      try {
        result.complete(work.get());
      } catch (RuntimeException e) {
        result.completeExceptionally(e);
      }
    });
    return result;
  }

  /**
   * A free loopback port for a service, and none another service of this deployment has: the
   * kernel may hand out again a port it gave a moment ago, once it was closed. 0 (the service
   * takes any) when none is found.
   */
  private int freePort() {
    Set<Integer> taken = new HashSet<>();
    instances.values().forEach(other -> taken.add(other.port));
    for (int attempt = 0; attempt < 20; attempt++) {
      int port = anyFreePort();
      if (port != 0 && !taken.contains(port)) {
        return port;
      }
    }
    return 0;
  }

  private static int anyFreePort() {
    try (java.net.ServerSocket socket = new java.net.ServerSocket()) {
      socket.setReuseAddress(true);
      socket.bind(new java.net.InetSocketAddress("127.0.0.1", 0));
      return socket.getLocalPort();
    } catch (IOException e) {
      return 0;
    }
  }

  static String describe(Duration duration) {
    long millis = duration.toMillis();
    if (millis % 60_000 == 0 && millis > 0) {
      return millis / 60_000 + " min";
    }
    if (millis % 1000 == 0 && millis > 0) {
      return millis / 1000 + " s";
    }
    return millis + " ms";
  }

  /** Completes once every service of the deployment has been ready (never, if one never is). */
  public CompletableFuture<Void> whenReady() {
    return ready;
  }

  /** Whether every service of the deployment has been ready at once, at some point. */
  public boolean wasReady() {
    return announcedReady;
  }

  /** The deployment's name. */
  public String deploymentName() {
    return deployment.name();
  }

  /** The deploy.yaml's services that {@code parigot up FILE NAME...} did not start. */
  public List<String> leftOut() {
    return leftOut;
  }

  /**
   * Ends the supervisor's thread, and stops the class-data archive being dumped, if one still
   * is; call after the outcome completed.
   */
  public void close() {
    dumper.close();
    thread.shutdownNow();
  }
}
