package io.parigot.deploy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What {@code parigot up FILE NAME...} starts: the names and what their requires: name. */
class ServiceSelectionTest {
  @TempDir
  Path dir;

  private Deployment shop;

  @BeforeEach
  void shop() throws Exception {
    DeployFileTest.jar(dir.resolve("thin.jar"), "com.example.Main", null, "com/example/Main.class");
    Path file = dir.resolve("deploy.yaml");
    Files.writeString(file, """
        name: shop
        services:
          shopper: {jar: thin.jar, program: true, requires: [shop.Front]}
          front: {jar: thin.jar, requires: [shop.Cart, shop.Catalog], exports: shop.Front}
          cart: {jar: thin.jar, requires: [shop.Store], exports: shop.Cart}
          catalog: {jar: thin.jar, requires: [shop.Store], exports: shop.Catalog}
          store: {jar: thin.jar, exports: shop.Store}
          audit: {jar: thin.jar, exports: []}
        """);
    shop = DeployFile.load(file);
  }

  @Test
  void aNameBringsWhatItRequiresTransitivelyInFileOrder() {
    ServiceSelection cart = ServiceSelection.of(shop, List.of("cart"));
    assertEquals(List.of("cart", "store"), names(cart));
    assertEquals(List.of("shopper", "front", "catalog", "audit"), cart.leftOut());
    assertTrue(cart.isSubset());
    assertEquals("starting 2 of 6 services: cart, store (those named and what they require); "
        + "left out: shopper, front, catalog, audit", cart.said());

    ServiceSelection front = ServiceSelection.of(shop, List.of("front", "audit"));
    assertEquals(List.of("front", "cart", "catalog", "store", "audit"), names(front));
    assertEquals(List.of("shopper"), front.leftOut());
    assertEquals("shop", front.deployment().name());
    assertEquals(shop.file(), front.deployment().file());
  }

  @Test
  void aNamedProgramStaysTheProgramAndNoNameIsEverything() {
    ServiceSelection shopper = ServiceSelection.of(shop, List.of("shopper"));
    assertEquals(List.of("shopper", "front", "cart", "catalog", "store"), names(shopper));
    assertEquals("shopper", shopper.deployment().program().orElseThrow().name());

    assertTrue(ServiceSelection.of(shop, List.of("store")).deployment().program().isEmpty());
    ServiceSelection none = ServiceSelection.of(shop, List.of());
    assertFalse(none.isSubset());
    assertEquals(shop, none.deployment());
  }

  @Test
  void anUnknownNameSaysWhichAndListsTheServices() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> ServiceSelection.of(shop, List.of("cart", "catalgo")));
    assertEquals("no service \"catalgo\" in deploy.yaml (deployment \"shop\"); did you mean "
        + "catalog? its services: shopper, front, cart, catalog, store, audit. Nothing was "
        + "started.", e.getMessage());

    e = assertThrows(IllegalArgumentException.class,
        () -> ServiceSelection.of(shop, List.of("billing")));
    assertTrue(e.getMessage().startsWith("no service \"billing\" in deploy.yaml (deployment "
        + "\"shop\"); its services: shopper,"), e.getMessage());
  }

  @Test
  void everyUnknownNameIsSaidAtOnceEachWithItsOwnDidYouMean() {
    // up FILE catalgo cart stroe nope stroe: all three wrong names, each once, in the order given
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> ServiceSelection.of(shop, List.of("catalgo", "cart", "stroe", "nope", "stroe")));
    assertEquals("no services \"catalgo\" (did you mean catalog?), \"stroe\" (did you mean "
        + "store?) and \"nope\" in deploy.yaml (deployment \"shop\"); its services: shopper, "
        + "front, cart, catalog, store, audit. Nothing was started.", e.getMessage());

    e = assertThrows(IllegalArgumentException.class,
        () -> ServiceSelection.of(shop, List.of("nope", "gone")));
    assertEquals("no services \"nope\" and \"gone\" in deploy.yaml (deployment \"shop\"); its "
        + "services: shopper, front, cart, catalog, store, audit. Nothing was started.",
        e.getMessage());
  }

  private static List<String> names(ServiceSelection selection) {
    return selection.deployment().services().stream().map(ServiceSpec::name).toList();
  }
}
