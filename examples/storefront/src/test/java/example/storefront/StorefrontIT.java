package example.storefront;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.parigot.it.ParigotCli;
import io.parigot.it.ParigotCli.Result;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The storefront chain under the real {@code parigot up}: start order, crash loops, cycles. */
class StorefrontIT {
  static final Duration LIMIT = Duration.ofSeconds(90);
  static final Duration GRACE = Duration.ofSeconds(2);
  static final Path EXAMPLE = Path.of("").toAbsolutePath();
  static final String JAR = EXAMPLE.resolve("target/storefront.jar").toString();
  static final String TEST_CLASSES = EXAMPLE.resolve("target/test-classes").toString();

  @Test
  void servicesBecomeReadyInDependencyOrderAndTheShopperGetsItsReceipt() throws Exception {
    Result run = ParigotCli.run(EXAMPLE, LIMIT, "up", "deploy.yaml");

    assertEquals(0, run.exitCode(), run.output());
    run.assertPrinted("receipt: tea x1, cup x1, total 12.50");
    List<String> lines = run.output().lines().toList();
    int store = indexOf(lines, "service \"store\" is ready");
    int cart = indexOf(lines, "service \"cart\" is ready");
    int catalog = indexOf(lines, "service \"catalog\" is ready");
    int frontend = indexOf(lines, "service \"frontend\" is ready");
    int shopper = indexOf(lines, "program \"shopper\" is ready");
    assertTrue(store < cart && store < catalog, run.output());
    assertTrue(cart < frontend && catalog < frontend, run.output());
    assertTrue(frontend < shopper, run.output());
    ParigotCli.assertNoJvmLeft(JAR, GRACE);
  }

  @Test
  void aCrashLoopGivesUpWithAClearMessage(@TempDir Path dir) throws Exception {
    write(dir, """
        name: crashloop
        services:
          store:
            classpath: [%s, %s]
            main: example.storefront.fixtures.CrashingStore
            restart:
              policy: on-failure
              max_restarts: 2
              window: 60s
              backoff: 50ms
        """.formatted(TEST_CLASSES, JAR));

    Result run = ParigotCli.run(dir, LIMIT, "up", "deploy.yaml");

    assertEquals(1, run.exitCode(), run.output());
    run.assertPrinted("service \"store\" exited with code 3; restarting");
    run.assertPrinted("service \"store\" exited 3 times within 1 min; giving up");
    ParigotCli.assertNoJvmLeft(JAR, GRACE);
  }

  /**
   * A crash loop under {@code up -d} gives up in the background, after {@code up -d} returned 0:
   * ps then tells the user when it ended and where it said why, not only that nothing runs.
   */
  @Test
  void psAfterADetachedDeploymentGaveUpSaysWhereItSaidWhy(@TempDir Path dir) throws Exception {
    write(dir, """
        name: crashloop
        services:
          store:
            classpath: [%s, %s]
            main: example.storefront.fixtures.CrashingStore
            jvm_options: [-Dcrash.after=%s]
            restart: {policy: on-failure, max_restarts: 1, window: 60s, backoff: 50ms}
        """.formatted(TEST_CLASSES, JAR, dir.resolve("crash")));
    try {
      Result up = ParigotCli.run(dir, LIMIT, "up", "-d", "deploy.yaml");
      assertEquals(0, up.exitCode(), up.output());
      Files.createFile(dir.resolve("crash")); // up -d saw it ready: now the loop may begin
      assertTrue(ParigotCli.waitFor(Duration.ofSeconds(30),
          () -> run(dir, "ps").exitCode() == 1), () -> run(dir, "ps").output());

      Result ps = run(dir, "ps");

      ps.assertPrinted("no deployment is running for deploy.yaml");
      Path log = dir.toRealPath().resolve(".parigot/orchestrator.log");
      ps.assertPrinted("the one started there with up -d ended at ");
      // the code up would have exited with: 1, a crash loop that gave up
      ps.assertPrinted(" with code 1, its output is in " + log);
      assertTrue(Files.readString(log).contains("giving up"), Files.readString(log));
    } finally {
      ParigotCli.run(dir, LIMIT, "down");
      ParigotCli.assertNoJvmLeft(dir.toString(), GRACE);
    }
  }

