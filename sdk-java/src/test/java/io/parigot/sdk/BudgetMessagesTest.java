package io.parigot.sdk;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.grpc.Status;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** What a budget error says, for a JVM's first calls (a longer budget) and for the later ones. */
class BudgetMessagesTest {
  private static final Duration TEN = Duration.ofMillis(10);

  @Test
  void aWarmUpBudgetSaysTheMethodsOwnAndWhyItIsLonger() {
    assertEquals("budget exceeded: counter.v1.Counter/Nap did not answer within its 40 ms budget "
            + "(its 10 ms budget, times 4 while the JVM warms up: its first 200 calls)",
        Status.fromThrowable(Wire.budgetExceeded("counter.v1.Counter/Nap",
            TEN.multipliedBy(BudgetWatchdog.WARM_UP_FACTOR), TEN)).getDescription());
  }

  @Test
  void aBudgetPastTheWarmUpIsTheMethodsOwn() {
    assertEquals("budget exceeded: counter.v1.Counter/Nap did not answer within its 10 ms budget",
        Status.fromThrowable(Wire.budgetExceeded("counter.v1.Counter/Nap", TEN, TEN))
            .getDescription());
  }

  @Test
  void aWedgeSaysTheBudgetItRanPast() {
    BudgetWatchdog.Wedge wedge = new BudgetWatchdog.Wedge("counter", "counter.v1.Counter/Nap",
        Duration.ofMillis(40), TEN, Duration.ofMillis(52), new StackTraceElement[0],
        java.time.Instant.now());
    assertEquals("counter: method Nap ran past its 40 ms budget (its 10 ms budget, times 4 while "
        + "the JVM warms up: its first 200 calls) (52 ms so far) and the service is being killed.",
        wedge.describe().lines().findFirst().orElseThrow());
  }
}
