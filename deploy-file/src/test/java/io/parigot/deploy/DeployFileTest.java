package io.parigot.deploy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.jar.Attributes;
import java.util.jar.JarOutputStream;
import java.util.jar.Manifest;
import java.util.zip.ZipEntry;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DeployFileTest {
  @TempDir
  Path dir;

  @BeforeEach
  void jars() throws IOException {
    jar(dir.resolve("lib/app.jar"), "com.example.Main", null, "com/example/Main.class");
    jar(dir.resolve("lib/dep.jar"), null, null, "com/example/Dep.class");
    jar(dir.resolve("thin.jar"), "com.example.Dep", "lib/dep.jar", "com/example/Thin.class");
  }

  @Test
  void readsEverySettingOfAService() throws Exception {
    Deployment d = load("""
        name: shop
        services:
          store:
            classpath: [lib/app.jar, lib/dep.jar]
            main: com.example.Main
            args: [--port, 8080]
            env: {MODE: fast, LEVEL: 3}
            jvm_options: -Xmx64m
            exports: shop.Store
            restart: {policy: always, max_restarts: 3, window: 30s, backoff: 200ms, max_backoff: 2s}
            startup_timeout: 10s
            budget: 200ms
            archive: false
          front:
            jar: thin.jar
            requires: [shop.Store]
            restart: no
            program: true
        """);
    assertEquals("shop", d.name());
    ServiceSpec store = d.service("store").orElseThrow();
    assertEquals(List.of(dir.resolve("lib/app.jar"), dir.resolve("lib/dep.jar")), store.classpath());
    assertEquals(List.of("--port", "8080"), store.args());
    assertEquals(Map.of("MODE", "fast", "LEVEL", "3"), store.env());
    assertEquals(List.of("-Xmx64m"), store.jvmOptions());
    assertEquals(new RestartPolicy(RestartPolicy.Mode.ALWAYS, 3, Duration.ofSeconds(30),
        Duration.ofMillis(200), Duration.ofSeconds(2)), store.restart());
    assertEquals(Duration.ofSeconds(10), store.startupTimeout());
    assertEquals(Duration.ofMillis(200), store.budget().orElseThrow());
    assertFalse(store.archive());
    ServiceSpec front = d.service("front").orElseThrow();
    assertEquals(dir.resolve("thin.jar"), front.jar().orElseThrow());
    assertEquals(RestartPolicy.Mode.NO, front.restart().mode());
    assertEquals("front", d.program().orElseThrow().name());
    assertEquals(ServiceSpec.DEFAULT_STARTUP_TIMEOUT, front.startupTimeout());
    assertTrue(front.budget().isEmpty());
    assertEquals(List.of("shop.Store"), front.requires());
    assertEquals(dir.resolve("deploy.yaml") + ":16:5", front.requiresAt().orElseThrow().toString());
    assertTrue(store.requiresAt().isEmpty(), "no requires: key, so the code is not checked");
  }

  @Test
  void aWildcardTakesEveryJarOfTheDirectory() throws Exception {
    Deployment d = load("""
        name: shop
        services:
          store:
            classpath: lib/*
            main: com.example.Main
        """);
    assertEquals(List.of(dir.resolve("lib/app.jar"), dir.resolve("lib/dep.jar")),
        d.services().get(0).classpath());
  }

  @Test
  void reportsEveryProblemAtOnceWithLineColumnAndHint() throws Exception {
    DeployFileException e = problems("""
        name: shop
        services:
          store:
            classpath: [lib/app.jar]
            main: com.example.Main
            enviroment: {A: b}
            restart: sometimes
            startup_timeout: soon
          cart:
            classpath: [lib/nope.jar]
            main: com.example.Main
        """);
    assertEquals(List.of(
        "deploy.yaml:6:5: unknown key 'enviroment' in services.store; did you mean 'env'?",
        "deploy.yaml:7:14: services.store.restart must be no, on-failure or always, not "
            + "\"sometimes\"",
        "deploy.yaml:8:22: services.store.startup_timeout must be a duration like 500ms, 30s "
            + "or 2m, not \"soon\""),
        text(e).lines().limit(3).toList());
    assertEquals(4, e.problems().size(), text(e));
    assertTrue(text(e).lines().toList().get(3).startsWith("deploy.yaml:10:17: classpath entry "
        + "lib/nope.jar of service cart does not exist"), text(e));
  }

  @Test
  void aJarNotBuiltYetIsToldHowItsProjectBuildsIt() throws IOException {
    String yaml = """
        name: shop
        services:
          store:
            jar: %s/target/store.jar
        """;
    // a Maven project in a checkout with the Maven wrapper, a plain Maven project, no project
    Files.createDirectories(dir.resolve("wrapped/store"));
    Files.writeString(dir.resolve("wrapped/store/pom.xml"), "<project/>");
    Files.writeString(dir.resolve("wrapped/mvnw"), "#!/bin/sh\n");
    Files.createDirectories(dir.resolve("plain"));
    Files.writeString(dir.resolve("plain/pom.xml"), "<project/>");
    assertTrue(problems(yaml.formatted("wrapped/store")).getMessage().endsWith(
        "; build it first (./mvnw -B package -DskipTests in " + dir.resolve("wrapped") + ")"));
    assertTrue(problems(yaml.formatted("plain")).getMessage().endsWith(
        "; build it first (mvn -B package -DskipTests in " + dir.resolve("plain") + ")"));
    assertTrue(problems(yaml.formatted("nowhere")).getMessage().endsWith(
        "nowhere/target/store.jar); build it first"));
  }

  @Test
  void aMainClassThatIsNotOnTheClasspathIsNamed() {
    DeployFileException e = problems("""
        name: shop
        services:
          store:
            classpath: [lib/app.jar]
            main: com.example.Mian
        """);
    assertEquals(1, e.problems().size(), text(e));
    assertEquals("deploy.yaml:5:11: main class com.example.Mian of service store is not on its "
        + "classpath (lib/app.jar); did you mean com.example.Main?", text(e));
  }

  @Test
  void aMainClassNotThereIsToldTheClassItMayMeanOrToCheckTheSpelling() throws IOException {
    jar(dir.resolve("lib/other.jar"), null, null, "org/acme/Other.class");
    jar(dir.resolve("lib/more.jar"), null, null, "org/acme/More.class");
    String yaml = """
        name: shop
        services:
          store:
            classpath: [lib/other.jar, lib/more.jar, lib/dep.jar, lib/app.jar, thin.jar]
            main: %s
        """;
    // the class of that name in the package it is in, and only three entries of five
    assertEquals("deploy.yaml:5:11: main class com.example.app.Main of service store is not on "
        + "its classpath (lib/other.jar, lib/more.jar, lib/dep.jar and 2 more); did you mean "
        + "com.example.Main?", text(problems(yaml.formatted("com.example.app.Main"))));
    assertTrue(text(problems(yaml.formatted("com.example.Checkout"))).endsWith(
        "and 2 more); check the spelling and package, and that the jar was built"));
  }

  @Test
  void aMainClassIsFoundThroughTheManifestClassPath() throws Exception {
    Deployment d = load("""
        name: shop
        services:
          store:
            classpath: [thin.jar]
            main: com.example.Dep
        """);
    assertEquals("com.example.Dep", d.services().get(0).mainClass().orElseThrow());
  }

  @Test
  void wrongTypesSayWhatIsExpected() {
    DeployFileException e = problems("""
        name: [shop]
        services:
          store:
            jar: thin.jar
            program: maybe
            env: [A=b]
            restart: {policy: always, max_restarts: -1, windw: 1m}
        """);
    List<String> messages = e.problems().stream().map(Problem::message).toList();
    assertEquals(List.of(
        "name must be a name like shop, not a list",
        "services.store.program must be true or false, not \"maybe\"",
        "services.store.env must be a map of variable names to values, not a list",
        "services.store.restart.max_restarts must be a whole number, 0 or more, not -1",
        "unknown key 'windw' in services.store.restart; did you mean 'window'?"),
        messages);
  }

  @Test
  void aRestartLimitTooLargeIsSaidToBeTooLargeNotToBeNoWholeNumber() {
    // it said: max_restarts must be a whole number, 0 or more, not 99999999999999999999
    DeployFileException e = problems("""
        name: shop
        services:
          store:
            jar: thin.jar
            restart: {policy: always, max_restarts: 99999999999999999999}
          cart:
            jar: thin.jar
            restart: {max_restarts: 0x10}
        """);
    assertEquals("""
        deploy.yaml:5:45: services.store.restart.max_restarts is too large: \
        99999999999999999999 (it must be a whole number from 0 to 2147483647)
        deploy.yaml:8:29: services.cart.restart.max_restarts must be a whole number, 0 or \
        more, not 0x10""", text(e).lines().filter(l -> l.contains("max_restarts"))
        .collect(java.util.stream.Collectors.joining("\n")));
  }

  @Test
  void requiredPartsAndCodeAreChecked() {
    DeployFileException e = problems("""
        services:
          a:
            main: com.example.Main
          b:
            jar: thin.jar
            classpath: [lib/app.jar]
          C:
            program: true
        """);
    String m = text(e);
    assertTrue(m.contains("deploy.yaml:1:1: the deployment has no name"), m);
    assertTrue(m.contains("deploy.yaml:3:5: service a gives main: but no classpath:"), m);
    assertTrue(m.contains("deploy.yaml:5:5: services.b gives both jar: and classpath:"), m);
    assertTrue(m.contains("deploy.yaml:7:3: service name \"C\" is not valid"), m);
    assertTrue(m.contains("deploy.yaml:7:3: service C has no code"), m);
  }

  @Test
  void aDeclaredCycleIsNamed() {
    DeployFileException e = problems("""
        name: loop
        services:
          a: {jar: thin.jar, requires: x.B, exports: x.A}
          b: {jar: thin.jar, requires: x.C, exports: x.B}
          c: {jar: thin.jar, requires: x.A, exports: x.C}
        """);
    assertEquals("deploy.yaml:3:3: requirement cycle: a -> b -> c -> a; no service in it could "
        + "ever start. Break the cycle: one of them must not require the next", text(e));
  }

  @Test
  void aRequirementNobodyExportsIsNamedWhenEveryServiceDeclaresItsExports() {
    DeployFileException e = problems("""
        name: shop
        services:
          front: {jar: thin.jar, requires: [shop.Cart], exports: shop.Front}
          store: {jar: thin.jar, exports: shop.Store}
        """);
    assertTrue(text(e).startsWith("deploy.yaml:3:37: service front requires shop.Cart, "
        + "which no service of the deployment exports"), text(e));
  }

  @Test
  void aRequirementExportedByAServiceWithAProblemIsNotSaidToBeExportedByNobody() {
    // it said, before the typo in store: service front requires shop.Store, which no service of
    // the deployment exports; fixing the typo made that one go away
    DeployFileException e = problems("""
        name: shop
        services:
          front: {jar: thin.jar, requires: [shop.Store, shop.Cart], exports: shop.Front}
          store: {jar: thin.jar, exports: shop.Store, budgte: 1s}
        """);
    assertEquals("""
        deploy.yaml:3:49: service front requires shop.Cart, which no service of the deployment \
        exports; add the service that does, or remove the requirement
        deploy.yaml:4:47: unknown key 'budgte' in services.store; did you mean 'budget'?""",
        text(e));

    // one with a problem and no exports: may export anything, so nothing is said of either
    e = problems("""
        name: shop
        services:
          front: {jar: thin.jar, requires: [shop.Store], exports: shop.Front}
          store: {jar: thin.jar, budgte: 1s}
        """);
    assertEquals("deploy.yaml:4:26: unknown key 'budgte' in services.store; did you mean "
        + "'budget'?", text(e));
  }

  @Test
  void aServiceWithAProblemIsStillToldOfARequirementNobodyExports() {
    // it said the typo alone; the requirement came after the typo was fixed
    DeployFileException e = problems("""
        name: shop
        services:
          front: {jar: thin.jar, requires: [shop.Cart], exports: shop.Front, budgte: 1s}
          store: {jar: thin.jar, exports: shop.Store}
        """);
    assertEquals("""
        deploy.yaml:3:37: service front requires shop.Cart, which no service of the deployment \
        exports; add the service that does, or remove the requirement
        deploy.yaml:3:70: unknown key 'budgte' in services.front; did you mean 'budget'?""",
        text(e));
  }

  @Test
  void exportsNamingAServiceInsteadOfWhatItServesIsAProblem() {
    // exports: [cart] was taken, and the deployment stopped at cart's registration, exit 1
    DeployFileException e = problems("""
        name: shop
        services:
          cart: {jar: thin.jar, exports: [cart]}
        """);
    assertEquals("deploy.yaml:3:35: exports: cart of service cart names a service of this "
        + "deployment; exports lists the proto services a service serves, like "
        + "greeting.v1.Greeting (the generated interfaces its code implements), which other "
        + "services' requires: name", text(e));
  }

  @Test
  void requiresNamingAServiceInsteadOfWhatItServesIsAProblem() {
    DeployFileException e = problems("""
        name: shop
        services:
          store: {jar: thin.jar}
          front: {jar: thin.jar, requires: [store]}
          back-office: {jar: thin.jar, requires: [front, back-office]}
        """);
    assertEquals(3, e.problems().size(), text(e));
    assertTrue(text(e).contains("deploy.yaml:5:50: requires: back-office of service back-office "
        + "names a service of this deployment"), "a name no proto service could have: " + text(e));
    assertTrue(text(e).startsWith("deploy.yaml:4:37: requires: store of service front names a "
        + "service of this deployment; requires lists the proto services"), text(e));
    DeployFileException twice = problems("""
        name: shop
        services:
          front: {jar: thin.jar, requires: [shop.Store, shop.Store]}
        """);
    assertTrue(text(twice).startsWith("deploy.yaml:3:49: shop.Store is listed twice in requires "
        + "of service front (first at 3:37); keep one"), text(twice));
  }

  @Test
  void durationsReadAsDockerComposeWritesThem() throws Exception {
    Deployment d = load("""
        name: shop
        services:
          store: {jar: thin.jar, startup_timeout: 1m30s, budget: 2s500ms}
        """);
    assertEquals(Duration.ofSeconds(90), d.service("store").orElseThrow().startupTimeout());
    assertEquals(Duration.ofMillis(2500), d.service("store").orElseThrow().budget().orElseThrow());
    DeployFileException e = problems("""
        name: shop
        services:
          store: {jar: thin.jar, startup_timeout: 5, budget: 99999999999999999999999}
        """);
    assertTrue(text(e).contains("startup_timeout must be at least 100ms, not 5 (a bare "
        + "number is milliseconds: did you mean 5s?)"), text(e));
    assertTrue(text(e).contains("budget is too large: 99999999999999999999999 (it must be "
        + "between 1ms and 10m)"), text(e));
  }

  @Test
  void aDurationInAnotherFormIsToldTheOneDeployYamlWrites() {
    // Go's durations, docker compose's, take 1.5s; 30 s and 30S are slips
    DeployFileException e = problems("""
        name: shop
        services:
          store:
            jar: thin.jar
            budget: 1.5s
            startup_timeout: 1m 30s
            stop_grace_period: 30S
            restart: {window: 1.25m, backoff: 2 days, max_backoff: 99999999999999999999.5s}
        """);
    assertEquals("""
        deploy.yaml:5:13: services.store.budget must be a duration like 500ms, 30s or 2m, not \
        "1.5s" (did you mean 1500ms?)
        deploy.yaml:6:22: services.store.startup_timeout must be a duration like 500ms, 30s or \
        2m, not "1m 30s" (did you mean 1m30s?)
        deploy.yaml:7:24: services.store.stop_grace_period must be a duration like 500ms, 30s or \
        2m, not "30S" (did you mean 30s?)
        deploy.yaml:8:23: services.store.restart.window must be a duration like 500ms, 30s or \
        2m, not "1.25m" (did you mean 75s?)
        deploy.yaml:8:39: services.store.restart.backoff must be a duration like 500ms, 30s or \
        2m, not "2 days"
        deploy.yaml:8:60: services.store.restart.max_backoff must be a duration like 500ms, 30s \
        or 2m, not "99999999999999999999.5s\"""", text(e));
  }

  @Test
  void whatIsNotAJarIsNamedAsSuch() throws Exception {
    Files.createDirectories(dir.resolve("classes"));
    Files.writeString(dir.resolve("notes.jar"), "not a zip");
    Path elsewhere = Files.createTempDirectory("parigot-elsewhere");
    try {
      DeployFileException e = problems("""
          name: shop
          services:
            a: {jar: classes}
            b:
              classpath: [notes.jar]
              main: com.example.Main
            c:
              classpath: [%s]
              main: com.example.Main
          """.formatted(elsewhere));
      assertTrue(text(e).contains("deploy.yaml:3:12: jar classes of service a is a directory, "
          + "not a jar"), text(e));
      assertTrue(text(e).contains("deploy.yaml:5:17: classpath entry notes.jar of service b is "
          + "not a jar (not a zip file)"), text(e));
      assertTrue(text(e).contains("is not on its classpath (" + elsewhere + ")"),
          "an entry outside the file's directory is shown as written: " + text(e));
    } finally {
      Files.delete(elsewhere);
    }
  }

  @Test
  void whatTheJvmRunsIsRead() throws Exception {
    // an executable jar: a script, then the zip (which is read from its end)
    byte[] zip = Files.readAllBytes(dir.resolve("lib/app.jar"));
    byte[] script = "#!/bin/sh\nexec java -jar \"$0\" \"$@\"\n".getBytes(StandardCharsets.UTF_8);
    byte[] exec = new byte[script.length + zip.length];
    System.arraycopy(script, 0, exec, 0, script.length);
    System.arraycopy(zip, 0, exec, script.length, zip.length);
    Files.write(dir.resolve("exec.jar"), exec);
    // the application jar's Class-Path names lib2/dep.jar, shipped in deps/ instead
    jar(dir.resolve("app2.jar"), "com.example.App", "lib2/dep.jar", "com/example/App.class");
    jar(dir.resolve("deps/dep.jar"), null, null, "com/example/Dep.class");
    Deployment d = load("""
        name: shop
        services:
          a: {classpath: [exec.jar], main: com.example.Main}
          b: {classpath: [app2.jar, "deps/*"], main: com.example.App}
        """);
    assertEquals(2, d.services().size());
  }

  @Test
  void aNameTooLongSaysHowLongANameMayBe() {
    DeployFileException e = problems("name: " + "a".repeat(64)
        + "\nservices:\n  store: {jar: thin.jar}\n");
    assertTrue(text(e).contains("63 characters at most"), text(e));
  }

  @Test
  void aNameThatIsOneOnceLowerCasedIsToldThatOne() {
    DeployFileException e = problems("""
        name: My Shop
        services:
          Cart: {jar: thin.jar}
          store.v2: {jar: thin.jar}
          "ünï": {jar: thin.jar}
        """);
    assertEquals("""
        deploy.yaml:1:7: name "My Shop" is not a valid deployment name (did you mean \
        "my-shop"?); use lower-case letters, digits, '-' and '_', starting with a letter or \
        digit, 63 characters at most
        deploy.yaml:3:3: service name "Cart" is not valid (did you mean "cart"?); use \
        lower-case letters, digits, '-' and '_', starting with a letter or digit, 63 \
        characters at most
        deploy.yaml:4:3: service name "store.v2" is not valid (did you mean "store-v2"?); use \
        lower-case letters, digits, '-' and '_', starting with a letter or digit, 63 \
        characters at most
        deploy.yaml:5:3: service name "ünï" is not valid; use lower-case letters, digits, '-' \
        and '_', starting with a letter or digit, 63 characters at most""", text(e));
  }

  @Test
  void aWrongTypeIsReportedOnce() {
    DeployFileException e = problems("""
        name: shop
        services:
          store: {jar: thin.jar, jvm_options: {a: b}}
        """);
    assertEquals(1, e.problems().size(), text(e));
  }

  @Test
  void yamlSyntaxErrorsPointAtTheLine() {
    DeployFileException e = problems("name: shop\nservices:\n  a:\n\tjar: thin.jar\n");
    assertEquals(1, e.problems().size());
    assertEquals(4, e.problems().get(0).line(), text(e));
    assertTrue(text(e).contains("YAML syntax error"), text(e));
    assertTrue(text(e).contains("tabs"), text(e));
  }

  @Test
  void moreThanOneProgramIsAnError() {
    DeployFileException e = problems("""
        name: two
        services:
          a: {jar: thin.jar, program: true}
          b: {jar: thin.jar, program: true}
        """);
    assertEquals("deploy.yaml:4:3: service b is marked program: true, but so is a; a deployment "
        + "has at most one program", text(e));
  }

  @Test
  void anEmptyClasspathOrAnEmptyEntryIsAProblem() {
    DeployFileException e = problems("""
        name: shop
        services:
          store:
            classpath: []
            main: com.example.Main
          cart:
            classpath: [lib/app.jar, ""]
            main: com.example.Main
        """);
    assertTrue(text(e).contains("deploy.yaml:4:5: classpath: of service store is empty"),
        text(e));
    assertTrue(text(e).contains("deploy.yaml:7:30: a classpath entry of service cart is empty"),
        text(e));
  }

  @Test
  void anEmptyExportsStillSaysWhatTheServiceExports() {
    DeployFileException e = problems("""
        name: shop
        services:
          store:
            classpath: [lib/app.jar]
            main: com.example.Main
            exports: [shop.Store]
            requires: [shop.Nope]
          cart:
            classpath: [lib/app.jar]
            main: com.example.Main
            exports: []
        """);
    assertTrue(text(e).contains("service store requires shop.Nope, which no service of the "
        + "deployment exports"), text(e));
  }

  @Test
  void theProgramIsNotRestartedAndNoServiceIsCalledParigot() {
    DeployFileException e = problems("""
        name: shop
        services:
          parigot:
            classpath: [lib/app.jar]
            main: com.example.Main
          front:
            jar: thin.jar
            program: true
            restart: always
        """);
    assertTrue(text(e).contains("deploy.yaml:3:3: service name \"parigot\" is taken"), text(e));
    assertTrue(text(e).contains("deploy.yaml:9:5: service front is the program, which is not "
        + "restarted"), text(e));
  }

  @Test
  void aBackoffOutOfRangeIsTheOneProblemOfItsRestart() {
    DeployFileException e = problems("""
        name: shop
        services:
          store:
            classpath: [lib/app.jar]
            main: com.example.Main
            restart: {policy: always, backoff: 1h, max_backoff: 1ms}
        """);
    assertEquals(1, e.problems().size(), text(e));
    assertTrue(text(e).contains("backoff"), text(e));
  }

  @Test
  void aFileThatIsNotUtf8SaysWhereAndWhat() {
    // "café" written in Latin-1: the é is one byte, 0xE9, that cannot start UTF-8 there
    byte[] latin1 = "name: shop\nservices:\n  store:\n    main: caf\u00e9\n"
        .getBytes(StandardCharsets.ISO_8859_1);
    DeployFileException e = problems(latin1);
    assertEquals(1, e.problems().size(), text(e));
    assertTrue(text(e).startsWith("deploy.yaml:4:14: the file is not UTF-8 text: byte 0xE9"),
        text(e));
    DeployFileException utf16 = problems("name: shop\n".getBytes(StandardCharsets.UTF_16));
    assertTrue(text(utf16).startsWith("deploy.yaml:1:1: the file is UTF-16 or UTF-32 text"),
        text(utf16));
  }

  @Test
  void aControlCharacterIsFoundWhereItIs() {
    DeployFileException e = problems("name: shop\nservices:\n  store: {jar: \"thin\u0000.jar\"}\n");
    assertEquals(1, e.problems().size(), text(e));
    assertTrue(text(e).startsWith("deploy.yaml:3:21: the file holds the control character U+0000"),
        text(e));
  }

  @Test
  void aComplexKeyIsNamedAsSuch() {
    DeployFileException e = problems("""
        name: shop
        services:
          ? [store, cart]
          : {jar: thin.jar}
        """);
    assertEquals(1, e.problems().size(), text(e));
    assertTrue(text(e).startsWith("deploy.yaml:3:5: a key here is a list (YAML's '? ' complex "
        + "key)"), text(e));
    DeployFileException alias = problems("""
        shared: &front store
        name: shop
        services:
          *front : {jar: thin.jar}
        """);
    assertTrue(text(alias).startsWith("deploy.yaml:4:3: a key here is the YAML alias *front"),
        text(alias));
  }

  @Test
  void positionsCountCharactersAndEveryKindOfLineBreak() {
    // CRLF, a lone CR, a tab and an emoji before the bad character; each is one column
    DeployFileException e = problems("name: shop\r\nservices:\r  store:\n    main: \"\t\uD83D\uDE00"
        + "\u0001\"\n");
    assertTrue(text(e).startsWith("deploy.yaml:4:14: the file holds the control character "
        + "U+0001"), text(e));
  }

  @Test
  void textYamlAllowsIsRead() throws Exception {
    Deployment d = load("name: shop\nservices:\n  front:\n    jar: thin.jar\n"
        + "    env: {GREETING: \"caf\u00e9 \uD83D\uDE00\u00a0\u0085\tend\"}\n");
    assertEquals("shop", d.name());
  }

  @Test
  void utf16Or32WithoutAMarkIsNamedToo() {
    DeployFileException le = problems("name: shop\n".getBytes(StandardCharsets.UTF_16LE));
    assertTrue(text(le).startsWith("deploy.yaml:1:1: the file looks like UTF-16 or UTF-32 text"),
        text(le));
    byte[] utf32 = {0, 0, (byte) 0xFE, (byte) 0xFF, 0, 0, 0, 'n'};
    assertTrue(text(problems(utf32)).startsWith("deploy.yaml:1:1: the file is UTF-16 or UTF-32"),
        text(problems(utf32)));
  }

  @Test
  void aUtf8ByteOrderMarkIsRead() throws Exception {
    Path file = dir.resolve("deploy.yaml");
    Files.write(file, "\uFEFFname: shop\nservices:\n  front: {jar: thin.jar}\n"
        .getBytes(StandardCharsets.UTF_8));
    assertEquals("shop", DeployFile.load(file).name());
  }

  @Test
  void aJarWhoseClassPathNamesMissingJarsIsAProblem() throws Exception {
    jar(dir.resolve("lonely.jar"), "com.example.Lonely", "lib/dep.jar libs/gone.jar",
        "com/example/Lonely.class");
    DeployFileException e = problems("""
        name: shop
        services:
          front: {jar: lonely.jar}
          back:
            classpath: [lonely.jar]
            main: com.example.Lonely
        """);
    assertEquals(2, e.problems().size(), text(e));
    assertTrue(text(e).contains("deploy.yaml:3:16: jar lonely.jar of service front names an "
        + "entry in its manifest Class-Path that is not there: libs/gone.jar;"), text(e));
    assertTrue(text(e).contains("deploy.yaml:5:17: classpath entry lonely.jar of service back "
        + "names an entry"), text(e));
    Files.createDirectories(dir.resolve("libs"));
    Files.copy(dir.resolve("lib/dep.jar"), dir.resolve("libs/gone.jar"));
    assertEquals("shop", load(Files.readString(dir.resolve("deploy.yaml"))).name(),
        "once the jar is there, the same file starts");
  }

  @Test
  void classPathIsReadAsTheJvmReadsIt() throws Exception {
    // a symlinked jar: its Class-Path is relative to where the link points, as the JVM has it
    jar(dir.resolve("real/app.jar"), "com.example.App", "lib/dep.jar", "com/example/App.class");
    jar(dir.resolve("real/lib/dep.jar"), null, null, "com/example/Dep.class");
    Files.createSymbolicLink(dir.resolve("linked.jar"), dir.resolve("real/app.jar"));
    // a dependency beside the application whose own Class-Path names optional jars nobody ships
    jar(dir.resolve("lib/old-logging.jar"), null, "log4j.jar", "org/old/Log.class");
    Deployment d = load("""
        name: shop
        services:
          front: {jar: linked.jar}
          back:
            classpath: [real/app.jar, lib/old-logging.jar]
            main: com.example.App
        """);
    assertEquals(2, d.services().size());
    // an absolute file: URL the JVM would read is checked too
    jar(dir.resolve("abs.jar"), "com.example.Abs", dir.resolve("gone/x.jar").toUri().toString(),
        "com/example/Abs.class");
    DeployFileException e = problems("name: shop\nservices:\n  front: {jar: abs.jar}\n");
    assertTrue(text(e).contains("not there: gone/x.jar"), text(e));
  }

  @Test
  void aBinaryValueIsAProblemNotACrash() {
    DeployFileException e = problems("""
        name: shop
        services:
          store:
            classpath: [lib/app.jar]
            main: com.example.Main
            env: {KEY: !!binary aGVsbG8=}
        """);
    assertTrue(text(e).contains("deploy.yaml:6:16: binary values (!!binary) are not supported"),
        text(e));
  }

  @Test
  void anEmptyFileSaysWhatAFileNeeds() {
    DeployFileException e = problems("");
    assertTrue(text(e).contains("the file is empty"), text(e));
  }

  @Test
  void didYouMeanKnowsHabitsAndTypos() {
    List<String> keys = DeployFile.SERVICE_KEYS;
    assertEquals("env", DidYouMean.closest("environment", keys).orElseThrow());
    assertEquals("requires", DidYouMean.closest("depends_on", keys).orElseThrow());
    assertEquals("jvm_options", DidYouMean.closest("jvmOptions", keys).orElseThrow());
    assertEquals("classpath", DidYouMean.closest("classpath", keys).orElseThrow());
    assertTrue(DidYouMean.closest("replicas", keys).isEmpty());
  }

  @Test
  void aStopGracePeriodIsReadAndKeptWithinAMinute() throws Exception {
    Deployment d = load("""
        name: shop
        services:
          store: {classpath: [lib/app.jar], main: com.example.Main, stop_grace_period: 20s}
          cart: {classpath: [lib/app.jar], main: com.example.Main}
        """);
    assertEquals(Duration.ofSeconds(20), d.service("store").orElseThrow().stopGrace());
    assertEquals(Duration.ofSeconds(5), d.service("cart").orElseThrow().stopGrace());

    DeployFileException e = problems("""
        name: shop
        services:
          store: {classpath: [lib/app.jar], main: com.example.Main, stop_grace_period: 2m}
        """);
    assertTrue(text(e).contains("services.store.stop_grace_period must be between 0ms and 1m, "
        + "not 2m"), text(e));
  }

  /** docker compose's keys with no counterpart say what parigot does instead. */
  @Test
  void composeKeysWithoutACounterpartSayWhatParigotDoesInstead() {
    DeployFileException e = problems("""
        name: shop
        version: '3'
        services:
          store:
            classpath: [lib/app.jar]
            main: com.example.Main
            healthcheck: {test: curl}
            profiles: [debug]
            entrypoint: com.example.Main
        """);
    String text = text(e);
    assertTrue(text.contains("deploy.yaml:2:1: unknown key 'version' at the top level; "
        + "deploy.yaml has no version: remove it"), text);
    assertTrue(text.contains("deploy.yaml:7:5: unknown key 'healthcheck' in services.store; "
        + "parigot has no health check: a service is ready once its launch succeeded and its "
        + "ready() hook ran (docs/sdk.md#launch-ready-locate)"), text);
    assertTrue(text.contains("deploy.yaml:8:5: unknown key 'profiles' in services.store; a "
        + "deployment starts all its services"), text);
    assertTrue(text.contains("deploy.yaml:9:5: unknown key 'entrypoint' in services.store; did "
        + "you mean 'main'?"), text);
  }

  private Deployment load(String yaml) throws Exception {
    Path file = dir.resolve("deploy.yaml");
    Files.writeString(file, yaml);
    return DeployFile.load(file);
  }

  private DeployFileException problems(byte[] yaml) {
    Path file = dir.resolve("deploy.yaml");
    try {
      Files.write(file, yaml);
    } catch (IOException e) {
      throw new AssertionError(e);
    }
    return assertThrows(DeployFileException.class, () -> DeployFile.load(file));
  }

  private DeployFileException problems(String yaml) {
    Path file = dir.resolve("deploy.yaml");
    try {
      Files.writeString(file, yaml);
    } catch (IOException e) {
      throw new AssertionError(e);
    }
    return assertThrows(DeployFileException.class, () -> DeployFile.load(file));
  }

  /** The problems one per line, the file named as it is from its own directory. */
  private String text(DeployFileException e) {
    return e.getMessage().replace(dir + "/", "");
  }

  static void jar(Path path, String main, String classPath, String entry)
      throws IOException {
    Files.createDirectories(path.getParent());
    Manifest manifest = new Manifest();
    manifest.getMainAttributes().put(Attributes.Name.MANIFEST_VERSION, "1.0");
    if (main != null) {
      manifest.getMainAttributes().put(Attributes.Name.MAIN_CLASS, main);
    }
    if (classPath != null) {
      manifest.getMainAttributes().put(Attributes.Name.CLASS_PATH, classPath);
    }
    try (JarOutputStream out = new JarOutputStream(Files.newOutputStream(path), manifest)) {
      out.putNextEntry(new ZipEntry(entry));
      out.write(new byte[] {(byte) 0xCA, (byte) 0xFE});
      out.closeEntry();
    }
  }
}
