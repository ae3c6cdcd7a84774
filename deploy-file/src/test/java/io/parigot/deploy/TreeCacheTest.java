package io.parigot.deploy;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.DataOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Arrays;
import java.util.Optional;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TreeCacheTest {
  private static final String YAML = """
      name: shop
      services:
        store:
          classpath: [lib/app.jar]
          main: com.example.Main
          args: [--port, 8080, 1.5, yes, "quoted: text", 'çà ∑ 日本']
          exports: shop.Store
          env: {MODE: fast, EMPTY: ""}
          jvm_options: |
            -Xmx64m
          restart: {policy: always, max_restarts: 3}
        front:
          classpath: [lib/app.jar]
          main: com.example.Main
          requires: [shop.Store]
          program: true
      """;

  @TempDir
  Path dir;
  Path file;
  Path trees;

  @BeforeEach
  void files() throws Exception {
    DeployFileTest.jar(dir.resolve("lib/app.jar"), "com.example.Main", null,
        "com/example/Main.class");
    file = dir.resolve("deploy.yaml");
    Files.writeString(file, YAML);
    trees = dir.resolve(".parigot/trees");
  }

  @Test
  void aKeptTreeIsTheTreeTheYamlReadsAs() {
    // every kind of scalar, a null among them
    byte[] text = (YAML + "nothing: ~\nlist: [[], {}, -3, 2.5e3, false]\n")
        .getBytes(StandardCharsets.UTF_8);
    Node read = YamlTree.read(text, new Problems(file)).orElseThrow();
    TreeCache cache = new TreeCache(trees);
    assertTrue(cache.find("deploy.yaml", text).isEmpty(), "nothing is kept at first");
    cache.keep("deploy.yaml", text, read);
    assertEquals(Optional.of(read), cache.find("deploy.yaml", text));
  }

  @Test
  void aLoneSurrogateComesBackAsItWasWritten() {
    byte[] text = "name: \"a\\ud800b\"\n".getBytes(StandardCharsets.UTF_8);
    Node read = YamlTree.read(text, new Problems(file)).orElseThrow();
    assertTrue(read.toString().contains("a\ud800b"), read.toString());
    TreeCache cache = new TreeCache(trees);
    cache.keep("deploy.yaml", text, read);
    assertEquals(Optional.of(read), cache.find("deploy.yaml", text));
  }

  @Test
  void aLoadUsesTheKeptTree() throws Exception {
    // kept as the reading of deploy.yaml's text: a tree of another file, which shows it is used
    byte[] text = Files.readAllBytes(file);
    byte[] other = YAML.replace("name: shop", "name: kept").getBytes(StandardCharsets.UTF_8);
    new TreeCache(trees).keep("deploy.yaml", text,
        YamlTree.read(other, new Problems(file)).orElseThrow());
    assertEquals("kept", DeployFile.load(file, trees).name());
    assertEquals("shop", DeployFile.load(file).name());
  }

  @Test
  void aHeaderWithAbsurdLengthsIsNoTree() throws Exception {
    Files.createDirectories(trees);
    for (int bad : new int[] {Integer.MAX_VALUE, -1}) {
      try (DataOutputStream out = new DataOutputStream(
          Files.newOutputStream(trees.resolve("deploy.yaml")))) {
        out.writeInt(0x50545245);
        out.writeInt(2);
        out.writeInt(bad);
      }
      assertTrue(new TreeCache(trees).find("deploy.yaml", Files.readAllBytes(file)).isEmpty());
    }
  }

  @Test
  void aChangedTextIsReadAgainEvenAtTheSameLength() {
    byte[] text = YAML.getBytes(StandardCharsets.UTF_8);
    TreeCache cache = new TreeCache(trees);
    cache.keep("deploy.yaml", text, YamlTree.read(text, new Problems(file)).orElseThrow());
    byte[] edited = YAML.replace("8080", "9090").getBytes(StandardCharsets.UTF_8);
    assertEquals(text.length, edited.length);
    assertTrue(cache.find("deploy.yaml", edited).isEmpty());
    assertTrue(cache.find("other.yaml", text).isEmpty(), "a tree is kept per file name");
  }

  @Test
  void aLoadKeepsTheTreeAndTheNextLoadGivesTheSameDeployment() throws Exception {
    Deployment first = DeployFile.load(file, trees);
    Path kept = trees.resolve("deploy.yaml");
    assertTrue(Files.isRegularFile(kept));
    FileTime longAgo = FileTime.fromMillis(946_684_800_000L);
    Files.setLastModifiedTime(kept, longAgo);
    assertEquals(first, DeployFile.load(file, trees));
    assertEquals(first, DeployFile.load(file));
    assertEquals(longAgo, Files.getLastModifiedTime(kept), "an unchanged file is not kept again");
    try (var listing = Files.list(trees)) {
      assertEquals(1, listing.count(), "no temporary file is left behind");
    }
    // what a deploy.yaml says is for its owner, as the rest of the state directory is
    assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(kept)));
    assertEquals("rwx------", PosixFilePermissions.toString(
        Files.getPosixFilePermissions(trees.getParent())));
  }

  @Test
  void aGarbledOrCutShortTreeIsReadFromTheYamlInstead() throws Exception {
    Deployment expected = DeployFile.load(file);
    DeployFile.load(file, trees);
    Path kept = trees.resolve("deploy.yaml");
    byte[] whole = Files.readAllBytes(kept);
    Files.write(kept, Arrays.copyOf(whole, whole.length - 7));
    assertEquals(expected, DeployFile.load(file, trees));
    assertArrayEquals(whole, Files.readAllBytes(kept), "the tree is kept anew");
    byte[] garbled = whole.clone();
    for (int i = whole.length - YAML.length() / 2; i < whole.length; i++) {
      garbled[i] = (byte) 0xff;
    }
    Files.write(kept, garbled);
    assertEquals(expected, DeployFile.load(file, trees));
  }

  @Test
  void aFileWithAProblemKeepsNoTreeAndSaysTheSameEachTime() throws Exception {
    Files.writeString(file, YAML.replace("requires: [shop.Store]", "requires: [shop.Nope]"));
    String first = assertThrows(DeployFileException.class, () -> DeployFile.load(file, trees))
        .getMessage();
    assertTrue(first.contains("shop.Nope"), first);
    assertFalse(Files.exists(trees.resolve("deploy.yaml")));
    assertEquals(first, assertThrows(DeployFileException.class,
        () -> DeployFile.load(file, trees)).getMessage());
  }

  @Test
  void aProblemOutsideTheYamlIsFoundWithAKeptTreeToo() throws Exception {
    DeployFile.load(file, trees);
    Files.delete(dir.resolve("lib/app.jar"));
    String withTree = assertThrows(DeployFileException.class, () -> DeployFile.load(file, trees))
        .getMessage();
    assertEquals(assertThrows(DeployFileException.class, () -> DeployFile.load(file))
        .getMessage(), withTree);
    assertTrue(withTree.contains("lib/app.jar"), withTree);
  }
}
