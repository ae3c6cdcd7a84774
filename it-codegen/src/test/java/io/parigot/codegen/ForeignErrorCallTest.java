package io.parigot.codegen;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.parigot.codegen.greeting.v1.FetchGreetingRequest;
import io.parigot.codegen.greeting.v1.GreetErr;
import io.parigot.codegen.greeting.v1.Greeting;
import io.parigot.codegen.greeting.v1.GreetingClient;
import io.parigot.codegen.greeting.v1.Tongue;
import io.parigot.codegen.shop.v1.Common.ShopErr;
import io.parigot.codegen.shop.v1.ShopProtos.Payment;
import io.parigot.codegen.shop.v1.ShopProtos.Receipt;
import io.parigot.codegen.shop.v1.Till;
import io.parigot.codegen.shop.v1.TillClient;
import io.parigot.sdk.Context;
import io.parigot.sdk.Future;
import io.parigot.sdk.Parigot;
import io.parigot.sdk.ServiceError;
import io.parigot.sdk.Together;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/**
 * Till (whose errors are ShopErr) calls Greeting (GreetErr) and passes Greeting's typed error on
 * without mapping it. GreetErr.UNKNOWN_LANG and ShopErr.SHOP_ERR_OUT_OF_STOCK are both 4: Till's
 * caller must not read the one as the other.
 */
class ForeignErrorCallTest {
  /** Greets in French only. */
  static final class FrenchOnly implements Greeting {
    @Override
    public Future<io.parigot.codegen.greeting.v1.FetchGreetingResponse> fetchGreeting(
        FetchGreetingRequest request) {
      return Future.failed(GreetErr.UNKNOWN_LANG);
    }

    @Override
    public Future<io.parigot.codegen.greeting.v1.FetchGreetingResponse> greetAll(
        FetchGreetingRequest request) {
      return Future.failed(GreetErr.UNKNOWN_LANG);
    }
  }

  /** Greets on every payment, and passes Greeting's failure on as its own: the mistake. */
  static final class GreetingTill implements Till {
    /** An operation started in ready whose steps fail with Greeting's error, passed on. */
    static volatile String greetingOperation;
    private GreetingClient greeting;

    @Override
    public Future<Void> ready(Context context) {
      greeting = GreetingClient.locate(context);
      greetingOperation = context.operations().start(greeting.fetchGreeting(
          FetchGreetingRequest.newBuilder().setTongue(Tongue.ENGLISH).build()));
      return Future.done();
    }

    @Override
    public Future<Receipt> pay(Payment request) {
      return greeting.fetchGreeting(FetchGreetingRequest.newBuilder()
              .setTongue(Tongue.ENGLISH).build())
          .map(greeted -> Receipt.newBuilder().setPaid(request.getAmount()).build());
    }
  }

  @Test
  void aCalleesTypedErrorPassedOnIsADispatchErrorThatNamesItNotAnotherOfTheCallersErrors()
      throws Exception {
    AtomicReference<Throwable> seen = new AtomicReference<>();
    AtomicReference<Throwable> polled = new AtomicReference<>();
    PrintStream err = System.err;
    ByteArrayOutputStream captured = new ByteArrayOutputStream();
    System.setErr(new PrintStream(captured, true, StandardCharsets.UTF_8));
    int code;
    try {
      // what is tested is the error, not the time: a machine loaded by the rest of the build
      // held the first Till/Pay past its 200 ms warm-up budget now and then
      code = Together.builder()
          .budget(Duration.ofSeconds(1))
          .service("greeting", args -> Parigot.service(Greeting.bind(new FrenchOnly())).run())
          .service("till", args -> Parigot.service(Till.bind(new GreetingTill()))
              .require(Greeting.SERVICE).run())
          .program("buyer", args -> {
            Context buyer = Parigot.program("buyer").require(Till.SERVICE);
            buyer.launch()
                .compose(launched -> TillClient.locate(buyer).pay(Payment.getDefaultInstance()))
                .recover(failed -> {
                  seen.set(failed);
                  return buyer.locate(Till.SERVICE).awaitOperation(
                      GreetingTill.greetingOperation, Receipt.parser());
                })
                .onComplete(done -> {
                  polled.set(done.cause());
                  buyer.exit(0);
                });
            buyer.run();
          })
          .build()
          .run();
    } finally {
      System.setErr(err);
    }
    String log = captured.toString(StandardCharsets.UTF_8);

    assertEquals(0, code);
    ServiceError error = assertInstanceOf(ServiceError.class, seen.get());
    assertEquals(ShopErr.SHOP_ERR_DISPATCH_ERROR, error.code());
    assertTrue(error.getMessage().contains("another service's error, "
        + "greeting.v1.Greeting/FetchGreeting failed: UNKNOWN_LANG (of GreetErr, where "
        + "shop.v1.Till fails with ShopErr)"), error.getMessage());
    assertTrue(log.contains("till: error: method shop.v1.Till/Pay failed with another service's "
        + "error, greeting.v1.Greeting/FetchGreeting failed: UNKNOWN_LANG (of GreetErr, where "
        + "shop.v1.Till fails with ShopErr): its caller gets DISPATCH_ERROR. Map it to a value of "
        + "ShopErr, e.g. .recover(e -> Future.failed(ShopErr.SOME_ERROR))."), log);
    // the same for an operation whose work fails with it
    ServiceError operation = assertInstanceOf(ServiceError.class, polled.get());
    assertEquals(ShopErr.SHOP_ERR_DISPATCH_ERROR, operation.code());
    assertTrue(operation.getMessage().contains("another service's error, "
        + "greeting.v1.Greeting/FetchGreeting failed: UNKNOWN_LANG (of GreetErr, where "
        + "shop.v1.Till fails with ShopErr)"), operation.getMessage());
  }
}
