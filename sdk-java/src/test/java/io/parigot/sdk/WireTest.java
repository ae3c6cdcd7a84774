package io.parigot.sdk;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.grpc.Metadata;
import io.grpc.Status;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** What a caller makes of the error number a callee's failure carries in its trailers. */
class WireTest {
  private static final ServiceRef SHOP = ServiceRef.of("shop.v1.Shop");

  @Test
  void aCalleesErrorNumberBecomesItsTypedError() {
    ServiceError error = fromTrailer("3");

    assertEquals(ServiceError.MARSHAL_FAILED, error.number());
    assertEquals("shop.v1.Shop/Buy failed: MARSHAL_FAILED", error.getMessage());
  }

  @Test
  void noErrorOrNoNumberFromACalleeIsADispatchError() {
    for (String number : new String[] {"0", "zero"}) {
      ServiceError error = fromTrailer(number);

      assertTrue(error.isDispatchError(), number + ": " + error.getMessage());
      assertTrue(error.getMessage().startsWith("shop.v1.Shop/Buy failed: DISPATCH_ERROR"),
          error.getMessage());
    }
  }

  /** A callee built from a newer .proto fails with a value the caller's enum does not have. */
  @Test
  void anErrorNumberTheCallersEnumDoesNotHaveIsADispatchErrorThatSaysSo() {
    Metadata trailers = new Metadata();
    trailers.put(Wire.ERROR_KEY, "7");
    ServiceError error = Wire.toServiceError(SHOP, "shop.v1.Shop/Buy", Duration.ofMillis(50), null,
        Status.UNKNOWN.withDescription("OUT_OF_STOCK").asRuntimeException(trailers));

    assertTrue(error.isDispatchError(), error.getMessage());
    assertEquals("shop.v1.Shop/Buy failed: DISPATCH_ERROR (UNKNOWN: shop.v1.Shop failed with its "
        + "error number 7 (OUT_OF_STOCK), which ReservedError as this caller was built does not "
        + "have: build the caller from the service's current .proto)", error.getMessage());
  }

  private static ServiceError fromTrailer(String number) {
    Metadata trailers = new Metadata();
    trailers.put(Wire.ERROR_KEY, number);
    return Wire.toServiceError(SHOP, "shop.v1.Shop/Buy", Duration.ofMillis(50), null,
        Status.UNKNOWN.asRuntimeException(trailers));
  }
}