  /**
   * {@code logs -f} of a crash loop under {@code up -d}: it prints every run's last words, then
   * says that the deployment is no longer running and where its reason is, rather than ending
   * in silence.
   */
  @Test
  void logsFollowOfADetachedDeploymentThatGaveUpSaysItEnded(@TempDir Path dir) throws Exception {
    write(dir, """
        name: crashloop
        services:
          store:
            classpath: [%s, %s]
            main: example.storefront.fixtures.CrashingStore
            jvm_options: [-Dcrash.after=%s]
            restart: {policy: on-failure, max_restarts: 1, window: 60s, backoff: 50ms}
        """.formatted(TEST_CLASSES, JAR, dir.resolve("crash")));
    try {
      Result up = ParigotCli.run(dir, LIMIT, "up", "-d", "deploy.yaml");
      assertEquals(0, up.exitCode(), up.output());
      Files.createFile(dir.resolve("crash")); // up -d saw it ready: now the loop may begin

      Result follow = ParigotCli.run(dir, LIMIT, "logs", "-f", "store");

      assertEquals(0, follow.exitCode(), follow.output());
      assertEquals(2, follow.output().lines()
          .filter(l -> l.equals("store: the disk is on fire")).count(), follow.output());
      Path real = dir.toRealPath();
      follow.assertPrinted("parigot: no deployment is running in " + real
          + "; the one started there with up -d ended at ");
      follow.assertPrinted("its output is in " + real.resolve(".parigot/orchestrator.log")
          + "; nothing more to follow");
    } finally {
      ParigotCli.run(dir, LIMIT, "down");
      ParigotCli.assertNoJvmLeft(dir.toString(), GRACE);
    }
  }

  /** docker compose ps says "Exited (137)": parigot ps says how a service that ended ended. */
  @Test
  void psOfAServiceThatEndedShowsItsExitCode(@TempDir Path dir) throws Exception {
    write(dir, """
        name: ended
        services:
          store:
            classpath: [%1$s]
            main: example.storefront.StoreService
            restart: "no"
          catalog:
            classpath: [%1$s]
            main: example.storefront.CatalogService
        """.formatted(JAR));
    try {
      Result up = ParigotCli.run(dir, LIMIT, "up", "-d", "deploy.yaml");
      assertEquals(0, up.exitCode(), up.output());
      Result kill = ParigotCli.run(dir, LIMIT, "kill", "store");
      assertEquals(0, kill.exitCode(), kill.output());

      assertTrue(ParigotCli.waitFor(Duration.ofSeconds(20), () -> run(dir, "ps").output()
          .lines().anyMatch(l -> l.matches("store +failed \\(137\\) +- .*"))),
          () -> "expected 'store  failed (137)' in:\n" + run(dir, "ps").output());
      Result json = run(dir, "ps", "--json");
      assertEquals(0, json.exitCode(), json.output());
      JsonNode services = new ObjectMapper().readTree(json.output()).get("services");
      assertEquals("failed", services.get(0).get("state").asText(), json.output());
      assertEquals(137, services.get(0).get("exit_code").asInt(), json.output());
      // one still running has no exit code yet
      assertEquals("ready", services.get(1).get("state").asText(), json.output());
      assertTrue(services.get(1).get("exit_code").isNull(), json.output());
    } finally {
      ParigotCli.run(dir, LIMIT, "down");
      ParigotCli.assertNoJvmLeft(dir.toString(), GRACE);
      ParigotCli.assertNoJvmLeft(JAR, GRACE);
    }
  }

  private static Result run(Path dir, String... args) {
    try {
      return ParigotCli.run(dir, LIMIT, args);
    } catch (Exception e) {
      throw new AssertionError(e);
    }
  }

