package io.parigot.codegen;

import io.parigot.sdk.Context;
import io.parigot.sdk.Future;
import io.parigot.sdk.InProcessDeployment;
import io.parigot.sdk.ServiceRef;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;

/** Calls a service from a program of the deployment, as a caller's code would, and waits. */
final class Calls {
  private Calls() {}

  /** The outcome of {@code call}, made once the program requiring {@code service} launched. */
  static <T> CompletableFuture<T> call(InProcessDeployment deployment, ServiceRef service,
      Function<Context, Future<T>> call) {
    Context caller = deployment.program("caller", service);
    CompletableFuture<T> outcome = new CompletableFuture<>();
    caller.launch()
        .compose(launched -> call.apply(caller))
        .onSuccess(outcome::complete)
        .onFailure(outcome::completeExceptionally);
    deployment.run(caller);
    return outcome;
  }

  static <T> T result(CompletableFuture<T> outcome) throws Exception {
    return outcome.get(10, TimeUnit.SECONDS);
  }

  static Throwable failure(CompletableFuture<?> outcome) throws Exception {
    try {
      Object value = outcome.get(10, TimeUnit.SECONDS);
      throw new AssertionError("expected a failure, got " + value);
    } catch (ExecutionException e) {
      return e.getCause();
    }
  }
}
