package io.parigot.sdk;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.grpc.MethodDescriptor;
import io.parigot.v1.OperationRequest;
import io.parigot.v1.OperationState;
import io.parigot.v1.ReservedError;
import java.util.concurrent.atomic.AtomicReference;
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
    AtomicReference<Throwable> failure = new AtomicReference<>();
    AtomicReference<String> id = new AtomicReference<>();
    int code = Together.builder()
        .service("render", args -> {
          Context[] render = new Context[1];
          render[0] = Parigot.service(ServiceBinding.builder(RENDER)
              .unary(START, request -> Future.succeeded(OperationState.newBuilder()
                  .setId(render[0].operations().start(() -> {
                    throw new ServiceError(ReservedError.MARSHAL_FAILED, null, null);
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
                failure.set(done.cause());
                caller.exit(0);
              });
          caller.run();
        })
        .build()
        .run();

    assertEquals(0, code);
    ServiceError error = (ServiceError) failure.get();
    assertEquals(ReservedError.MARSHAL_FAILED, error.code());
    assertEquals("test.v1.Render operation " + id.get() + " failed: MARSHAL_FAILED",
        error.getMessage());
    assertTrue(error.getCause() == null, String.valueOf(error.getCause()));
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
