package io.parigot.sdk;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The same services, without a line changed, running together in one JVM: for tests and
 * debugging. Each service's (or program's) {@code main(String[])} runs on a thread of its own,
 * where {@link Parigot#service} and {@link Parigot#program} find this runtime instead of the
 * orchestrator; calls between them go over in-process gRPC.
 *
 * <pre>{@code
 * int code = Together.builder()
 *     .service("greeting", GreetingService::main)
 *     .program("hello", Hello::main)
 *     .build()
 *     .run();                       // the program's exit code
 * }</pre>
 *
 * <p>What holds as under {@code parigot up}: a launch succeeds only once every required service
 * is ready, and fails with the same {@link LaunchFailure.Reason reasons} (NOT_IN_DEPLOYMENT,
 * CRASHED, CYCLE, NOT_READY_IN_TIME); a service is locatable only once its ready hook succeeded;
 * only required services can be located; every method body and callback of a service runs on its
 * one thread. A service whose main throws or exits before it is ready makes the services that
 * require it fail their launch with CRASHED, naming it and its exit code. What differs: {@code
 * parigot up} then stops the deployment (exit code 1), while here the other services live on
 * until {@link #stop()}. Nothing is restarted, {@code Context.run()} returns instead of ending
 * the JVM, and all services share the JVM's environment and {@code System.out}.
 *
 * <p>Each main must create its context ({@code Parigot.service(...)} or {@code
 * Parigot.program(...)}) on the thread it was called on, and create one.
 */
public final class Together implements AutoCloseable {
  private static final ThreadLocal<Member> CURRENT = new ThreadLocal<>();
  private static final AtomicInteger IDS = new AtomicInteger();

  private final String id = "parigot-together-" + IDS.incrementAndGet();
  private final Map<String, Member> members = new LinkedHashMap<>();
  private final TogetherNames names;
  private final Duration readyWithin;
  private final Duration stopWithin;
  private final Duration budget;
  private final boolean loopback;
  private boolean started;
  private boolean stopped;

  /** The {@code main(String[])} of a service or program, e.g. {@code GreetingService::main}. */
  @FunctionalInterface
  public interface Main {
    /** Runs the service or program; returns when it exits. */
    void main(String[] args) throws Exception;
  }

  /**
   * A check of what a service's code declares when it registers, as {@code parigot up} makes
   * against deploy.yaml's {@code requires:} and {@code exports:}.
   */
  @FunctionalInterface
  public interface RegistrationCheck {
    /** Why the registration of code exporting and requiring these is refused; empty if not. */
    Optional<String> refusal(List<String> exports, List<String> requires);
  }

  private Together(Builder builder) {
    for (Spec spec : builder.specs) {
      members.put(spec.name, new Member(this, spec,
          builder.checks.getOrDefault(spec.name, (exports, requires) -> Optional.empty())));
    }
    this.budget = builder.budget;
    this.names = new TogetherNames(List.copyOf(members.keySet()),
        budget == null ? 0 : budget.toMillis());
    this.readyWithin = builder.readyWithin;
    this.stopWithin = builder.stopWithin;
    this.loopback = builder.loopback;
  }

  /** Starts describing the services and the program that run together. */
  public static Builder builder() {
    return new Builder();
  }

  /**
   * Starts every service and the program, each on its own thread, and returns at once. Stop
   * them with {@link #stop()} (or {@link #close()}).
   */
  public synchronized Together start() {
    if (started) {
      throw new IllegalStateException("this Together runtime was already started");
    }
    started = true;
    members.values().forEach(Member::start);
    return this;
  }

  /**
   * Runs the deployment: starts everything, waits until the program ends (or, without a
   * program, until every service has ended), stops the rest and returns the program's exit code
   * (without a program: 0 when every service exited with 0, else 1).
   */
  public int run() throws InterruptedException {
    start();
    try {
      Member program = members.values().stream().filter(m -> m.spec.program).findFirst()
          .orElse(null);
      if (program != null) {
        program.done.await();
        return program.exitCode;
      }
      int code = 0;
      for (Member member : members.values()) {
        member.done.await();
        code = member.exitCode == 0 ? code : 1;
      }
      return code;
    } finally {
      stop();
    }
  }

  /**
   * Waits until the service or program {@code name} has ended, at most {@code limit}; returns
   * its exit code, or null when it still runs.
   */
  public Integer awaitExit(String name, Duration limit) throws InterruptedException {
    Member member = member(name);
    return member.done.await(limit.toNanos(), TimeUnit.NANOSECONDS) ? member.exitCode : null;
  }

  /**
   * Stops every service and program still running: their exit hooks run and their loops end.
   * Returns once all their threads have ended; fails, naming the service and where its thread
   * is, when one did not end within the stop limit (5 s unless set).
   */
  public void stop() {
    synchronized (this) {
      if (stopped || !started) {
        stopped = true;
        return;
      }
      stopped = true;
    }
    List<Member> order = new ArrayList<>(members.values());
    java.util.Collections.reverse(order);
    order.forEach(Member::stop);
    long deadline = System.nanoTime() + stopWithin.toNanos();
    List<String> stuck = new ArrayList<>();
    for (Member member : order) {
      try {
        long left = deadline - System.nanoTime();
        member.thread.join(Math.max(TimeUnit.NANOSECONDS.toMillis(left), 1));
        if (member.thread.isAlive()) {
          member.thread.interrupt();
          member.thread.join(1000);
          if (member.thread.isAlive()) {
            stuck.add(member.describeStuck());
          }
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        stuck.add(member.describeStuck());
      }
      member.shutdownBackends();
    }
    if (!stuck.isEmpty()) {
      throw new IllegalStateException("together: " + String.join("\n", stuck));
    }
  }

  /** Same as {@link #stop()}. */
  @Override
  public void close() {
    stop();
  }

  /** The names of the services and the program, in the order they were given. */
  public List<String> names() {
    return List.copyOf(members.keySet());
  }

  private Member member(String name) {
    Member member = members.get(name);
    if (member == null) {
      throw new IllegalArgumentException("no service \"" + name + "\" here (services here: "
          + String.join(", ", members.keySet()) + ")");
    }
    return member;
  }

  String id() {
    return id;
  }

  void afterReadyLimit(Runnable task) {
    CompletableFuture.delayedExecutor(readyWithin.toMillis(), TimeUnit.MILLISECONDS).execute(task);
  }

  /** The default budget of the services' methods: {@link Builder#budget}, or 50 ms. */
  Duration budget() {
    return budget == null ? BudgetWatchdog.DEFAULT_BUDGET : budget;
  }

  String readyLimitText() {
    return readyWithin.toMillis() % 1000 == 0
        ? readyWithin.toSeconds() + " s" : readyWithin.toMillis() + " ms";
  }

  /**
   * The backend for {@code context} when it is created by a main that a Together runtime
   * started on this thread; otherwise null.
   */
  static Backend backendFor(Context context) {
    Member member = CURRENT.get();
    return member == null ? null : member.attach(context);
  }

  /** Describes the services and the program of a {@link Together} runtime. */
  public static final class Builder {
    private final List<Spec> specs = new ArrayList<>();
    private final Map<String, RegistrationCheck> checks = new HashMap<>();
    private Duration readyWithin = Duration.ofSeconds(30);
    private Duration stopWithin = Duration.ofSeconds(5);
    private Duration budget;
    private boolean loopback;

    private Builder() {}

    /** Adds the service {@code name} (its deploy.yaml name) whose main is {@code main}. */
    public Builder service(String name, Main main, String... args) {
      return add(new Spec(name, main, List.of(args), false));
    }

    /**
     * Adds the program {@code name}: code that runs to completion; its exit ends the deployment
     * and {@link #run()} returns its exit code. At most one.
     */
    public Builder program(String name, Main main, String... args) {
      if (specs.stream().anyMatch(s -> s.program)) {
        throw new IllegalArgumentException("program \"" + name + "\": there is already a program ("
            + specs.stream().filter(s -> s.program).findFirst().get().name
            + "); a deployment has at most one");
      }
      return add(new Spec(name, main, List.of(args), true));
    }

    /**
     * Checks what the code of {@code name} declares when it registers; a refusal fails its
     * launch with REFUSED, saying why (deploy.yaml's {@code requires:} gone out of date, say).
     */
    public Builder checkRegistration(String name, RegistrationCheck check) {
      checks.put(name, check);
      return this;
    }

    /**
     * How long a launch may wait for its requirements before it fails with NOT_READY_IN_TIME;
     * 30 s unless set (the default {@code startup_timeout} of deploy.yaml).
     */
    public Builder readyWithin(Duration limit) {
      this.readyWithin = limit;
      return this;
    }

    /** How long {@link Together#stop()} waits for the services' threads to end; 5 s unless set. */
    public Builder stopWithin(Duration limit) {
      this.stopWithin = limit;
      return this;
    }

    /**
     * The budget of every service's methods, as deploy.yaml's {@code budget:} gives one service
     * under {@code parigot up}; 50 ms unless set. A method's own budget (its {@code .proto}
     * option) still wins, and the first calls are still given longer while the JVM warms up.
     * For a test suite on a machine too loaded to hold a method to 50 ms, say: the services'
     * callers wait the same budget.
     *
     * @throws IllegalArgumentException when {@code budget} is not a positive whole number of
     *     milliseconds
     */
    public Builder budget(Duration budget) {
      if (budget.isNegative() || budget.toMillis() < 1) {
        throw new IllegalArgumentException("budget " + budget.toMillis() + " ms: a budget is at "
            + "least 1 ms (parigot's default is 50 ms)");
      }
      this.budget = budget;
      return this;
    }

    /**
     * Carries calls over netty on 127.0.0.1 instead of in-process gRPC: the network path of
     * {@code parigot up}, in one JVM, to measure or debug it.
     */
    public Builder overLoopback() {
      this.loopback = true;
      return this;
    }

    /** The runtime, not started yet. */
    public Together build() {
      if (specs.isEmpty()) {
        throw new IllegalStateException("Together needs at least one service or program");
      }
      return new Together(this);
    }

    private Builder add(Spec spec) {
      if (specs.stream().anyMatch(s -> s.name.equals(spec.name))) {
        throw new IllegalArgumentException("service \"" + spec.name + "\" is given twice");
      }
      specs.add(spec);
      return this;
    }
  }

  private record Spec(String name, Main main, List<String> args, boolean program) {}

  /** One service or program of the runtime: its thread, its contexts, how it ended. */
  static final class Member {
    private final Together together;
    private final Spec spec;
    private final RegistrationCheck check;
    private final List<Context> contexts = new ArrayList<>();
    private final List<TogetherBackend> backends = new ArrayList<>();
    private final CountDownLatch done = new CountDownLatch(1);
    private volatile Integer exitCode;
    private boolean stopping;
    private Thread thread;

    Member(Together together, Spec spec, RegistrationCheck check) {
      this.together = together;
      this.spec = spec;
      this.check = check;
    }

    /** Why the registration of this member's code is refused, if it is. */
    Optional<String> refusal(List<String> exports, List<String> requires) {
      return check.refusal(exports, requires);
    }

    String name() {
      return spec.name;
    }

    Together together() {
      return together;
    }

    void start() {
      thread = new Thread(this::runMain, "parigot-" + spec.name);
      thread.start();
    }

    private void runMain() {
      CURRENT.set(this);
      try {
        spec.main.main(spec.args.toArray(String[]::new));
        boolean exited = exitCode != null;
        if (!exited) {
          exitCode = 0;
        }
        together.names.gone(spec.name, exitCode, exited ? null : returnedWithoutExit());
      } catch (Throwable failure) {
        System.err.println(spec.name + ": main failed: " + failure);
        failure.printStackTrace();
        if (exitCode == null) {
          exitCode = 1;
        }
        together.names.gone(spec.name, exitCode, "its main threw " + failure);
      } finally {
        CURRENT.remove();
        done.countDown();
      }
    }

    /** Why a main that returned normally, without exit(), never served: what it forgot. */
    private String returnedWithoutExit() {
      boolean launched;
      synchronized (this) {
        launched = !contexts.isEmpty();
      }
      return launched
          ? "its main returned without exit(): it launched, but never ran its loop; end main "
              + "with run() on its Context (launch() alone does not run it)"
          : "its main returned without launching anything: end main with run() on the Context "
              + "that Parigot.service(...) or Parigot.program(...) returns, as in "
              + "Parigot.service(Greeting.bind(new GreetingService())).run()";
    }

    TogetherBackend attach(Context context) {
      TogetherBackend backend = new TogetherBackend(this, together.names, together.loopback);
      boolean stopNow;
      synchronized (this) {
        contexts.add(context);
        backends.add(backend);
        stopNow = stopping;
      }
      if (stopNow) {
        context.execute(() -> context.exit(0));
      }
      return backend;
    }

    void exited(int code, String reason) {
      if (exitCode == null) {
        exitCode = code;
      }
      together.names.gone(spec.name, code, reason);
    }

    void stop() {
      List<Context> running;
      synchronized (this) {
        stopping = true;
        running = List.copyOf(contexts);
      }
      for (Context context : running) {
        context.execute(() -> context.exit(0));
      }
    }

    void shutdownBackends() {
      List<TogetherBackend> all;
      synchronized (this) {
        all = List.copyOf(backends);
      }
      all.forEach(TogetherBackend::shutdown);
    }

    String describeStuck() {
      StringBuilder text = new StringBuilder("service \"" + spec.name + "\" did not stop within "
          + together.stopWithin.toMillis() + " ms; its thread is at:");
      for (StackTraceElement frame : thread.getStackTrace()) {
        text.append("\n    at ").append(frame);
      }
      return text.toString();
    }
  }
}
