package io.parigot.sdk;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.protobuf.StringValue;
import io.grpc.CallOptions;
import io.grpc.ManagedChannel;
import io.grpc.Metadata;
import io.grpc.MethodDescriptor;
import io.grpc.Server;
import io.grpc.ServerServiceDefinition;
import io.grpc.Status;
import io.grpc.StatusException;
import io.grpc.StatusRuntimeException;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import io.grpc.netty.shaded.io.grpc.netty.NettyServerBuilder;
import io.grpc.protobuf.ProtoUtils;
import io.grpc.stub.ClientCalls;
import io.grpc.stub.ServerCalls;
import io.parigot.v1.ReservedError;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
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

  /** A callee's detail reaches its caller with the error, and plain gRPC clients read it too. */
  @Test
  void aTypedErrorsDetailTravelsWithIt() {
    StatusException sent = Wire.toStatus(
        new ServiceError(ReservedError.MARSHAL_FAILED, "no product \"th\u00e9\" in the catalog"));

    assertEquals("MARSHAL_FAILED (no product \"th\u00e9\" in the catalog)",
        sent.getStatus().getDescription(), "what grpcurl or a grpc-java stub shows");
    ServiceError error = Wire.toServiceError(SHOP, "shop.v1.Shop/Buy", Duration.ofMillis(50), null,
        sent);
    assertEquals(ReservedError.MARSHAL_FAILED, error.code());
    assertEquals(Optional.of("no product \"th\u00e9\" in the catalog"), error.detail());
    assertEquals("shop.v1.Shop/Buy failed: MARSHAL_FAILED (no product \"th\u00e9\" in the "
        + "catalog)", error.getMessage());
  }

  @Test
  void anErrorWithoutADetailHasNone() {
    ServiceError error = Wire.toServiceError(SHOP, "shop.v1.Shop/Buy", Duration.ofMillis(50), null,
        Wire.toStatus(new ServiceError(ReservedError.MARSHAL_FAILED, null, null)));

    assertEquals(Optional.empty(), error.detail());
    assertEquals("shop.v1.Shop/Buy failed: MARSHAL_FAILED", error.getMessage());
  }

  /**
   * A call's trailers hold 8 KiB, and carry a detail twice (percent-encoded in the status's
   * description, in base 64 in its own trailer): a long one is cut, so that the caller still
   * gets the callee's error over the network rather than a transport failure. 6,000 bytes of
   * "é" did not fit uncut.
   */
  @Test
  void aLongDetailIsCutSoThatTheErrorStillReachesItsCallerOverTheNetwork() throws Exception {
    ServiceError error = callOverTheNetwork(Wire.toStatus(
        new ServiceError(ReservedError.MARSHAL_FAILED, "\u00e9".repeat(3000))));

    assertEquals(ReservedError.MARSHAL_FAILED, error.code(), error.getMessage());
    String note = "... (cut from 6000 bytes)";
    int kept = (Wire.DETAIL_LIMIT - note.length()) / 2;
    assertEquals(Optional.of("\u00e9".repeat(kept) + note), error.detail());
  }

  /** The same for a method that throws with a long message: its caller hears of the bug. */
  @Test
  void aLongExceptionMessageIsCutSoThatTheDispatchErrorReachesTheCaller() throws Exception {
    ServiceError error = callOverTheNetwork(Wire.toStatus(
        new IllegalStateException("\u20ac".repeat(3000))));

    assertTrue(error.isDispatchError(), error.getMessage());
    assertTrue(error.getMessage().contains("(INTERNAL: the method failed with "
        + "java.lang.IllegalStateException: \u20ac\u20ac"), error.getMessage());
    int sent = ("the method failed with java.lang.IllegalStateException: " + "\u20ac".repeat(3000))
        .getBytes(StandardCharsets.UTF_8).length;
    assertTrue(error.getMessage().endsWith("... (cut from " + sent + " bytes))"),
        error.getMessage());
  }

  /**
   * What the caller of shop.v1.Shop/Buy makes of a callee that answers with {@code answer}, over
   * netty on loopback as between two services of a deployment.
   */
  private static ServiceError callOverTheNetwork(StatusException answer) throws Exception {
    MethodDescriptor<StringValue, StringValue> buy = MethodDescriptor.<StringValue, StringValue>
        newBuilder()
        .setType(MethodDescriptor.MethodType.UNARY)
        .setFullMethodName("shop.v1.Shop/Buy")
        .setRequestMarshaller(ProtoUtils.marshaller(StringValue.getDefaultInstance()))
        .setResponseMarshaller(ProtoUtils.marshaller(StringValue.getDefaultInstance()))
        .build();
    Server server = NettyServerBuilder.forAddress(new InetSocketAddress("127.0.0.1", 0))
        .addService(ServerServiceDefinition.builder("shop.v1.Shop")
            .addMethod(buy, ServerCalls.asyncUnaryCall((request, call) -> call.onError(answer)))
            .build())
        .build()
        .start();
    ManagedChannel channel = NettyChannelBuilder.forAddress("127.0.0.1", server.getPort())
        .usePlaintext().build();
    try {
      StatusRuntimeException failure = assertThrows(StatusRuntimeException.class, () ->
          ClientCalls.blockingUnaryCall(channel, buy, CallOptions.DEFAULT,
              StringValue.getDefaultInstance()));
      return Wire.toServiceError(SHOP, "shop.v1.Shop/Buy", Duration.ofMillis(50), null, failure);
    } finally {
      channel.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
      server.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
    }
  }

  private static ServiceError fromTrailer(String number) {
    Metadata trailers = new Metadata();
    trailers.put(Wire.ERROR_KEY, number);
    return Wire.toServiceError(SHOP, "shop.v1.Shop/Buy", Duration.ofMillis(50), null,
        Status.UNKNOWN.asRuntimeException(trailers));
  }
}
