package io.parigot.codegen;

import static io.parigot.codegen.Calls.call;
import static io.parigot.codegen.Calls.failure;
import static io.parigot.codegen.Calls.result;
import static org.junit.jupiter.api.Assertions.assertEquals;

import com.google.protobuf.Empty;
import com.google.protobuf.Timestamp;
import io.parigot.codegen.shop.v1.Common.Money;
import io.parigot.codegen.shop.v1.Common.ShopErr;
import io.parigot.codegen.shop.v1.ShopProtos.Payment;
import io.parigot.codegen.shop.v1.ShopProtos.Product;
import io.parigot.codegen.shop.v1.ShopProtos.Receipt;
import io.parigot.codegen.shop.v1.Stock;
import io.parigot.codegen.shop.v1.StockClient;
import io.parigot.codegen.shop.v1.Till;
import io.parigot.codegen.shop.v1.TillClient;
import io.parigot.sdk.Future;
import io.parigot.sdk.InProcessDeployment;
import org.junit.jupiter.api.Test;

/**
 * shop.proto: two services in one file without java_multiple_files, nested message and enum
 * types, a message imported from another file, well-known types, and an error enum with
 * SHOP_ERR_-prefixed values that lives in that other file. Both services in one JVM.
 */
class ShopCallTest {

  static final class StockService implements Stock {
    @Override
    public Future<Product.Stock> count(Product.Key request) {
      if (request.getSku().isEmpty()) {
        return Future.failed(ShopErr.SHOP_ERR_OUT_OF_STOCK);
      }
      return Future.succeeded(Product.Stock.newBuilder()
          .setKey(request).setCount(3).setShelf(Product.Shelf.SHELF_TOP).build());
    }

    @Override
    public Future<Empty> reset(Empty request) {
      return Future.succeeded(Empty.getDefaultInstance());
    }
  }

  static final class TillService implements Till {
    @Override
    public Future<Receipt> pay(Payment request) {
      return Future.succeeded(Receipt.newBuilder().setPaid(request.getAmount())
          .setAt(Timestamp.newBuilder().setSeconds(42)).build());
    }
  }

  @Test
  void nestedImportedAndWellKnownTypesGoThroughTheClients() throws Exception {
    try (InProcessDeployment deployment = new InProcessDeployment()) {
      deployment.service("shop", Stock.bind(new StockService()), Till.bind(new TillService()));
      Product.Stock stock = result(call(deployment, Stock.SERVICE, caller ->
          StockClient.locate(caller).count(Product.Key.newBuilder().setSku("tea").build())));
      assertEquals(3, stock.getCount());
      assertEquals(Product.Shelf.SHELF_TOP, stock.getShelf());

      Money money = Money.newBuilder().setCurrency("EUR").setCents(250).build();
      Receipt receipt = result(call(deployment, Till.SERVICE, caller ->
          TillClient.locate(caller).pay(Payment.newBuilder().setAmount(money).build())));
      assertEquals(money, receipt.getPaid());
      assertEquals(42, receipt.getAt().getSeconds());

      assertEquals(Empty.getDefaultInstance(), result(call(deployment, Stock.SERVICE,
          caller -> StockClient.locate(caller).reset(Empty.getDefaultInstance()))));
    }
  }

  @Test
  void prefixedErrorValuesAreTypedToo() throws Exception {
    try (InProcessDeployment deployment = new InProcessDeployment()) {
      deployment.service("stock", Stock.bind(new StockService()));
      Throwable error = failure(call(deployment, Stock.SERVICE,
          caller -> StockClient.locate(caller).count(Product.Key.getDefaultInstance())));
      assertEquals(ShopErr.SHOP_ERR_OUT_OF_STOCK, StockClient.errorOf(error));
    }
  }
}
