package example.storefront;

import example.storefront.v1.AddItemRequest;
import example.storefront.v1.Cart;
import example.storefront.v1.CartClient;
import example.storefront.v1.Catalog;
import example.storefront.v1.CatalogClient;
import example.storefront.v1.Frontend;
import example.storefront.v1.GetCartRequest;
import example.storefront.v1.ListProductsRequest;
import example.storefront.v1.Product;
import example.storefront.v1.ShopErr;
import example.storefront.v1.ShopRequest;
import example.storefront.v1.ShopResponse;
import io.parigot.sdk.Context;
import io.parigot.sdk.Future;
import io.parigot.sdk.Parigot;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;

/** The frontend: looks the SKUs up in the catalog, puts them in the cart, returns the receipt. */
public final class FrontendService implements Frontend {
  private CatalogClient catalog;
  private CartClient cart;

  @Override
  public Future<Void> ready(Context context) {
    catalog = CatalogClient.locate(context);
    cart = CartClient.locate(context);
    return Future.done();
  }

  @Override
  public Future<ShopResponse> shop(ShopRequest request) {
    return catalog.listProducts(ListProductsRequest.getDefaultInstance()).compose(listed -> {
      Map<String, Product> bySku = listed.getProductsList().stream()
          .collect(Collectors.toMap(Product::getSku, Function.identity()));
      Future<Void> added = Future.done();
      for (String sku : request.getSkusList()) {
        Product product = bySku.get(sku);
        if (product == null) {
          return Future.failed(ShopErr.UNKNOWN_SKU, "no product \"" + sku + "\" in the catalog");
        }
        added = added.compose(previous -> cart.addItem(AddItemRequest.newBuilder()
                .setSku(sku).setQuantity(1).setPriceCents(product.getPriceCents()).build())
            .map(done -> null));
      }
      return added.compose(all -> cart.getCart(GetCartRequest.getDefaultInstance()));
    }).map(receipt -> ShopResponse.newBuilder()
        .addAllLines(receipt.getLinesList()).setTotalCents(receipt.getTotalCents()).build());
  }

  public static void main(String[] args) {
    Parigot.service(Frontend.bind(new FrontendService()))
        .require(Cart.SERVICE, Catalog.SERVICE)
        .run();
  }
}
