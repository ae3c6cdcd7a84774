package example.storefront;

import example.storefront.v1.Catalog;
import example.storefront.v1.GetStockRequest;
import example.storefront.v1.ListProductsRequest;
import example.storefront.v1.ListProductsResponse;
import example.storefront.v1.Product;
import example.storefront.v1.Store;
import example.storefront.v1.StoreClient;
import io.parigot.sdk.Context;
import io.parigot.sdk.Future;
import io.parigot.sdk.Parigot;
import java.util.List;

/** The catalog: products and prices, with the stock the store reports. */
public final class CatalogService implements Catalog {
  private static final List<Product> PRODUCTS = List.of(
      Product.newBuilder().setSku("tea").setName("green tea").setPriceCents(450).build(),
      Product.newBuilder().setSku("cup").setName("tea cup").setPriceCents(800).build(),
      Product.newBuilder().setSku("pot").setName("tea pot").setPriceCents(3200).build());

  private StoreClient store;

  @Override
  public Future<Void> ready(Context context) {
    store = StoreClient.locate(context);
    return Future.done();
  }

  @Override
  public Future<ListProductsResponse> listProducts(ListProductsRequest request) {
    List<Future<Product>> withStock = PRODUCTS.stream()
        .map(product -> store.getStock(GetStockRequest.newBuilder().setSku(product.getSku()).build())
            .map(stock -> product.toBuilder().setInStock(stock.getInStock()).build()))
        .toList();
    return Future.all(withStock)
        .map(products -> ListProductsResponse.newBuilder().addAllProducts(products).build());
  }

  public static void main(String[] args) {
    Parigot.service(Catalog.bind(new CatalogService())).require(Store.SERVICE).run();
  }
}
