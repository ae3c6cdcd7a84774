package io.parigot.junit;

import io.parigot.sdk.Context;
import io.parigot.sdk.Future;
import io.parigot.sdk.LaunchFailure;
import io.parigot.sdk.Parigot;
import io.parigot.sdk.ServiceRef;
import io.parigot.sdk.Together;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Function;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * Runs services {@link Together} in the test's JVM and gives the test a client: a program-like
 * {@link Context} named {@code junit} that requires the services the test names. Everything is
 * stopped after the test class (a {@code static} field) or after each test (an instance field),
 * and a service whose thread does not end fails the test.
 *
 * <pre>{@code
 * @RegisterExtension
 * static final ParigotExtension parigot = ParigotExtension.builder()
 *     .service("greeting", GreetingService::main)       // or .deployFile(Path.of("deploy.yaml"))
 *     .require(Greeting.SERVICE)
 *     .build();
 *
 * @Test
 * void greetsInFrench() {
 *   FetchGreetingResponse response = parigot.call(ctx -> GreetingClient.locate(ctx)
 *       .fetchGreeting(FetchGreetingRequest.newBuilder().setTongue(Tongue.FRENCH).build()));
 *   assertEquals("bonjour", response.getGreeting());
 * }
 * }</pre>
 *
 * <p>The client's futures belong to its event loop, so the test hands work to it with {@link
 * #call} (waits for the answer) or {@link #submit} (does not), rather than touching futures from
 * the test's thread.
 */