  @Test
  void aRequirementCycleIsReportedNotHung(@TempDir Path dir) throws Exception {
    write(dir, """
        name: cycle
        services:
          store:
            classpath: [%s, %s]
            main: example.storefront.fixtures.CyclicStore
          catalog:
            classpath: [%s]
            main: example.storefront.CatalogService
        """.formatted(TEST_CLASSES, JAR, JAR));

    Result run = ParigotCli.run(dir, LIMIT, "up", "deploy.yaml");

    assertEquals(1, run.exitCode(), run.output());
    assertTrue(run.output().contains("requirement cycle: store -> catalog -> store")
        || run.output().contains("requirement cycle: catalog -> store -> catalog"), run.output());
    ParigotCli.assertNoJvmLeft(JAR, GRACE);
  }

  @Test
  void requiresInTheFileThatMatchTheCodeStartTheChain(@TempDir Path dir) throws Exception {
    write(dir, """
        name: listed
        services:
          shopper:
            classpath: [%1$s]
            main: example.storefront.Shopper
            program: true
            requires: storefront.v1.Frontend
          frontend:
            classpath: [%1$s]
            main: example.storefront.FrontendService
            requires: [storefront.v1.Catalog, storefront.v1.Cart]
            exports: storefront.v1.Frontend
          cart:
            classpath: [%1$s]
            main: example.storefront.CartService
            requires: [storefront.v1.Store]
            exports: storefront.v1.Cart
          catalog:
            classpath: [%1$s]
            main: example.storefront.CatalogService
            exports: storefront.v1.Catalog
          store:
            classpath: [%1$s]
            main: example.storefront.StoreService
            requires: []
            exports: storefront.v1.Store
        """.formatted(JAR));

    Result run = ParigotCli.run(dir, LIMIT, "up", "deploy.yaml");

    assertEquals(0, run.exitCode(), run.output());
    run.assertPrinted("receipt: tea x1, cup x1, total 12.50");
    ParigotCli.assertNoJvmLeft(JAR, GRACE);
  }

  /**
   * A typed error crosses the network with its service's detail: the frontend's UNKNOWN_SKU, with
   * the SKU it did not find, reaches the shopper, which prints it and exits 1.
   */
  @Test
  void aTypedErrorReachesTheCallerWithItsDetail(@TempDir Path dir) throws Exception {
    writeStorefront(dir, "unknown-sku", "[tea, kettle]");

    Result run = ParigotCli.run(dir, LIMIT, "up", "deploy.yaml");

    assertEquals(1, run.exitCode(), run.output());
    run.assertPrinted("shopper: shopping failed: storefront.v1.Frontend/Shop failed: UNKNOWN_SKU "
        + "(no product \"kettle\" in the catalog)");
    ParigotCli.assertNoJvmLeft(JAR, GRACE);
  }

