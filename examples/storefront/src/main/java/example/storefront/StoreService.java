package example.storefront;

import example.storefront.v1.GetStockRequest;
import example.storefront.v1.GetStockResponse;
import example.storefront.v1.ReserveRequest;
import example.storefront.v1.ReserveResponse;
import example.storefront.v1.ShopErr;
import example.storefront.v1.Store;
import io.parigot.sdk.Future;
import io.parigot.sdk.Parigot;
import java.util.HashMap;
import java.util.Map;

/** The store: the stock of every product. State without locks: it all runs on one loop. */
public final class StoreService implements Store {
  private final Map<String, Integer> stock = new HashMap<>(Map.of("tea", 1000, "cup", 500, "pot", 20));

  @Override
  public Future<GetStockResponse> getStock(GetStockRequest request) {
    Integer count = stock.get(request.getSku());
    return count == null
        ? Future.failed(ShopErr.UNKNOWN_SKU, "no stock of \"" + request.getSku() + "\"")
        : Future.succeeded(GetStockResponse.newBuilder().setInStock(count).build());
  }

  @Override
  public Future<ReserveResponse> reserve(ReserveRequest request) {
    Integer count = stock.get(request.getSku());
    if (count == null) {
      return Future.failed(ShopErr.UNKNOWN_SKU, "no stock of \"" + request.getSku() + "\"");
    }
    if (count < request.getQuantity()) {
      return Future.failed(ShopErr.OUT_OF_STOCK, count + " of \"" + request.getSku() + "\" left, "
          + request.getQuantity() + " asked for");
    }
    stock.put(request.getSku(), count - request.getQuantity());
    return Future.succeeded(ReserveResponse.newBuilder().setLeft(count - request.getQuantity()).build());
  }

  public static void main(String[] args) {
    Parigot.service(Store.bind(new StoreService())).run();
  }
}
