package io.parigot.deploy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;

class FileAgainstCodeTest {
  private static final Path FILE = Path.of("/shop/deploy.yaml");

  @Test
  void requiresThatDifferFromTheCodeSayWhatEachSideHas() {
    ServiceSpec front = spec(List.of("shop.Cart", "shop.Store"), Optional.of(at(15)), List.of(),
        Optional.empty());
    String text = FileAgainstCode.requires(front, Set.of("shop.Cart")).orElseThrow();
    assertEquals("""
        /shop/deploy.yaml:15:5: service "front" has requires: [shop.Cart, shop.Store] in \
        deploy.yaml, but its code requires [shop.Cart].
          The file lists, the code does not require: shop.Store.
          Make requires: [shop.Cart] (what the code says), or remove the requires: key to let \
        the code decide.""", text);
  }

  @Test
  void exportsThatDifferFromTheCodeSayWhatEachSideHas() {
    ServiceSpec front = spec(List.of(), Optional.empty(), List.of("shop.Front"),
        Optional.of(at(9)));
    String text = FileAgainstCode.exports(front, Set.of("shop.Front", "shop.Admin"))
        .orElseThrow();
    assertTrue(text.startsWith("/shop/deploy.yaml:9:5: service \"front\" has exports: "
        + "[shop.Front] in deploy.yaml, but its code exports ["), text);
    assertTrue(text.contains("\n  The code exports, the file does not list: shop.Admin."), text);
    assertTrue(text.endsWith("or remove the exports: key to let the code decide."), text);
    assertTrue(FileAgainstCode.exports(spec(List.of(), Optional.empty(), List.of(),
        Optional.of(at(9))), Set.of("shop.Front")).orElseThrow()
        .contains("The code exports, the file does not list: shop.Front."),
        "exports: [] says the service exports nothing, and is checked like any other list");
  }

  @Test
  void listsThatAgreeInAnyOrderOrAreAbsentPass() {
    ServiceSpec agreeing = spec(List.of("shop.B", "shop.A"), Optional.of(at(3)),
        List.of("shop.X", "shop.Y"), Optional.of(at(4)));
    assertTrue(FileAgainstCode.requires(agreeing, Set.of("shop.A", "shop.B")).isEmpty());
    assertTrue(FileAgainstCode.exports(agreeing, Set.of("shop.Y", "shop.X")).isEmpty());
    ServiceSpec silent = spec(List.of(), Optional.empty(), List.of(), Optional.empty());
    assertTrue(FileAgainstCode.requires(silent, Set.of("shop.A")).isEmpty());
    assertTrue(FileAgainstCode.exports(silent, Set.of("shop.X")).isEmpty());
  }

  private static Position at(int line) {
    return new Position(FILE, line, 5);
  }

  private static ServiceSpec spec(List<String> requires, Optional<Position> requiresAt,
      List<String> exports, Optional<Position> exportsAt) {
    return new ServiceSpec("front", Optional.of(Path.of("/shop/front.jar")), List.of(),
        Optional.empty(), List.of(), Map.of(), List.of(), JavaRuntime.current(), false, requires,
        requiresAt, exports, exportsAt, RestartPolicy.DEFAULT, Duration.ofSeconds(30),
        Optional.empty(), true, 3, 3);
  }
}