  /**
   * parigot up FILE cart, of the example's own deploy.yaml: cart and the store its requires:
   * names; no other service.
   */
  @Test
  void upOfOneServiceStartsItAndWhatItRequiresOnly(@TempDir Path dir) throws Exception {
    writeStorefront(dir, "some", "[]");
    try {
      Result up = ParigotCli.run(dir, LIMIT, "up", "-d", "deploy.yaml", "cart");
      assertEquals(0, up.exitCode(), up.output());
      assertTrue(up.output().contains("deployment \"some\" is ready: 2 services"), up.output());
      assertTrue(Files.readString(dir.resolve(".parigot/orchestrator.log")).contains(
          "starting 2 of 5 services: cart, store (those named and what they require); left "
          + "out: shopper, frontend, catalog"));
      Result json = run(dir, "ps", "--json");
      assertEquals(0, json.exitCode(), json.output());
      JsonNode services = new ObjectMapper().readTree(json.output()).get("services");
      assertEquals(2, services.size(), json.output());
      assertEquals("cart", services.get(0).get("name").asText(), json.output());
      assertEquals("store", services.get(1).get("name").asText(), json.output());
      for (JsonNode service : services) {
        assertEquals("ready", service.get("state").asText(), json.output());
      }
      for (String leftOut : List.of("shopper", "frontend", "catalog")) {
        assertTrue(Files.notExists(dir.resolve(".parigot/logs/" + leftOut + ".log")), leftOut);
      }
      // kill, ps, logs and start all say that a service up left out was left out
      String leftOut = "service \"frontend\" of deployment \"some\" is not running: it was left "
          + "out, as up started only cart, store (those named and what they require); to run it "
          + "too, stop the deployment and name it to parigot up";
      for (String verb : List.of("kill", "ps", "start")) {
        Result said = run(dir, verb, "frontend");
        assertEquals(2, said.exitCode(), verb + ": " + said.output());
        said.assertPrinted(leftOut);
      }
      Result logs = run(dir, "logs", "frontend");
      assertEquals(2, logs.exitCode(), logs.output());
      logs.assertPrinted("no log for service \"frontend\" in " + dir.resolve(".parigot/logs")
          + ": it was left out, as up started only cart, store (those named and what they "
          + "require); to run it too");
      // from another directory, what the orchestrator suggests carries the --file given
      Path elsewhere = Files.createDirectories(dir.resolve("elsewhere"));
      String file = dir.resolve("deploy.yaml").toString();
      Result stop = run(elsewhere, "stop", "--file", file, "cart");
      assertEquals(0, stop.exitCode(), stop.output());
      Result kill = run(elsewhere, "kill", "--file", file, "cart");
      assertEquals(1, kill.exitCode(), kill.output());
      kill.assertPrinted("service \"cart\" is not running (stopped); no signal was sent. parigot "
          + "start --file " + file + " cart starts it again");
      Result start = run(elsewhere, "start", "--file", file, "cart");
      assertEquals(0, start.exitCode(), start.output());
      Result ps = run(elsewhere, "ps", "--file", file, "frontend");
      assertEquals(2, ps.exitCode(), ps.output());
      ps.assertPrinted("name it to parigot up --file " + file);
    } finally {
      ParigotCli.run(dir, LIMIT, "down");
      ParigotCli.assertNoJvmLeft(dir.toString(), GRACE);
      ParigotCli.assertNoJvmLeft(JAR, GRACE);
    }
  }

  @Test
  void requiresInTheFileThatDifferFromTheCodeFailTheDeploymentAndSayWhere(@TempDir Path dir)
      throws Exception {
    write(dir, """
        name: stale
        services:
          store:
            classpath: [%1$s]
            main: example.storefront.StoreService
          cart:
            classpath: [%1$s]
            main: example.storefront.CartService
          catalog:
            classpath: [%1$s]
            main: example.storefront.CatalogService
          frontend:
            classpath: [%1$s]
            main: example.storefront.FrontendService
            requires: [storefront.v1.Cart, storefront.v1.Store]
        """.formatted(JAR));

    Result run = ParigotCli.run(dir, LIMIT, "up", "deploy.yaml");

    assertEquals(1, run.exitCode(), run.output());
    run.assertPrinted("deploy.yaml:15:5: service \"frontend\" has requires: [storefront.v1.Cart, "
        + "storefront.v1.Store] in deploy.yaml, but its code requires [storefront.v1.Cart, "
        + "storefront.v1.Catalog].");
    run.assertPrinted("The code requires, the file does not list: storefront.v1.Catalog.");
    run.assertPrinted("The file lists, the code does not require: storefront.v1.Store.");
    run.assertPrinted("Make requires: [storefront.v1.Cart, storefront.v1.Catalog] (what the code "
        + "says), or remove the requires: key to let the code decide.");
    assertTrue(!run.output().contains("is ready: "), run.output());
    ParigotCli.assertNoJvmLeft(JAR, GRACE);
  }

  @Test
  void exportsInTheFileThatDifferFromTheCodeFailTheDeploymentAndSayWhere(@TempDir Path dir)
      throws Exception {
    write(dir, """
        name: stale
        services:
          store:
            classpath: [%1$s]
            main: example.storefront.StoreService
            exports: storefront.v1.Catalog
        """.formatted(JAR));

    Result run = ParigotCli.run(dir, LIMIT, "up", "deploy.yaml");

    assertEquals(1, run.exitCode(), run.output());
    run.assertPrinted("deploy.yaml:6:5: service \"store\" has exports: [storefront.v1.Catalog] in "
        + "deploy.yaml, but its code exports [storefront.v1.Store].");
    run.assertPrinted("The code exports, the file does not list: storefront.v1.Store.");
    run.assertPrinted("The file lists, the code does not export: storefront.v1.Catalog.");
    assertTrue(!run.output().contains("is ready: "), run.output());
    ParigotCli.assertNoJvmLeft(JAR, GRACE);
  }

