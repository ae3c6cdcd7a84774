package example.storefront;

import example.storefront.v1.Frontend;
import example.storefront.v1.FrontendClient;
import example.storefront.v1.Line;
import example.storefront.v1.ShopRequest;
import io.parigot.sdk.Context;
import io.parigot.sdk.Parigot;
import java.time.Duration;
import java.util.List;
import java.util.stream.Collectors;

/**
 * The shopper program: buys a cup of tea through the frontend and prints the receipt (or, when
 * shopping failed, what went wrong, and exits 1). {@code shopper [--every MILLIS] [SKU...]}: with
 * SKUs it buys those instead; with {@code --every} it keeps shopping at that interval, printing
 * each receipt or failure, until the deployment is stopped.
 */
public final class Shopper {
  private Shopper() {}

  public static void main(String[] args) {
    boolean repeats = args.length >= 2 && args[0].equals("--every");
    long every = repeats ? Long.parseLong(args[1]) : 0;
    List<String> skus = List.of(args).subList(repeats ? 2 : 0, args.length);
    Context shopper = Parigot.program("shopper").require(Frontend.SERVICE);
    ShopRequest basket = ShopRequest.newBuilder()
        .addAllSkus(skus.isEmpty() ? List.of("tea", "cup") : skus).build();
    shopper.launch().onSuccess(launched -> {
      FrontendClient frontend = FrontendClient.locate(shopper);
      if (every == 0) {
        frontend.shop(basket)
            .onSuccess(receipt -> {
              System.out.println("receipt: " + describe(receipt.getLinesList(), receipt.getTotalCents()));
              shopper.exit(0);
            })
            .onFailure(error -> {
              System.out.println("shopper: shopping failed: " + error.getMessage());
              shopper.exit(1);
            });
        return;
      }
      shopper.every(Duration.ofMillis(every), () -> frontend.shop(basket)
          .onSuccess(receipt -> System.out.println("receipt: "
              + describe(receipt.getLinesList(), receipt.getTotalCents())))
          .onFailure(error -> System.out.println("shopping failed: " + error.getMessage())));
    });
    shopper.run();
  }

  static String describe(List<Line> lines, long totalCents) {
    return lines.stream().map(l -> l.getSku() + " x" + l.getQuantity())
        .collect(Collectors.joining(", ")) + ", total " + totalCents / 100 + "."
        + String.format("%02d", totalCents % 100);
  }
}
