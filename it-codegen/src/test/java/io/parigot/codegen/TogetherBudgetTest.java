package io.parigot.codegen;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.parigot.codegen.greeting.v1.FetchGreetingRequest;
import io.parigot.codegen.greeting.v1.FetchGreetingResponse;
import io.parigot.codegen.greeting.v1.GreetErr;
import io.parigot.codegen.greeting.v1.Greeting;
import io.parigot.codegen.greeting.v1.GreetingClient;
import io.parigot.sdk.Context;
import io.parigot.sdk.Future;
import io.parigot.sdk.Parigot;
import io.parigot.sdk.Promise;
import io.parigot.sdk.ServiceError;
import io.parigot.sdk.Together;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/** {@code Together.builder().budget(...)}: the services' budget in one JVM. */
class TogetherBudgetTest {
  /** Answers every call 300 ms after it came, off a timer: past 50 ms, even warming up (200). */
  static final class SlowGreeting implements Greeting {
    private Context context;

    @Override
    public Future<Void> ready(Context context) {
      this.context = context;
      return Future.done();
    }

    @Override
    public Future<FetchGreetingResponse> fetchGreeting(FetchGreetingRequest request) {
      Promise<FetchGreetingResponse> answer = Promise.promise();
      context.runAfter(Duration.ofMillis(300), () -> answer.complete(
          FetchGreetingResponse.newBuilder().setGreeting("enfin").build()));
      return answer.future();
    }

    @Override
    public Future<FetchGreetingResponse> greetAll(FetchGreetingRequest request) {
      return Future.failed(GreetErr.UNKNOWN_LANG);
    }
  }

  /** The program's one call to the slow greeting: its answer, or its failure. */
  private static Object callSlowGreeting(Together.Builder builder) throws Exception {
    AtomicReference<Object> outcome = new AtomicReference<>();
    int code = builder
        .service("greeting", args -> Parigot.service(Greeting.bind(new SlowGreeting())).run())
        .program("caller", args -> {
          Context caller = Parigot.program("caller").require(Greeting.SERVICE);
          caller.launch()
              .compose(launched -> GreetingClient.locate(caller)
                  .fetchGreeting(FetchGreetingRequest.getDefaultInstance()))
              .onComplete(done -> {
                outcome.set(done.succeeded() ? done.result().getGreeting() : done.cause());
                caller.exit(0);
              });
          caller.run();
        })
        .build()
        .run();
    assertEquals(0, code);
    return outcome.get();
  }

  @Test
  void aMethodSlowerThanParigotsBudgetFailsWithTheBudgetError() throws Exception {
    ServiceError error = assertInstanceOf(ServiceError.class,
        callSlowGreeting(Together.builder()));
    assertTrue(error.isBudgetExceeded(), error.getMessage());
  }

  @Test
  void theRuntimesBudgetHoldsTheServicesAndTheirCallersToIt() throws Exception {
    assertEquals("enfin", callSlowGreeting(Together.builder().budget(Duration.ofSeconds(2))));
  }

  @Test
  void aBudgetUnderAMillisecondIsRefusedSayingWhy() {
    IllegalArgumentException refused = assertThrows(IllegalArgumentException.class,
        () -> Together.builder().budget(Duration.ZERO));
    assertEquals("budget 0 ms: a budget is at least 1 ms (parigot's default is 50 ms)",
        refused.getMessage());
  }
}
