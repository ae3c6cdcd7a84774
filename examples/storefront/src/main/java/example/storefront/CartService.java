package example.storefront;

import example.storefront.v1.AddItemRequest;
import example.storefront.v1.AddItemResponse;
import example.storefront.v1.Cart;
import example.storefront.v1.GetCartRequest;
import example.storefront.v1.GetCartResponse;
import example.storefront.v1.Line;
import example.storefront.v1.ReserveRequest;
import example.storefront.v1.Store;
import example.storefront.v1.StoreClient;
import io.parigot.sdk.Context;
import io.parigot.sdk.Future;
import io.parigot.sdk.Parigot;
import java.util.LinkedHashMap;
import java.util.Map;

/** The cart: reserves items in the store, then keeps them. */
public final class CartService implements Cart {
  private final Map<String, Line> lines = new LinkedHashMap<>();
  private StoreClient store;

  @Override
  public Future<Void> ready(Context context) {
    store = StoreClient.locate(context);
    return Future.done();
  }

  @Override
  public Future<AddItemResponse> addItem(AddItemRequest request) {
    return store.reserve(ReserveRequest.newBuilder()
            .setSku(request.getSku()).setQuantity(request.getQuantity()).build())
        .map(reserved -> {
          Line old = lines.get(request.getSku());
          int quantity = request.getQuantity() + (old == null ? 0 : old.getQuantity());
          lines.put(request.getSku(), Line.newBuilder().setSku(request.getSku())
              .setQuantity(quantity).setPriceCents(request.getPriceCents()).build());
          return AddItemResponse.getDefaultInstance();
        });
  }

  @Override
  public Future<GetCartResponse> getCart(GetCartRequest request) {
    long total = lines.values().stream().mapToLong(l -> l.getPriceCents() * l.getQuantity()).sum();
    GetCartResponse cart = GetCartResponse.newBuilder()
        .addAllLines(lines.values()).setTotalCents(total).build();
    lines.clear();
    return Future.succeeded(cart);
  }

  public static void main(String[] args) {
    Parigot.service(Cart.bind(new CartService())).require(Store.SERVICE).run();
  }
}
