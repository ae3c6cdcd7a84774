package io.parigot.deploy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Variables of parigot's environment in deploy.yaml's values, written as docker compose does. */
class InterpolationTest {
  private static final Map<String, String> ENV = Map.of("APP", "lib/app.jar", "PORT", "8080",
      "MODE", "fast", "EMPTY", "", "RESTARTS", "3");

  @TempDir
  Path dir;

  @BeforeEach
  void jar() throws Exception {
    DeployFileTest.jar(dir.resolve("lib/app.jar"), "com.example.Main", null,
        "com/example/Main.class");
  }

  @Test
  void everyFormReadsAsComposeReadsIt() throws Exception {
    ServiceSpec store = load("""
        name: shop
        services:
          store:
            classpath:
              - ${APP}
            main: com.example.Main
            args: [--port, $PORT, "${HOST:-localhost}", "${EMPTY:-was empty}", "${EMPTY-kept}",
                   "${MODE:+on}", "${NOPE:+on}", "cost: $$5", "${NOPE:-${MODE}-default}"]
            env: {MODE: "${MODE:?say how}", URL: "http://${HOST-db}:${PORT}/x"}
            restart: {policy: always, max_restarts: "${RESTARTS}"}
            budget: ${BUDGET:-200ms}
        """, ENV).service("store").orElseThrow();

    assertEquals(List.of(dir.resolve("lib/app.jar")), store.classpath());
    assertEquals(List.of("--port", "8080", "localhost", "was empty", "", "on", "", "cost: $5",
        "fast-default"), store.args());
    assertEquals(Map.of("MODE", "fast", "URL", "http://db:8080/x"), store.env());
    assertEquals(3, store.restart().maxRestarts());
    assertEquals(Duration.ofMillis(200), store.budget().orElseThrow());
  }

  @Test
  void aMissingVariableOrABadDollarIsAProblemAtItsValue() throws Exception {
    DeployFileException e = problems("""
        name: shop
        services:
          store:
            classpath: [lib/app.jar]
            main: com.example.Main
            args: [$DB_URL, "${EMPTY:?give the level}", "${NOPE?no nope}"]
            env:
              PASS: "a$ b"
              OPEN: "${MODE"
              ODD: "${1X}"
              CASE: "${MODE/x}"
        """, ENV);

    assertEquals("""
        deploy.yaml:6:12: services.store.args: $DB_URL: DB_URL is not set in parigot's \
        environment nor in the .env beside the file; set it (export DB_URL=..., or DB_URL=... \
        in .env), or give a default: ${DB_URL:-default}
        deploy.yaml:6:21: services.store.args: EMPTY is empty: give the level \
        (${EMPTY:?give the level})
        deploy.yaml:6:49: services.store.args: NOPE is not set: no nope (${NOPE?no nope})
        deploy.yaml:8:13: services.store.env.PASS: "a$ b" has a $ that starts no ${NAME} or \
        $NAME; write $$ for a $ of its own
        deploy.yaml:9:13: services.store.env.OPEN: "${MODE" has a ${ without its closing }; \
        write $$ for a $ of its own
        deploy.yaml:10:12: services.store.env.ODD: "${1X}": ${1X} names no variable; a name is \
        letters, digits and _, not starting with a digit (write $$ for a $ of its own)
        deploy.yaml:11:13: services.store.env.CASE: "${MODE/x}": ${MODE/x} is no form parigot \
        knows; write ${NAME}, ${NAME:-default}, ${NAME-default}, ${NAME:?message}, \
        ${NAME?message}, ${NAME:+other} or ${NAME+other}""", lines(e));
  }

  @Test
  void aVariableUnquotedInsideBracketsIsToldToTakeQuotes() throws Exception {
    DeployFileException e = problems("""
        name: shop
        services:
          store:
            classpath: [${APP}]
        """, ENV);

    assertEquals("deploy.yaml:4:18: YAML syntax error: expected ',' or ']', but got { (while "
        + "parsing a flow sequence from 4:16). A ${NAME} inside [ ] or { } needs quotes: write "
        + "\"${NAME}\".", lines(e));
  }

  @Test
  void theDotEnvBesideTheFileGivesVariablesThatTheEnvironmentOverrides() throws Exception {
    Files.writeString(dir.resolve(".env"), """
        # the store's settings
        MODE=from-dotenv
        export LEVEL = 3   # a comment
        GREETING="hello\\n\\"you\\""
        RAW='a $b # c'
        EMPTY=
        """);
    ServiceSpec store = load("""
        name: shop
        services:
          store:
            classpath: [lib/app.jar]
            main: com.example.Main
            args: [$MODE, $LEVEL, $GREETING, $RAW, "${EMPTY:-none}"]
        """, Map.of("MODE", "from-shell")).service("store").orElseThrow();

    assertEquals(List.of("from-shell", "3", "hello\n\"you\"", "a $b # c", "none"),
        store.args());
    assertEquals(Map.of(), store.env(), "a .env is for the file's variables, not the services'");
  }

