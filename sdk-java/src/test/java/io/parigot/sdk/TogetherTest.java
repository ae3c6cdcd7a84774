package io.parigot.sdk;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

class TogetherTest {
  @Test
  void runReturnsTheProgramsExitCodeAfterItsExitHooksAndStopsTheRest() throws Exception {
    AtomicBoolean hookRan = new AtomicBoolean();
    int code = Together.builder()
        .service("idle", args -> Parigot.program("idle").run())
        .program("main", args -> {
          Context main = Parigot.program("main");
          main.onExit(() -> hookRan.set(true));
          main.launch().onSuccess(launched -> main.exit(3));
          main.run();
        })
        .build()
        .run();

    assertEquals(3, code);
    assertTrue(hookRan.get());
    assertTrue(Thread.getAllStackTraces().keySet().stream()
        .noneMatch(t -> t.getName().equals("parigot-idle") || t.getName().equals("parigot-main")));
  }

  /** A service's main that makes its Context and returns without run(): told what it forgot. */
  @Test
  void aServiceWhoseMainForgetsRunIsToldSoToItsDependents() throws Exception {
    ServiceRef inventory = ServiceRef.of("shop.v1.Inventory");
    AtomicReference<Throwable> failure = new AtomicReference<>();
    int code = Together.builder()
        .service("inventory", args -> Parigot.service(ServiceBinding.builder(inventory).build()))
        .program("shopper", args -> {
          Context shopper = Parigot.program("shopper").require(inventory);
          shopper.launch().onFailure(failure::set);
          shopper.run();
        })
        .build()
        .run();

    assertEquals(1, code);
    assertTrue(failure.get().getMessage().contains("\"inventory\", which never registered, "
        + "crashed before it was ready (exit code 0): its main returned without launching "
        + "anything: end main with run() on the Context that Parigot.service(...) or "
        + "Parigot.program(...) returns"), failure.get().getMessage());
  }

  @Test
  void aServiceThatDoesNotStopIsNamedWithWhereItIs() throws Exception {
    AtomicBoolean release = new AtomicBoolean();
    Together together = Together.builder()
        .stopWithin(Duration.ofMillis(200))
        .service("stubborn", args -> {
          while (!release.get()) {
            try {
              Thread.sleep(10);
            } catch (InterruptedException e) {
              // ignores the interrupt, as badly behaved code does
            }
          }
        })
        .build()
        .start();

    IllegalStateException stuck = assertThrows(IllegalStateException.class, together::stop);

    release.set(true);
    assertTrue(stuck.getMessage().contains("service \"stubborn\" did not stop within 200 ms"),
        stuck.getMessage());
    assertTrue(stuck.getMessage().contains("TogetherTest"), stuck.getMessage());
  }
}
