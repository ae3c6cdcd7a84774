package io.parigot.sdk;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.parigot.v1.ReservedError;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class FutureTest {
  private static final RuntimeException BOOM = new IllegalStateException("boom");

  @Test
  void mapAndComposeChainResultsAndSkipOnFailure() {
    Promise<Integer> first = Promise.promise();
    Future<String> chained = first.future().map(n -> n + 1).compose(n -> Future.succeeded("n=" + n));
    assertTrue(!chained.isComplete());

    first.complete(41);

    assertEquals("n=42", chained.result());
    assertSame(BOOM, Future.<Integer>failed(BOOM).map(n -> n + 1).cause());
  }

  @Test
  void noErrorIsNoErrorToFailWith() {
    IllegalArgumentException refused = assertThrows(IllegalArgumentException.class,
        () -> Future.failed(ReservedError.NO_ERROR));

    assertTrue(refused.getMessage().startsWith("NO_ERROR (0) is no error: a method that "
        + "succeeded answers with its response (Future.succeeded(response))"),
        refused.getMessage());
    assertEquals(ServiceError.DISPATCH_ERROR,
        ((ServiceError) Future.failed(ReservedError.DISPATCH_ERROR).cause()).number());
  }

  @Test
  void aLongChainOfComposedStepsCompletesWithoutOverflowingTheStack() {
    // each step waits for a call (a gate) and then composes the next: when the last step
    // succeeds, every step's future completes inside the one before it, 100,000 deep
    int steps = 100_000;
    ArrayDeque<Promise<Integer>> gates = new ArrayDeque<>();
    Future<Integer> chain = step(0, steps, gates);
    List<Integer> seen = new ArrayList<>();
    chain.onSuccess(seen::add);
    while (!gates.isEmpty()) {
      gates.poll().complete(0);
    }

    assertTrue(chain.isComplete());
    assertEquals(steps, chain.result());
    assertEquals(List.of(steps), seen);
  }

  private static Future<Integer> step(int i, int steps, ArrayDeque<Promise<Integer>> gates) {
    if (i == steps) {
      return Future.succeeded(steps);
    }
    Promise<Integer> gate = Promise.promise();
    gates.add(gate);
    return gate.future().compose(ignored -> step(i + 1, steps, gates));
  }

  @Test
  void aCallbackThatThrowsDoesNotKeepTheOthersFromRunning() {
    Promise<String> promise = Promise.promise();
    promise.future().onSuccess(value -> {
      throw BOOM;
    });
    Future<String> mapped = promise.future().map(value -> value + "!");
    Future<List<String>> all = Future.all(List.of(promise.future()));

    // the completion throws what the callback threw, for the loop to log, once all have run
    assertSame(BOOM, assertThrows(IllegalStateException.class, () -> promise.complete("x")));
    assertEquals("x!", mapped.result());
    assertEquals(List.of("x"), all.result());
  }

  @Test
  void aCallbackThatThrowsDeepInAChainDoesNotKeepTheOthersFromRunning() {
    // past 64 nested completions the callbacks are deferred: one that throws there too
    Promise<Integer> start = Promise.promise();
    Future<Integer> chain = start.future();
    for (int i = 0; i < 200; i++) {
      chain = chain.map(n -> n + 1);
    }
    List<Integer> seen = new ArrayList<>();
    RuntimeException first = new IllegalStateException("first");
    RuntimeException second = new IllegalArgumentException("second");
    chain.onSuccess(n -> {
      throw first;
    });
    chain.onSuccess(n -> {
      throw second;
    });
    chain.onSuccess(seen::add);

    IllegalStateException thrown = assertThrows(IllegalStateException.class,
        () -> start.complete(0));

    assertSame(first, thrown);
    assertEquals(List.of(second), List.of(thrown.getSuppressed()));
    assertEquals(List.of(200), seen);
  }

  @Test
  void aComposeOrRecoverWhoseFunctionReturnsNullFailsSayingSo() {
    Promise<Integer> promise = Promise.promise();
    Future<Integer> composed = promise.future().compose(n -> null);
    Future<Integer> recovered = promise.future().map(n -> n / 0).recover(e -> null);

    promise.complete(1);

    assertTrue(composed.cause() instanceof NullPointerException, String.valueOf(composed));
    assertTrue(composed.cause().getMessage().startsWith("compose(...)'s function returned null "
        + "instead of a future"), composed.cause().getMessage());
    assertTrue(recovered.cause().getMessage().startsWith("recover(...)'s function returned null "
        + "instead of a future"), String.valueOf(recovered));
  }

  @Test
  void anErrorThrownByMapComposeOrRecoverFailsItsFuture() {
    // a failed assertion in a test's callback, say: the future fails with it, it does not hang
    AssertionError failed = new AssertionError("expected: <2> but was: <1>");
    Promise<Integer> promise = Promise.promise();
    Future<Integer> mapped = promise.future().map(n -> {
      throw failed;
    });
    Future<Integer> composed = promise.future().compose(n -> {
      throw failed;
    });
    Future<Integer> recovered = Future.<Integer>failed(BOOM).recover(e -> {
      throw failed;
    });

    promise.complete(1);

    assertSame(failed, mapped.cause());
    assertSame(failed, composed.cause());
    assertSame(failed, recovered.cause());
  }

  @Test
  void recoverReplacesAFailureAndPassesASuccess() {
    assertEquals("fallback", Future.<String>failed(BOOM).recover(e -> Future.succeeded("fallback"))
        .result());
    assertEquals("fine", Future.succeeded("fine").recover(e -> Future.succeeded("no")).result());
  }

  @Test
  void allWaitsForEveryResultInOrderAndFailsOnTheFirstFailure() {
    Promise<Integer> a = Promise.promise();
    Promise<Integer> b = Promise.promise();
    Future<List<Integer>> all = Future.all(List.of(a.future(), b.future()));
    b.complete(2);
    assertTrue(!all.isComplete());
    a.complete(1);
    assertEquals(List.of(1, 2), all.result());

    assertSame(BOOM, Future.all(List.of(Future.succeeded(1), Future.<Integer>failed(BOOM))).cause());
  }

  @Test
  void anyTakesTheFirstSuccessAndFailsOnlyWhenAllFailed() {
    Promise<Integer> slow = Promise.promise();
    Future<Integer> any = Future.any(List.of(Future.failed(BOOM), slow.future()));
    assertTrue(!any.isComplete());
    slow.complete(7);
    assertEquals(7, any.result());

    assertSame(BOOM, Future.any(List.of(Future.<Integer>failed(BOOM))).cause());
  }

  @Test
  void theCompletionStageBridgeCarriesResultsAndFailures() throws Exception {
    assertEquals("x", Future.succeeded("x").toCompletionStage().toCompletableFuture()
        .get(1, TimeUnit.SECONDS));
    assertTrue(Future.failed(BOOM).toCompletionStage().toCompletableFuture()
        .isCompletedExceptionally());
  }
}
