package io.parigot.plugin;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.fail;

import com.google.protobuf.compiler.PluginProtos.CodeGeneratorResponse;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Compares the Java generated for each input under src/test/proto/good with the reviewed files
 * under src/test/resources/golden/SCENARIO/. The goldens are code users read: review a diff in
 * them as you would review the generator's change.
 *
 * <p>After an intended change to the generated code, regenerate them and review the diff:
 *
 * <pre>
 * ./mvnw -B -o test -pl protoc-gen-parigot -am -Dtest=GoldenTest -Dsurefire.failIfNoSpecifiedTests=false -Dgolden.update=true
 * git diff protoc-gen-parigot/src/test/resources/golden
 * </pre>
 */
class GoldenTest {
  private static final Path GOLDEN = Path.of("src", "test", "resources", "golden");
  private static final Map<String, List<String>> SCENARIOS = Map.of(
      "greeting", List.of("greeting/v1/greeting.proto"),
      "shop", List.of("shop/v1/common.proto", "shop/v1/shop.proto"),
      "keywords", List.of("keywords/v1/keywords.proto"),
      "orders", List.of("orders/v1/order.proto"));

  @ParameterizedTest
  @ValueSource(strings = {"greeting", "shop", "keywords", "orders"})
  void generatedJavaMatchesTheGoldens(String scenario) throws IOException {
    CodeGeneratorResponse response =
        new CodeGenerator().generate(TestProtos.request(SCENARIOS.get(scenario)));
    assertFalse(response.hasError(), response.getError());
    Map<String, String> generated = new TreeMap<>();
    response.getFileList().forEach(f -> generated.put(f.getName(), f.getContent()));
    Path dir = GOLDEN.resolve(scenario);
    if (Boolean.getBoolean("golden.update")) {
      update(dir, generated);
      return;
    }
    Map<String, String> expected = read(dir);
    assertEquals(new TreeSet<>(expected.keySet()), new TreeSet<>(generated.keySet()),
        "generated files of " + scenario + " (regenerate with -Dgolden.update=true and review)");
    for (Map.Entry<String, String> file : expected.entrySet()) {
      assertEquals(file.getValue(), generated.get(file.getKey()), scenario + ": " + file.getKey()
          + " differs from its golden (regenerate with -Dgolden.update=true and review the diff)");
    }
  }

  private static Map<String, String> read(Path dir) throws IOException {
    if (!Files.isDirectory(dir)) {
      fail("no goldens in " + dir.toAbsolutePath() + "; create them with -Dgolden.update=true");
    }
    Map<String, String> files = new TreeMap<>();
    try (Stream<Path> walk = Files.walk(dir)) {
      for (Path path : walk.filter(Files::isRegularFile).toList()) {
        files.put(dir.relativize(path).toString().replace('\\', '/').replaceAll("\\.golden$", ""),
            Files.readString(path));
      }
    }
    return files;
  }

  private static void update(Path dir, Map<String, String> generated) throws IOException {
    if (Files.isDirectory(dir)) {
      try (Stream<Path> walk = Files.walk(dir)) {
        for (Path path : walk.sorted((a, b) -> b.compareTo(a)).toList()) {
          Files.delete(path);
        }
      }
    }
    for (Map.Entry<String, String> file : generated.entrySet()) {
      // .golden, so that the IDE and the compiler leave them alone
      Path path = dir.resolve(file.getKey() + ".golden");
      Files.createDirectories(path.getParent());
      Files.writeString(path, file.getValue());
    }
  }
}
