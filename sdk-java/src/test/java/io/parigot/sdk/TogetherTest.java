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

  /** A ready hook that returns null (as a Future<Void> method may) fails the launch saying so. */
  @Test
  void aReadyHookThatReturnsNullFailsTheLaunchSayingSo() throws Exception {
    ServiceRef inventory = ServiceRef.of("shop.v1.Inventory");
    AtomicReference<Throwable> failure = new AtomicReference<>();
    int code = Together.builder()
        .program("inventory", args -> {
          Context service = Parigot.service(ServiceBinding.builder(inventory)
              .ready(context -> null).build());
          service.launch().onFailure(failure::set);
          service.run();
        })
        .build()
        .run();

    assertEquals(1, code);
    assertEquals(LaunchFailure.Reason.READY_FAILED, ((LaunchFailure) failure.get()).reason());
    assertTrue(failure.get().getMessage().contains("ready failed: java.lang.NullPointerException: "
        + "the ready hook of shop.v1.Inventory returned null instead of a future: return "
        + "Future.done() when it has nothing to wait for"), failure.get().getMessage());
  }

  /** An exit hook that throws is logged with its stack, and the next hook runs. */
  @Test
  void anExitHookThatThrowsIsLoggedWithItsStackAndTheNextRuns() throws Exception {
    AtomicBoolean nextRan = new AtomicBoolean();
    PrintStream err = System.err;
    ByteArrayOutputStream captured = new ByteArrayOutputStream();
    System.setErr(new PrintStream(captured, true, StandardCharsets.UTF_8));
    int code;
    try {
      code = Together.builder()
          .program("main", args -> {
            Context main = Parigot.program("main");
            main.onExit(() -> {
              throw new IllegalStateException("the journal is closed");
            });
            main.onExit(() -> nextRan.set(true));
            main.launch().onSuccess(launched -> main.exit(0));
            main.run();
          })
          .build()
          .run();
    } finally {
      System.setErr(err);
    }
    String log = captured.toString(StandardCharsets.UTF_8);

    assertEquals(0, code);
    assertTrue(nextRan.get());
    assertTrue(log.contains("main: error: an exit hook threw; the next one runs\nmain: "
        + "java.lang.IllegalStateException: the journal is closed\nmain: \tat "
        + "io.parigot.sdk.TogetherTest."), log);
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

  /**
   * A program whose call fails, with only an onSuccess to hear of it, waits for ever: once it
   * has had nothing to do for a while it says which failure went unseen; one that handled its
   * failure, or that still has a timer set, says nothing.
   */
  @Test
  void aProgramIdleSinceAFailureNothingHandledSaysWhichAndGoesOnWaiting() throws Exception {
    PrintStream err = System.err;
    ByteArrayOutputStream captured = new ByteArrayOutputStream();
    System.setErr(new PrintStream(captured, true, StandardCharsets.UTF_8));
    AtomicReference<Context> shopper = new AtomicReference<>();
    AtomicReference<Integer> code = new AtomicReference<>();
    Together together = Together.builder()
        .program("shopper", args -> {
          Context program = Parigot.program("shopper");
          shopper.set(program);
          program.launch().onSuccess(ready -> {
            // seen, and then not
            Future.failed(new IllegalStateException("handled")).onFailure(e -> { });
            Future.<String>failed(new IllegalStateException("cart 7 is out of stock"))
                .map(String::length)
                .onSuccess(length -> program.exit(0));
          });
          program.run();
        })
        .build();
    Thread runner = new Thread(() -> {
      try {
        code.set(together.run());
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    });
    try {
      runner.start();
      long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
      while (!captured.toString(StandardCharsets.UTF_8).contains("warning")
          && System.nanoTime() < deadline) {
        Thread.sleep(50);
      }
      // it goes on waiting: told from another thread, it still exits
      shopper.get().execute(() -> shopper.get().exit(3));
      runner.join(20_000);
    } finally {
      System.setErr(err);
    }
    String log = captured.toString(StandardCharsets.UTF_8);

    assertEquals(3, code.get(), log);
    assertTrue(log.contains("shopper: warning: nothing to do for 2 s (no call in flight, no "
        + "timer) since a future failed that no callback handled: java.lang.IllegalStateException: "
        + "cart 7 is out of stock. A program ends with exit(); onSuccess alone ignores a failure"),
        log);
    assertEquals(1, log.lines().filter(l -> l.contains("warning")).count(), log);
    assertTrue(!log.contains("handled\n") && !log.contains(": handled"), log);
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