public final class ParigotExtension
    implements BeforeAllCallback, AfterAllCallback, BeforeEachCallback, AfterEachCallback {
  /** The name of the test's client in the deployment. */
  public static final String CLIENT = "junit";

  private final List<Function<Together.Builder, Together.Builder>> services;
  private final Set<ServiceRef> requires;
  private final Duration readyWithin;
  private final Duration callWithin;
  private final Duration budget;
  private Together together;
  private CompletableFuture<Context> client;
  private CompletableFuture<Context> launched;
  private boolean perClass;

  private ParigotExtension(Builder builder) {
    this.services = List.copyOf(builder.services);
    this.requires = Set.copyOf(builder.requires);
    this.readyWithin = builder.readyWithin;
    this.callWithin = builder.callWithin;
    this.budget = builder.budget;
  }

  /** Starts describing the services under test. */
  public static Builder builder() {
    return new Builder();
  }

  @Override
  public void beforeAll(ExtensionContext context) {
    perClass = true;
    start();
  }

  @Override
  public void beforeEach(ExtensionContext context) {
    if (!perClass) {
      start();
    }
  }

  @Override
  public void afterEach(ExtensionContext context) {
    if (!perClass) {
      stop();
    }
  }

  @Override
  public void afterAll(ExtensionContext context) {
    stop();
  }

  private void start() {
    Together.Builder builder = Together.builder().readyWithin(readyWithin);
    if (budget != null) {
      builder.budget(budget);
    }
    for (Function<Together.Builder, Together.Builder> service : services) {
      builder = service.apply(builder);
    }
    client = new CompletableFuture<>();
    launched = new CompletableFuture<>();
    ServiceRef[] required = requires.toArray(ServiceRef[]::new);
    together = builder.program(CLIENT, args -> {
      Context junit = Parigot.program(CLIENT).require(required);
      client.complete(junit);
      junit.launch().onComplete(f -> {
        if (f.succeeded()) {
          launched.complete(junit);
        } else {
          launched.completeExceptionally(f.cause());
        }
      });
      junit.run();
      launched.completeExceptionally(new IllegalStateException(
          "the test's client exited before its launch finished"));
    }).build().start();
  }

  private void stop() {
    Together running = together;
    together = null;
    if (running != null) {
      running.stop();
    }
  }

  /** The running Together runtime, e.g. to wait for a service's exit. */
  public Together together() {
    if (together == null) {
      throw new IllegalStateException("the services run only during a test");
    }
    return together;
  }

  /**
   * Waits until the client's launch succeeded: every required service is ready. Throws the
   * {@link LaunchFailure} (with its reason) when it failed.
   */
  public Context awaitLaunch() {
    together();
    return await(launched, readyWithin.plusSeconds(5), "the launch of the test's client");
  }

  /**
   * Runs {@code call} on the client's event loop once it is launched, and waits for the future
   * it returns, at most the call limit (10 s unless set): returns its result or throws its
   * failure (a {@link io.parigot.sdk.ServiceError} for a failed parigot call).
   */
  public <T> T call(Function<Context, Future<T>> call) {
    return await(submit(call), callWithin, "the call");
  }

  /**
   * Runs {@code call} on the client's event loop once it is launched, without waiting: the
   * result arrives on the returned stage. Safe to use from many test threads at once.
   */
  public <T> CompletableFuture<T> submit(Function<Context, Future<T>> call) {
    Context junit = awaitLaunch();
    CompletableFuture<T> result = new CompletableFuture<>();
    junit.execute(() -> {
      Future<T> future;
      try {
        future = call.apply(junit);
      } catch (RuntimeException | Error e) { // a failed assertion too: the test hears of it
        result.completeExceptionally(e);
        return;
      }
      if (future == null) {
        result.completeExceptionally(new NullPointerException("the function given to call(...) "
            + "or submit(...) returned null instead of a future: return the call's future, or "
            + "Future.succeeded(value)"));
        return;
      }
      future.onComplete(f -> {
        if (f.succeeded()) {
          result.complete(f.result());
        } else {
          result.completeExceptionally(f.cause());
        }
      });
    });
    return result;
  }

  private static <T> T await(CompletableFuture<T> future, Duration limit, String what) {
    try {
      return future.get(limit.toMillis(), TimeUnit.MILLISECONDS);
    } catch (ExecutionException e) {
      Throwable cause = e.getCause();
      if (cause instanceof RuntimeException runtime) {
        throw runtime;
      }
      if (cause instanceof Error error) {
        throw error;
      }
      throw new IllegalStateException(what + " failed: " + cause, cause);
    } catch (TimeoutException e) {
      throw new AssertionError(what + " did not finish within " + limit);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while waiting for " + what, e);
    }
  }

  /** Describes the services a test runs and what its client requires. */
  public static final class Builder {
    private final List<Function<Together.Builder, Together.Builder>> services = new ArrayList<>();
    private final Set<ServiceRef> requires = new LinkedHashSet<>();
    private Duration readyWithin = Duration.ofSeconds(30);
    private Duration callWithin = Duration.ofSeconds(10);
    private Duration budget;

    private Builder() {}

    /** Runs the service {@code name} whose main is {@code main}, e.g. {@code GreetingService::main}. */
    public Builder service(String name, Together.Main main, String... args) {
      services.add(together -> together.service(name, main, args));
      return this;
    }

    /**
     * Runs every service of {@code deployYaml} (see {@link DeployYaml}); its program, if any,
     * does not run: the test is the program. The file is checked as {@code parigot up} checks
     * it, but for its jars and JDKs: the services' mains come from the test's classpath.
     *
     * @throws IllegalArgumentException listing every problem as {@code file:line:column:
     *     message}, when the file has any or a main class is not on the test's classpath
     */
    public Builder deployFile(Path deployYaml) {
      List<DeployYaml.Service> read = DeployYaml.read(deployYaml, false);
      services.add(together -> {
        DeployYaml.addTo(together, read, false);
        return together;
      });
      return this;
    }

    /** Services the test's client requires: its launch waits for them, and it can locate them. */
    public Builder require(ServiceRef... services) {
      requires.addAll(List.of(services));
      return this;
    }

    /** How long launches may wait for their requirements; 30 s unless set. */
    public Builder readyWithin(Duration limit) {
      this.readyWithin = limit;
      return this;
    }

    /** How long {@link ParigotExtension#call} waits for an answer; 10 s unless set. */
    public Builder callWithin(Duration limit) {
      this.callWithin = limit;
      return this;
    }

    /**
     * The budget of every service's methods, in place of parigot's 50 ms (see {@link
     * Together.Builder#budget}): for a suite on a machine too loaded to hold them to it.
     *
     * @throws IllegalArgumentException when {@code budget} is under 1 ms
     */
    public Builder budget(Duration budget) {
      Together.builder().budget(budget); // refused here, not at the first test
      this.budget = budget;
      return this;
    }

    /** The extension, to register with {@code @RegisterExtension}. */
    public ParigotExtension build() {
      return new ParigotExtension(this);
    }
  }
}
