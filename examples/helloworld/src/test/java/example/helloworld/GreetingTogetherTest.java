package example.helloworld;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import example.helloworld.greeting.v1.FetchGreetingRequest;
import example.helloworld.greeting.v1.GreetErr;
import example.helloworld.greeting.v1.Greeting;
import example.helloworld.greeting.v1.GreetingClient;
import example.helloworld.greeting.v1.Tongue;
import io.parigot.junit.DeployYaml;
import io.parigot.junit.ParigotExtension;
import io.parigot.sdk.ServiceError;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/** The greeting service, unchanged, in the test's JVM: the test is the program. */
class GreetingTogetherTest {
  @RegisterExtension
  static final ParigotExtension parigot = ParigotExtension.builder()
      .deployFile(Path.of("deploy.yaml"))
      .require(Greeting.SERVICE)
      .build();

  @Test
  void greetsInFrench() {
    var response = parigot.call(ctx -> GreetingClient.locate(ctx).fetchGreeting(
        FetchGreetingRequest.newBuilder().setTongue(Tongue.FRENCH).build()));

    assertEquals("bonjour", response.getGreeting());
  }

  @Test
  void anUnknownTongueFailsWithTheTypedError() {
    ServiceError error = assertThrows(ServiceError.class,
        () -> parigot.call(ctx -> GreetingClient.locate(ctx).fetchGreeting(
            FetchGreetingRequest.newBuilder().setTongue(Tongue.UNSPECIFIED).build())));

    assertEquals(GreetErr.UNKNOWN_LANG, error.code());
    assertEquals(Optional.of("no greeting in UNSPECIFIED"), error.detail());
  }

  @Test
  void theWholeDeployFileRunsTogetherAndHelloExitsZero() throws Exception {
    assertEquals(0, DeployYaml.together(Path.of("deploy.yaml")).build().run());
    assertTrue(Thread.getAllStackTraces().keySet().stream()
        .noneMatch(t -> t.getName().equals("parigot-hello")), "hello's thread is still alive");
  }

  /** As under parigot up: a requires: gone out of date is refused when the code registers. */
  @Test
  void aRequiresListTheCodeDoesNotMatchRefusesTheLaunch(@TempDir Path dir) throws Exception {
    Path file = dir.resolve("deploy.yaml");
    Files.writeString(file, Files.readString(Path.of("deploy.yaml"))
        .replace("    program: true\n", "    program: true\n    requires: []\n"));
    PrintStream stdout = System.out;
    ByteArrayOutputStream said = new ByteArrayOutputStream();
    int code;
    try {
      System.setOut(new PrintStream(said, true, StandardCharsets.UTF_8)); // hello prints it
      code = DeployYaml.together(file).build().run();
    } finally {
      System.setOut(stdout);
    }
    String log = said.toString(StandardCharsets.UTF_8);

    assertEquals(1, code, log);
    assertTrue(log.contains("deploy.yaml:12:5: service \"hello\" has requires: [] in "
        + "deploy.yaml, but its code requires [greeting.v1.Greeting]."), log);
  }
}
