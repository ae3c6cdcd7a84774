package io.parigot.deploy;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@link DeployFile#serviceNames}: the names shell completion offers, in any form of YAML. */
class ServiceNamesTest {
  @TempDir
  Path dir;

  @Test
  void theNamesAreTheKeysOfServicesInEveryFormOfYaml() throws IOException {
    List<String> both = List.of("alpha", "beta");
    assertEquals(both, names("name: a\nservices:\n  alpha:\n    jar: a.jar\n  beta: {}\n"));
    assertEquals(both, names("name: a\nservices: {alpha: {jar: a.jar}, 'beta': {jar: b.jar}}\n"));
    assertEquals(both, names("services: {\n  alpha: {jar: a.jar},\n  beta: {\n    jar: b}\n}\n"));
    assertEquals(both, names("{\"name\": \"a\", \"services\": {\"alpha\": {}, \"beta\": {}}}"));
    // a merged map's keys come after the map's own
    assertEquals(both, names("x-more: &more {beta: {jar: b.jar}}\nservices:\n  <<: *more\n"
        + "  alpha: {jar: a.jar}\n"));
  }

  /** Nothing else is checked: an unknown key or a missing jar is no reason to offer no names. */
  @Test
  void onlyNamesWithAMapAreOfferedAndNothingElseIsChecked() throws IOException {
    assertEquals(List.of("store"), names("""
        x-quiet: &quiet {budget: 100ms}
        services:
          store: {jar: no-such.jar, enviroment: {}}
          Bad: {jar: x.jar}
          <<: *quiet
          empty:
        """));
  }

  @Test
  void aFileThatIsNoSuchYamlHasNoNames() throws IOException {
    for (String text : List.of("", "services: [store, frontend]\n", "services: {a: [}\n",
        "- services\n", "name: a\n", "services: 3\n")) {
      assertEquals(List.of(), names(text), text);
    }
    Files.write(dir.resolve("binary.yaml"), new byte[] {0, (byte) 0xff, '\n', ':', 0x7f});
    assertEquals(List.of(), DeployFile.serviceNames(dir.resolve("binary.yaml")));
    assertEquals(List.of(), DeployFile.serviceNames(dir.resolve("no-such.yaml")));
    assertEquals(List.of(), DeployFile.serviceNames(dir));
  }

  private List<String> names(String yaml) throws IOException {
    Path file = dir.resolve("deploy.yaml");
    Files.writeString(file, yaml);
    return DeployFile.serviceNames(file);
  }
}