  @Test
  void aBadLineOfTheDotEnvIsAProblemAtItsLine() throws Exception {
    Files.writeString(dir.resolve(".env"), """
        GOOD=1
        just words
          2BAD=x
        OPEN="no end
        """);
    DeployFileException e = problems("""
        name: shop
        services:
          store:
            classpath: [lib/app.jar]
            main: com.example.Main
        """, Map.of());

    assertEquals("""
        .env:2:1: "just words" is no NAME=value line; write NAME=value, or start the line with \
        # for a comment
        .env:3:3: "2BAD" is no variable name; a name is letters, digits and _, not starting \
        with a digit
        .env:4:1: OPEN's value opens a quote it does not close; a value is on one line""",
        lines(e));
  }

  @Test
  void aServicesEnvFilesGiveItsEnvironmentInOrderAndItsEnvWins() throws Exception {
    Files.writeString(dir.resolve("common.env"), "LEVEL=1\nMODE=slow\nREGION=eu\n");
    Files.createDirectories(dir.resolve("config"));
    Files.writeString(dir.resolve("config/store.env"), "LEVEL=2\nPASS='a $b'\n");
    ServiceSpec store = load("""
        name: shop
        services:
          store:
            classpath: [lib/app.jar]
            main: com.example.Main
            env_file: [common.env, config/store.env]
            env: {MODE: fast}
        """, Map.of()).service("store").orElseThrow();

    assertEquals(Map.of("LEVEL", "2", "REGION", "eu", "PASS", "a $b", "MODE", "fast"),
        store.env());
  }

  @Test
  void aMissingEnvFileOrAReservedNameInOneIsAProblem() throws Exception {
    Files.writeString(dir.resolve("store.env"), "OK=1\nPARIGOT_PORT=9000\n");
    DeployFileException e = problems("""
        name: shop
        services:
          store:
            classpath: [lib/app.jar]
            main: com.example.Main
            env_file: [store.env, nowhere.env]
        """, Map.of());

    assertEquals(("""
        store.env:2:1: environment variable PARIGOT_PORT is reserved: parigot sets the PARIGOT_ \
        variables of each service itself
        deploy.yaml:6:27: services.store.env_file: there is no file nowhere.env (DIR/nowhere.env); \
        paths are relative to the directory of deploy.yaml""").replace("DIR/", ""), lines(e));
  }

  @Test
  void anEnvFileThatIsADirectoryIsSaidToBeOneNotToBeMissing() throws Exception {
    // it said: there is no file config (DIR/config), of a directory that is there
    Files.createDirectories(dir.resolve("config"));
    DeployFileException e = problems("""
        name: shop
        services:
          store:
            classpath: [lib/app.jar]
            main: com.example.Main
            env_file: config
        """, Map.of());

    assertEquals(("""
        deploy.yaml:6:15: services.store.env_file: config is a directory (DIR/config), not a \
        file of NAME=value lines; name the file in it""").replace("DIR/", ""),
        lines(e));
  }

  @Test
  void aKeptTreeIsOfTheTextAsWrittenSoTheVariablesAreReadAtEveryLoad() throws Exception {
    Path file = dir.resolve("deploy.yaml");
    Files.writeString(file, """
        name: shop
        services:
          store:
            classpath: [lib/app.jar]
            main: com.example.Main
            args: [$MODE]
        """);
    Path trees = dir.resolve(".parigot/trees");

    assertEquals(List.of("fast"), DeployFile.load(file, trees, ENV).services().get(0).args());
    assertEquals(List.of("slow"), DeployFile.load(file, trees, Map.of("MODE", "slow"))
        .services().get(0).args());
  }

  private Deployment load(String yaml, Map<String, String> env) throws Exception {
    Path file = dir.resolve("deploy.yaml");
    Files.writeString(file, yaml);
    return DeployFile.load(file, null, env);
  }

  private DeployFileException problems(String yaml, Map<String, String> env) throws Exception {
    Path file = dir.resolve("deploy.yaml");
    Files.writeString(file, yaml);
    return assertThrows(DeployFileException.class, () -> DeployFile.load(file, null, env));
  }

  private String lines(DeployFileException e) {
    return String.join("\n", e.problems().stream().map(p -> p.toString().replace(dir + "/", ""))
        .toList());
  }
}
