package io.parigot.sdk;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.grpc.MethodDescriptor;
import io.parigot.v1.OperationRequest;
import io.parigot.v1.OperationState;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

class ServiceBindingTest {
  private static final ServiceRef CHECKS = ServiceRef.of("test.v1.Checks");
  private static final MethodDescriptor<OperationRequest, OperationState> CHECK =
      Operations.method(CHECKS.fullName(), "Check");

  /**
   * A method body that throws an Error (an AssertionError, a StackOverflowError) is a bug like
   * one that throws an exception: its caller gets DISPATCH_ERROR naming it at once, and the
   * service logs it with its stack; not the budget error once no answer came.
   */
  @Test
  void aMethodThatThrowsAnErrorFailsItsCallerAtOnceWithIt() throws Exception {
    AtomicReference<Throwable> failure = new AtomicReference<>();
    PrintStream err = System.err;
    ByteArrayOutputStream captured = new ByteArrayOutputStream();
    System.setErr(new PrintStream(captured, true, StandardCharsets.UTF_8));
    int code;
    try {
      code = Together.builder()
          .service("checks", args -> Parigot.service(ServiceBinding.builder(CHECKS)
              .unary(CHECK, request -> {
                throw new AssertionError("the ledger is unbalanced");
              })
              .build()).run())
          .program("auditor", args -> {
            Context auditor = Parigot.program("auditor").require(CHECKS);
            auditor.launch()
                .compose(launched -> auditor.locate(CHECKS).unary(CHECK,
                    OperationRequest.getDefaultInstance()))
                .onComplete(done -> {
                  failure.set(done.cause());
                  auditor.exit(0);
                });
            auditor.run();
          })
          .build()
          .run();
    } finally {
      System.setErr(err);
    }
    String log = captured.toString(StandardCharsets.UTF_8);

    assertEquals(0, code);
    ServiceError error = (ServiceError) failure.get();
    assertTrue(error.isDispatchError() && !error.isBudgetExceeded(), error.getMessage());
    assertTrue(error.getMessage().contains(
        "the method failed with java.lang.AssertionError: the ledger is unbalanced"),
        error.getMessage());
    assertTrue(log.contains("checks: error: method test.v1.Checks/Check failed (its caller gets "
        + "DISPATCH_ERROR)\nchecks: java.lang.AssertionError: the ledger is unbalanced\n"), log);
  }
}
