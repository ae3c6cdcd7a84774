package io.parigot.sdk;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.grpc.MethodDescriptor;
import io.parigot.v1.OperationRequest;
import io.parigot.v1.OperationState;
import io.parigot.v1.ReservedError;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;

class OperationsTest {
  private static final ServiceRef RENDER = ServiceRef.of("test.v1.Render");
  private static final MethodDescriptor<OperationRequest, OperationState> START =
      Operations.method(RENDER.fullName(), "Start");

  /**
   * An operation that fails with its service's typed error reaches its poller as a method's
   * typed error does, named once: not "failed: MARSHAL_FAILED (MARSHAL_FAILED)".
   */
  @Test
  void anOperationsTypedErrorIsNamedOnce() throws Exception {
    Awaited awaited = awaitOperationThatFailsWith(
        () -> new ServiceError(ReservedError.MARSHAL_FAILED, null, null));

    ServiceError error = awaited.error();
    assertEquals(ReservedError.MARSHAL_FAILED, error.code());
    assertEquals("test.v1.Render operation " + awaited.id() + " failed: MARSHAL_FAILED",
        error.getMessage());
    assertTrue(error.getCause() == null, String.valueOf(error.getCause()));
  }

  /** The detail of an operation's typed error reaches its poller, the error's name said once. */
  @Test
  void anOperationsTypedErrorKeepsItsDetail() throws Exception {
    Awaited awaited = awaitOperationThatFailsWith(
        () -> new ServiceError(ReservedError.MARSHAL_FAILED, "page 3 of 2 asked for"));

    ServiceError error = awaited.error();
    assertEquals(ReservedError.MARSHAL_FAILED, error.code());
    assertEquals(Optional.of("page 3 of 2 asked for"), error.detail());
    assertEquals("test.v1.Render operation " + awaited.id() + " failed: MARSHAL_FAILED (page 3 "
        + "of 2 asked for)", error.getMessage());
  }

  private record Awaited(String id, ServiceError error) {}

  /** A caller's await of an operation of test.v1.Render whose work throws {@code failure}. */
  private static Awaited awaitOperationThatFailsWith(Supplier<ServiceError> failure)
      throws Exception {
    AtomicReference<Throwable> failed = new AtomicReference<>();
    AtomicReference<String> id = new AtomicReference<>();
    int code = Together.builder()
        .service("render", args -> {
          Context[] render = new Context[1];
          render[0] = Parigot.service(ServiceBinding.builder(RENDER)
              .unary(START, request -> Future.succeeded(OperationState.newBuilder()
                  .setId(render[0].operations().start(() -> {
                    throw failure.get();
                  })).build()))
              .build());
          render[0].run();
        })
        .program("caller", args -> {
          Context caller = Parigot.program("caller").require(RENDER);
          caller.launch()
              .compose(launched -> caller.locate(RENDER).unary(START,
                  OperationRequest.getDefaultInstance()))
              .compose(started -> {
                id.set(started.getId());
                return caller.locate(RENDER).awaitOperation(started.getId(),
                    OperationState.parser());
              })
              .onComplete(done -> {
                failed.set(done.cause());
                caller.exit(0);
              });
          caller.run();
        })
        .build()
        .run();

    assertEquals(0, code);
    return new Awaited(id.get(), assertInstanceOf(ServiceError.class, failed.get()));
  }

  /**
   * A start from another thread than the loop's is refused, saying where to start it: the
   * operations' state is the loop's, and a worker's start raced with the loop's polls.
   */
  @Test
  void aStartOffTheLoopIsRefused() throws Exception {
    AtomicReference<Throwable> refused = new AtomicReference<>();
    int code = Together.builder()
        .service("render", args -> {
          Context[] render = new Context[1];
          render[0] = Parigot.service(ServiceBinding.builder(RENDER)
              .unary(START, request -> {
                Thread worker = new Thread(() -> {
                  try {
                    render[0].operations().start(() -> OperationState.getDefaultInstance());
                  } catch (RuntimeException e) {
                    refused.set(e);
                  }
                }, "a-worker");
                worker.start();
                try {
                  worker.join(1000);
                } catch (InterruptedException e) {
                  Thread.currentThread().interrupt();
                }
                return Future.succeeded(OperationState.getDefaultInstance());
              })
              .build());
          render[0].run();
        })
        .program("caller", args -> {
          Context caller = Parigot.program("caller").require(RENDER);
          caller.launch()
              .compose(launched -> caller.locate(RENDER).unary(START,
                  OperationRequest.getDefaultInstance()))
              .onComplete(done -> caller.exit(done.succeeded() ? 0 : 1));
          caller.run();
        })
        .build()
        .run();

    assertEquals(0, code);
    IllegalStateException error = assertInstanceOf(IllegalStateException.class, refused.get());
    assertTrue(error.getMessage().contains("called on thread \"a-worker\", not on the "
        + "service's event loop"), error.getMessage());
  }
}