  private static int indexOf(List<String> lines, String text) {
    for (int i = 0; i < lines.size(); i++) {
      if (lines.get(i).contains(text)) {
        return i;
      }
    }
    throw new AssertionError("no line contains '" + text + "' in:\n" + String.join("\n", lines));
  }

  /**
   * {@code parigot up | head -1}: once what reads the output has gone, the deployment stops as a
   * command ends on SIGPIPE (exit 141), saying why on stderr and where the services' output is
   * kept, as seen from where parigot up was typed, and no JVM is left.
   */
  @Test
  void upWhoseOutputIsClosedStopsTheDeployment(@TempDir Path dir) throws Exception {
    writeShopping(dir, "piped");
    Path errors = dir.resolve("errors.txt");
    String file = dir.getFileName() + "/deploy.yaml"; // typed in the directory above
    Process up = ParigotCli.startPiped(dir.getParent(), errors, "up", file);
    try {
      BufferedReader output = new BufferedReader(
          new InputStreamReader(up.getInputStream(), StandardCharsets.UTF_8));
      String line;
      do {
        line = output.readLine();
      } while (line != null && !line.contains("receipt:"));
      assertTrue(line != null, "parigot up ended before the first receipt: "
          + Files.readString(errors));
      output.close(); // as head does once it has its line: the shopper's next receipt fails

      assertTrue(up.waitFor(LIMIT.toSeconds(), TimeUnit.SECONDS),
          "parigot up went on with its output closed");
      assertEquals(141, up.exitValue(), Files.readString(errors));
      assertTrue(Files.readString(errors).contains(
          "what read the output of parigot up has closed it; stopping the deployment. The "
              + "services' output is kept in " + dir.getFileName() + "/.parigot/logs/ (parigot "
              + "logs --file " + file + ")."), Files.readString(errors));
      assertTrue(Files.readString(dir.resolve(".parigot/logs/shopper.log")).contains("receipt:"));
    } finally {
      ParigotCli.killTree(up.toHandle());
    }
    ParigotCli.assertNoJvmLeft(dir.toString(), GRACE);
    ParigotCli.assertNoJvmLeft(JAR, GRACE);
  }

  /**
   * The storefront as a deployment named {@code name} whose shopper shops every 200 ms, each
   * time printing its receipt, until it is stopped.
   */
  static void writeShopping(Path dir, String name) throws IOException {
    writeStorefront(dir, name, "[--every, \"200\"]");
  }

  /**
   * The example's own deploy.yaml (so its requires: and exports: too) as a deployment named
   * {@code name} in {@code dir}, its jar named by its absolute path, its shopper given
   * {@code args}.
   */
  static void writeStorefront(Path dir, String name, String args) throws IOException {
    String yaml = Files.readString(EXAMPLE.resolve("deploy.yaml"));
    yaml = replaced(yaml, "\nname: storefront\n", "\nname: " + name + "\n");
    yaml = replaced(yaml, "[target/storefront.jar]", "[" + JAR + "]");
    yaml = replaced(yaml, "    main: example.storefront.Shopper\n",
        "    main: example.storefront.Shopper\n    args: " + args + "\n");
    write(dir, yaml);
  }

  /** {@code text} with every {@code what} replaced, which it must hold. */
  private static String replaced(String text, String what, String with) {
    assertTrue(text.contains(what), "the example's deploy.yaml no longer has " + what);
    return text.replace(what, with);
  }

  static void write(Path dir, String yaml) throws IOException {
    Files.writeString(dir.resolve("deploy.yaml"), yaml);
  }
}
