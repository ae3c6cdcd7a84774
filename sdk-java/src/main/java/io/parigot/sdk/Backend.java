package io.parigot.sdk;

import io.grpc.Channel;
import io.grpc.ServerServiceDefinition;
import io.parigot.control.v1.Endpoint;
import io.parigot.control.v1.Location;
import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * Where a {@link Context} runs: in a JVM of its own under {@code parigot up} (the control plane),
 * or together with other services in one JVM. Completions arrive on any thread; the context
 * moves them onto its loop.
 */
interface Backend {
  /** The service's name in the deployment, or {@code fallback} when it has none. */
  String serviceName(String fallback);

  /** Starts serving {@code services}; returns where, or null when there is nothing to serve. */
  Endpoint serve(List<ServerServiceDefinition> services) throws IOException;

  CompletableFuture<Void> register(List<String> exports, List<String> requires, Endpoint endpoint);

  CompletableFuture<List<Location>> awaitRequirements();

  CompletableFuture<Void> ready();

  Channel channelTo(Location location);

  /** Tells the deployment this service exits; bounded in time, best effort. */
  void exit(int code, String reason);

  /** Releases servers and channels. */
  void shutdown();

  /** Whether {@link Context#run()} ends the JVM when the service exits. */
  boolean ownsProcess();

  /** The default budget of this service's methods: deploy.yaml's {@code budget:}, or 50 ms. */
  default Duration budget() {
    return BudgetWatchdog.DEFAULT_BUDGET;
  }

  /** A call of {@code method} was answered with the budget error; the service went on. */
  default void budgetOverrun(String method, Duration budget) {}

  /**
   * The service's loop is stuck in a method body past its budget. Called on the watchdog's
   * thread; the service must end (or, where it cannot be killed, be marked failed).
   */
  default void budgetWedged(BudgetWatchdog.Wedge wedge) {
    System.err.println(wedge.describe());
  }
}
