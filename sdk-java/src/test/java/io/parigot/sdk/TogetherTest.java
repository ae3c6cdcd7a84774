package io.parigot.sdk;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
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
        + "exited before it was ready (exit code 0): its main returned without launching "
        + "anything: end main with run() on the Context that Parigot.service(...) or "
        + "Parigot.program(...) returns"), failure.get().getMessage());
  }

  /**
   * A timer that throws is logged under the service's name in the deployment, every line of its
   * stack too, and the loop goes on.
   */
  @Test
  void aTimerThatThrowsIsLoggedUnderTheServicesNameAndTheLoopGoesOn() throws Exception {
    ServiceRef inventory = ServiceRef.of("shop.v1.Inventory");
    AtomicBoolean after = new AtomicBoolean();
    PrintStream err = System.err;
    ByteArrayOutputStream captured = new ByteArrayOutputStream();
    System.setErr(new PrintStream(captured, true, StandardCharsets.UTF_8));
    int code;
    try {
      code = Together.builder()
          .program("inventory", args -> {
            Context service = Parigot.service(ServiceBinding.builder(inventory).build());
            service.launch().onSuccess(launched -> {
              service.runAfter(Duration.ZERO, () -> {
                throw new IllegalStateException("the recount timer broke");
              });
              service.runAfter(Duration.ofMillis(20), () -> {
                after.set(true);
                service.exit(0);
              });
            });
            service.run();
          })
          .build()
          .run();
    } finally {
      System.setErr(err);
    }
    String log = captured.toString(StandardCharsets.UTF_8);

    assertEquals(0, code);
    assertTrue(after.get(), "the loop went on after the timer that threw");
    assertTrue(log.contains("inventory: error: a task on the event loop (a timer or a callback) "
        + "threw; the loop goes on\ninventory: java.lang.IllegalStateException: the recount timer "
        + "broke\ninventory: \tat io.parigot.sdk.TogetherTest."), log);
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
