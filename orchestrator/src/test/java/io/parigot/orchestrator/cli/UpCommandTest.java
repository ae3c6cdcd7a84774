package io.parigot.orchestrator.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.jar.Attributes;
import java.util.jar.JarOutputStream;
import java.util.jar.Manifest;
import java.util.zip.ZipEntry;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class UpCommandTest {
  @TempDir
  Path dir;

  @Test
  void upWithAtMostAFileSkipsTheParser() {
    assertEquals(Path.of("deploy.yaml"), UpCommand.withoutOptions("up").file);
    assertEquals(Path.of("shop/deploy.yaml"), UpCommand.withoutOptions("up", "shop/deploy.yaml").file);
  }

  @Test
  void everythingElseGoesToPicocli() {
    assertNull(UpCommand.withoutOptions());
    assertNull(UpCommand.withoutOptions("ps"));
    assertNull(UpCommand.withoutOptions("up", "-d", "deploy.yaml"));
    assertNull(UpCommand.withoutOptions("up", "--help"));
    assertNull(UpCommand.withoutOptions("up", "--no-archive"));
    assertNull(UpCommand.withoutOptions("up", "--no-log-prefix"));
    assertNull(UpCommand.withoutOptions("up", "@args.txt"));
    assertNull(UpCommand.withoutOptions("up", "a.yaml", "b.yaml"));
    assertNull(UpCommand.withoutOptions("up", ""));
  }

  @Test
  void bothWaysSayTheSameOfAMissingFile() {
    String missing = dir.resolve("nothing-here.yaml").toString();
    Cli.Said plain = Cli.run("up", missing);
    Cli.Said parsed = Cli.run("up", "--no-archive", missing);
    assertEquals(2, plain.code());
    assertEquals(2, parsed.code());
    assertEquals(parsed.err(), plain.err());
    assertTrue(plain.err().contains(missing + ": no such file"), plain.err());
  }

  /** picocli reads the option anywhere on the line; FILE and SERVICEs are read as without it. */
  @Test
  void noLogPrefixIsReadBesideFileAndServices() throws Exception {
    String missing = dir.resolve("nothing-here.yaml").toString();
    Cli.Said plain = Cli.run("up", missing);
    Cli.Said before = Cli.run("up", "--no-log-prefix", missing);
    Cli.Said after = Cli.run("up", missing, "--no-log-prefix");
    assertEquals(2, before.code(), before.err());
    assertEquals(plain.err(), before.err());
    assertEquals(plain.err(), after.err());

    Path yaml = shop();
    Cli.Said unknown = Cli.run("up", "--no-log-prefix", yaml.toString(), "cart", "stor");
    assertEquals(2, unknown.code(), unknown.err());
    assertTrue(unknown.err().startsWith("parigot: no service \"stor\" in deploy.yaml"),
        unknown.err());
  }

  /** up -d shows no service's output: the option would change nothing, and is refused. */
  @Test
  void noLogPrefixWithDetachIsBadUsageAndStartsNothing() throws Exception {
    Path yaml = shop();
    for (String[] args : new String[][] {{"up", "-d", "--no-log-prefix", yaml.toString()},
        {"up", "--no-log-prefix", "--detach", yaml.toString(), "store"}}) {
      Cli.Said said = Cli.run(args);
      assertEquals(2, said.code(), said.err());
      assertEquals("parigot: up -d shows none of the services' output for --no-log-prefix to "
          + "change; nothing was started. Run up -d without it, then parigot logs "
          + "--no-log-prefix.\n", said.err());
      assertFalse(Files.exists(dir.resolve(".parigot")), "nothing started");
    }
  }

  @Test
  void aDirectoryWithoutADeployYamlSaysSo() {
    Cli.Said said = Cli.run("up", dir.toString());
    assertEquals(2, said.code());
    assertTrue(said.err().contains(dir + " is a directory with no deploy.yaml in it"), said.err());
  }

  @Test
  void aDeployYmlIsNamedWhereADeployYamlIsLookedFor() throws Exception {
    // it said only "... is a directory with no deploy.yaml in it" and "deploy.yaml: no such
    // file", with the deploy.yml docker compose users write beside it
    Path shop = Files.createDirectories(dir.resolve("shop"));
    Files.writeString(shop.resolve("deploy.yml"), "name: shop\n");
    Cli.Said said = Cli.run("up", shop.toString());
    assertEquals(2, said.code());
    assertEquals("parigot: " + shop + " is a directory with no deploy.yaml in it; it holds "
        + "deploy.yml: give its path, parigot up " + shop.resolve("deploy.yml") + ", or rename "
        + "it deploy.yaml.\n", said.err());
    assertFalse(Files.exists(shop.resolve(".parigot")), "nothing started");

    said = Cli.run("config", "-q", shop.resolve("deploy.yaml").toString());
    assertEquals(2, said.code());
    assertEquals("parigot: " + shop.resolve("deploy.yaml") + ": no such file; did you mean "
        + shop.resolve("deploy.yml") + "? (parigot config " + shop.resolve("deploy.yml")
        + ")\n", said.err());

    Files.writeString(shop.resolve("test.yaml"), "name: test\n");
    said = Cli.run("up", shop.toString());
    assertEquals("parigot: " + shop + " is a directory with no deploy.yaml in it; the YAML "
        + "files in it are deploy.yml, test.yaml: give the path of one.\n", said.err());
  }

  @Test
  void picocliStillAnswersAWrongCommandLine() {
    Cli.Said said = Cli.run("up", "--no-such-option");
    assertEquals(2, said.code());
    assertEquals("parigot up: unknown option '--no-such-option'; did you mean --no-archive or "
        + "--no-log-prefix? (see parigot up --help)\n", said.err());
  }

  @Test
  void aSecondDeploymentFileIsRefusedAsAServiceName() {
    Cli.Said said = Cli.run("up", "a.yaml", "b.yaml");
    assertEquals(2, said.code());
    assertEquals("parigot: up was given b.yaml as a SERVICE, but it looks like a deployment "
        + "file; up takes one FILE, first: parigot up FILE [SERVICE...]. Nothing was started.\n",
        said.err());
  }

  /** The first argument is FILE when it is a file or a directory or ends in .yaml or .yml. */
  @Test
  void theFirstArgumentIsAServiceWhenItIsNoFile() throws Exception {
    UpCommand plain = UpCommand.withoutOptions("up", "cart");
    plain.fileOption = shop(); // as the deploy.yaml here would be
    assertEquals(List.of("cart"), UpArguments.serviceNames(plain));
    assertNull(plain.file, "deploy.yaml, as for a plain up");

    Path shop = Files.createDirectories(dir.resolve("shop"));
    UpCommand some = new UpCommand();
    some.file = shop;
    some.names = List.of("cart", "store");
    assertEquals(List.of("cart", "store"), UpArguments.serviceNames(some));
    assertEquals(shop, some.file);

    UpCommand missing = UpCommand.withoutOptions("up", "missing.yml");
    assertEquals(List.of(), UpArguments.serviceNames(missing));
    assertEquals(Path.of("missing.yml"), missing.file);
  }

  @Test
  void aFirstArgumentThatIsNoFileWithNoDeployYamlHereSaysSo() {
    assumeTrue(!Files.exists(Path.of("deploy.yaml")), "the tests' directory has no deploy.yaml");
    Cli.Said said = Cli.run("up", "shop");
    assertEquals(2, said.code());
    assertEquals("parigot: shop: no such file, and no deploy.yaml here to take it as a SERVICE "
        + "of. Give the path of a deploy.yaml: parigot up FILE [SERVICE...].\n", said.err());
  }

  @Test
  void anUnknownServiceIsRefusedBeforeAnythingStarts() throws Exception {
    Path yaml = shop();
    Cli.Said said = Cli.run("up", yaml.toString(), "cart", "stor");
    assertEquals(2, said.code(), said.err());
    assertEquals("parigot: no service \"stor\" in deploy.yaml (deployment \"shop\"); did you "
        + "mean store? its services: front, cart, store. Nothing was started.\n", said.err());
    assertFalse(Files.exists(dir.resolve(".parigot/logs")), "no service started");
  }

  /** front requires cart requires store, as their requires: and exports: say. */
  private Path shop() throws Exception {
    Manifest manifest = new Manifest();
    manifest.getMainAttributes().put(Attributes.Name.MANIFEST_VERSION, "1.0");
    manifest.getMainAttributes().put(Attributes.Name.MAIN_CLASS, "shop.Main");
    try (JarOutputStream out = new JarOutputStream(
        Files.newOutputStream(dir.resolve("shop.jar")), manifest)) {
      out.putNextEntry(new ZipEntry("shop/Main.class"));
      out.write(new byte[] {(byte) 0xCA, (byte) 0xFE});
      out.closeEntry();
    }
    return Files.writeString(dir.resolve("deploy.yaml"), """
        name: shop
        services:
          front: {jar: shop.jar, requires: [shop.Cart], exports: shop.Front}
          cart: {jar: shop.jar, requires: [shop.Store], exports: shop.Cart}
          store: {jar: shop.jar, exports: shop.Store}
        """);
  }

  /** ps, kill, logs, down and their hints write --file FILE; up takes it too. */
  @Test
  void upTakesItsFileAsFileTooAsTheOtherVerbsDo() throws Exception {
    Path bad = Files.writeString(dir.resolve("deploy.yaml"), "name: shop\nservices: {}\n");
    Cli.Said byOption = Cli.run("up", "--file", bad.toString());
    Cli.Said byPosition = Cli.run("up", "--no-archive", bad.toString());
    assertEquals(2, byOption.code(), byOption.err());
    assertEquals(byPosition.err(), byOption.err());
    assertTrue(byOption.err().contains("nothing was started"), byOption.err());

    Cli.Said both = Cli.run("up", "--file", bad.toString(), dir.resolve("other.yaml").toString());
    assertEquals(2, both.code());
    assertTrue(both.err().contains("up was given two deployment files"), both.err());

    Cli.Said sameTwice = Cli.run("up", "--file", dir.resolve(".").resolve("deploy.yaml")
        .toString(), bad.toString());
    assertEquals(2, sameTwice.code());
    // read, not refused
    assertTrue(sameTwice.err().contains("services: is empty"), sameTwice.err());
  }

  @Test
  void aRunThatEndsEarlyLeavesNoClassListBehind() throws Exception {
    // what the parigot script sets when it has the orchestrator record its archive
    Path classList = Files.writeString(dir.resolve("parigot-1.classlist"), "java/lang/Object\n");
    Path bad = Files.writeString(dir.resolve("deploy.yaml"), "name: shop\nservices: {}\n");
    System.setProperty(OrchestratorArchive.ARCHIVE_PROPERTY, dir.resolve("parigot.jsa").toString());
    System.setProperty(OrchestratorArchive.CLASS_LIST_PROPERTY, classList.toString());
    try {
      Cli.Said said = Cli.run("up", bad.toString());
      assertEquals(2, said.code(), said.err());
      assertFalse(Files.exists(classList), "the class list of a run that started nothing");
    } finally {
      System.clearProperty(OrchestratorArchive.ARCHIVE_PROPERTY);
      System.clearProperty(OrchestratorArchive.CLASS_LIST_PROPERTY);
    }
  }

  @Test
  void aStateDirectoryOfAnotherUserIsRefusedInOneLineBeforeAnythingIsWrittenInIt()
      throws Exception {
    Path deployYaml = Files.writeString(dir.resolve("deploy.yaml"),
        "name: shop\nservices:\n  store:\n    jar: store.jar\n");
    Path root = Files.createDirectories(dir.resolve(".parigot"));
    assumeTrue("root".equals(System.getProperty("user.name")),
        "needs root: only root can give a directory to another user (nobody)");
    Files.setOwner(root, root.getFileSystem().getUserPrincipalLookupService()
        .lookupPrincipalByName("nobody"));

    Cli.Said said = Cli.run("up", deployYaml.toString());

    assertEquals(2, said.code(), said.err());
    assertEquals("parigot: " + root + " belongs to user nobody, not to you (root): parigot keeps "
        + "the deployment's state in .parigot/ (its token, the services' logs) and writes there "
        + "as you, so another user's files in it could have it overwrite yours. Remove it (rm -rf "
        + root + ") and run parigot up again, or run the deployment from a directory of your "
        + "own.\n", said.err());
    try (var left = Files.list(root)) {
      assertEquals(0, left.count(), "nothing written in it (not the deploy.yaml's tree)");
    }
  }
}
