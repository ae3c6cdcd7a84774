package example.storefront;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.parigot.deploy.DeployFile;
import io.parigot.deploy.Deployment;
import io.parigot.deploy.ServiceSelection;
import io.parigot.deploy.ServiceSpec;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The example's own deploy.yaml, as {@code parigot up FILE SERVICE...} reads it: its requires:
 * and exports: bring what each service named requires, and no other. (That they match what the
 * code declares is checked when the services register: StorefrontIT runs the file.)
 */
class DeployYamlTest {
  @Test
  void upOfAServiceStartsItAndWhatItRequiresTransitively() throws Exception {
    // without the machine's checks: the jar is built after the unit tests
    Deployment storefront = DeployFile.loadWithoutMachineChecks(Path.of("deploy.yaml"));

    ServiceSelection cart = ServiceSelection.of(storefront, List.of("cart"));
    assertEquals(List.of("cart", "store"), names(cart));
    assertEquals(List.of("shopper", "frontend", "catalog"), cart.leftOut());
    assertEquals(List.of("catalog", "store"), names(ServiceSelection.of(storefront,
        List.of("catalog"))));
    assertEquals(List.of("frontend", "cart", "catalog", "store"),
        names(ServiceSelection.of(storefront, List.of("frontend"))));
    assertEquals(List.of("shopper", "frontend", "cart", "catalog", "store"),
        names(ServiceSelection.of(storefront, List.of("shopper"))));
  }

  private static List<String> names(ServiceSelection selection) {
    return selection.deployment().services().stream().map(ServiceSpec::name).toList();
  }
}
