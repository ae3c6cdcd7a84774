package io.parigot.codegen;

import static io.parigot.codegen.Calls.call;
import static io.parigot.codegen.Calls.failure;
import static io.parigot.codegen.Calls.result;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.parigot.codegen.orders.v1.OrderOuterClass.Cart;
import io.parigot.codegen.orders.v1.OrderOuterClass.OrdersErr;
import io.parigot.codegen.orders.v1.OrderOuterClass.Placed;
import io.parigot.codegen.orders.v1.Orders;
import io.parigot.codegen.orders.v1.OrdersClient;
import io.parigot.sdk.Future;
import io.parigot.sdk.InProcessDeployment;
import org.junit.jupiter.api.Test;

/**
 * order.proto: a file named like a message nested in one of its own (Cart.Order), so that
 * protobuf-java's outer class is OrderOuterClass; the generated code must name it so to compile.
 */
class OrdersCallTest {

  static final class OrdersService implements Orders {
    @Override
    public Future<Placed> place(Cart.Order request) {
      return request.getSkusCount() == 0
          ? Future.failed(OrdersErr.EMPTY_ORDER)
          : Future.succeeded(Placed.newBuilder().setCount(request.getSkusCount()).build());
    }
  }

  @Test
  void aRequestNestedInTheOuterClassCallsThrough() throws Exception {
    try (InProcessDeployment deployment = new InProcessDeployment()) {
      deployment.service("orders", Orders.bind(new OrdersService()));
      Placed placed = result(call(deployment, Orders.SERVICE, caller -> OrdersClient.locate(caller)
          .place(Cart.Order.newBuilder().addSkus("teapot").addSkus("cup").build())));
      assertEquals(2, placed.getCount());
      assertEquals(OrdersErr.EMPTY_ORDER, OrdersClient.errorOf(failure(call(deployment,
          Orders.SERVICE, caller -> OrdersClient.locate(caller).place(Cart.Order.getDefaultInstance())))));
    }
  }
}
