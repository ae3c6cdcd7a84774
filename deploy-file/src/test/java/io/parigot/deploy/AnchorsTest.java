package io.parigot.deploy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Settings shared between services the way docker compose files share them. */
class AnchorsTest {
  @TempDir
  Path dir;

  @BeforeEach
  void jar() throws Exception {
    DeployFileTest.jar(dir.resolve("lib/app.jar"), "com.example.Main", null,
        "com/example/Main.class");
    DeployFileTest.jar(dir.resolve("lib/dep.jar"), null, null, "com/example/Dep.class");
  }

  @Test
  void anExtensionFieldAnchorsDefaultsThatServicesMergeAndOverride() throws Exception {
    Deployment d = load("""
        name: shop
        x-jars: &jars [lib/app.jar, lib/dep.jar]
        x-service: &service
          classpath: *jars
          main: com.example.Main
          env: {MODE: shared}
          budget: 100ms
        x-quiet: &quiet
          jvm_options: [-Xmx64m]
          budget: 5s
        services:
          store:
            <<: *service
            args: [store]
          cart:
            <<: [*service, *quiet]
            env: {MODE: own}
            x-note: cart is quiet
        """);

    ServiceSpec store = d.service("store").orElseThrow();
    ServiceSpec cart = d.service("cart").orElseThrow();
    List<Path> jars = List.of(dir.resolve("lib/app.jar"), dir.resolve("lib/dep.jar"));
    assertEquals(jars, store.classpath());
    assertEquals(jars, cart.classpath());
    assertEquals(List.of("store"), store.args());
    assertEquals(Map.of("MODE", "shared"), store.env());
    assertEquals(Map.of("MODE", "own"), cart.env(), "a key of the service's own wins");
    assertEquals(Duration.ofMillis(100), cart.budget().orElseThrow(),
        "of two merged maps, the first wins");
    assertEquals(List.of("-Xmx64m"), cart.jvmOptions());
  }

  @Test
  void anAliasOfNoAnchorOrAMergeOfNoMapIsAProblemWhereItIs() throws Exception {
    DeployFileException e = problems("""
        name: shop
        x-jar: &jar lib/app.jar
        services:
          store:
            <<: *jar
            classpath: [*jars]
            main: com.example.Main
        """);

    assertEquals("""
        deploy.yaml:2:8: << (YAML's merge key) takes a map, or a list of maps, such as \
        *defaults for a map anchored &defaults; not "lib/app.jar"
        deploy.yaml:6:17: *jars names no anchor; did you mean *jar? an alias repeats a value \
        anchored before it, with &jars""", lines(e));
  }

  @Test
  void aProblemOfAValueMergedIntoSeveralServicesIsSaidOnceNamingThem() throws Exception {
    // it was said three times at 4:11, once per service, and 'bugdet' three times at 5:3
    DeployFileException e = problems("""
        name: shop
        x-service: &service
          classpath: [lib/app.jar]
          budget: 1.5s
          bugdet: 1s
          main: com.example.Main
        services:
          store:
            <<: *service
          score:
            <<: *service
          cart:
            <<: *service
            budget: 1s
        """);

    assertEquals("""
        deploy.yaml:4:11: services.store.budget must be a duration like 500ms, 30s or 2m, not \
        "1.5s" (did you mean 1500ms?) (the same in score: they share the value)
        deploy.yaml:5:3: unknown key 'bugdet' in services.store; did you mean 'budget'? (the \
        same in score, cart: they share the value)""", lines(e));
    assertEquals(2, e.problems().size());
  }

  @Test
  void aMergeOfAnAliasOfNoAnchorIsOneProblemAtTheAliasWithADidYouMean() throws Exception {
    // it was two at 5:9: the alias of no anchor, then << taking not a map but "servce"
    DeployFileException e = problems("""
        name: shop
        x-service: &service {classpath: [lib/app.jar]}
        services:
          store:
            <<: *servce
            main: com.example.Main
          cart:
            <<: [*service, *quiet]
            main: com.example.Main
        """);

    assertEquals("""
        deploy.yaml:5:9: *servce names no anchor; did you mean *service? an alias repeats a \
        value anchored before it, with &servce
        deploy.yaml:8:20: *quiet names no anchor; an alias repeats a value anchored before it, \
        with &quiet""", lines(e));
  }

  @Test
  void anAliasOfNoAnchorIsOneProblemAndTheRestOfTheFileIsStillChecked() throws Exception {
    // it was the alias alone: the file's other problems came one run at a time
    DeployFileException e = problems("""
        name: shop
        services:
          store:
            <<: *servce
            budgt: 5s
          cart:
            classpath: [lib/app.jar]
            main: *main
            budget: *slow
            stop_grace_perod: 1s
        bugdet: 1s
        """);

    assertEquals("""
        deploy.yaml:4:9: *servce names no anchor; an alias repeats a value anchored before it, \
        with &servce
        deploy.yaml:5:5: unknown key 'budgt' in services.store; did you mean 'budget'?
        deploy.yaml:8:11: *main names no anchor; an alias repeats a value anchored before it, \
        with &main
        deploy.yaml:9:13: *slow names no anchor; an alias repeats a value anchored before it, \
        with &slow
        deploy.yaml:10:5: unknown key 'stop_grace_perod' in services.cart; did you mean \
        'stop_grace_period'?
        deploy.yaml:11:1: unknown key 'bugdet' at the top level; the keys here are name, java, \
        services""", lines(e));
  }

  @Test
  void aServiceWithAnAliasOfNoAnchorInItsExportsLeavesNoRequirementUnmet() throws Exception {
    // what it exports is the alias's: "nobody exports shop.Cart" would be about the same slip
    DeployFileException e = problems("""
        name: shop
        services:
          cart:
            classpath: [lib/app.jar]
            main: com.example.Main
            exports: *cart
          web:
            classpath: [lib/app.jar]
            main: com.example.Main
            requires: [shop.Cart]
            exports: []
        """);

    assertEquals("""
        deploy.yaml:6:14: *cart names no anchor; an alias repeats a value anchored before it, \
        with &cart""", lines(e));
  }

  @Test
  void aFileThatAliasesExpandPastAnyDeployYamlIsRefused() throws Exception {
    StringBuilder yaml = new StringBuilder("name: shop\nx-0: &a0 [v, v, v, v, v, v, v, v, v, v]\n");
    for (int i = 1; i <= 8; i++) {
      yaml.append("x-").append(i).append(": &a").append(i).append(" [")
          .append(String.join(", ", java.util.Collections.nCopies(10, "*a" + (i - 1))))
          .append("]\n");
    }
    yaml.append("services: {}\n");

    DeployFileException e = problems(yaml.toString());

    assertEquals(1, e.problems().size(), lines(e));
    assertTrue(lines(e).contains("with its aliases, the file comes to more than 100000 values; "
        + "a deploy.yaml is far smaller"), lines(e));
  }

  private Deployment load(String yaml) throws Exception {
    Path file = dir.resolve("deploy.yaml");
    Files.writeString(file, yaml);
    return DeployFile.load(file, null, Map.of());
  }

  private DeployFileException problems(String yaml) throws Exception {
    Path file = dir.resolve("deploy.yaml");
    Files.writeString(file, yaml);
    return assertThrows(DeployFileException.class, () -> DeployFile.load(file, null, Map.of()));
  }

  private String lines(DeployFileException e) {
    return String.join("\n", e.problems().stream().map(p -> p.toString().replace(dir + "/", ""))
        .toList());
  }
}
