package io.parigot.deploy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The YAML syntax errors whose SnakeYAML words mislead, said in words of parigot's own, at the
 * place to edit.
 */
class YamlSyntaxTest {
  @TempDir
  Path dir;

  @Test
  void aQuoteNeverClosedIsPointedAtWhereItOpensNotWhereTheFileEnds() {
    // SnakeYAML said deploy.yaml:8:1 (the end of the file): found unexpected end of stream
    assertEquals("deploy.yaml:4:11: YAML syntax error: the quote \" that starts this value is "
        + "never closed (the file ends inside it). Add the closing \" at the end of the value.",
        problem("""
            name: shop
            services:
              store:
                main: "example.Store
                classpath: [store.jar]
              cart:
                jar: cart.jar
            """));
    assertEquals("deploy.yaml:3:30: YAML syntax error: the quote ' that starts this value is "
        + "never closed (the file ends inside it). Add the closing ' at the end of the value.",
        problem("""
            name: shop
            services:
              store: {jar: a.jar, args: ['--x, --y]}
            """));
  }

  @Test
  void aValueStartingWithAReservedCharacterIsToldToBeQuoted() {
    // SnakeYAML said: found character '@' that cannot start any token. (Do not use @ for
    // indentation)
    assertEquals("deploy.yaml:4:12: YAML syntax error: a value cannot start with @ in YAML (it "
        + "is reserved). Put the value in quotes: \"@...\".", problem("""
            name: shop
            services:
              store:
                args: [@args.txt]
                jar: store.jar
            """));
    assertEquals("deploy.yaml:3:10: YAML syntax error: a value cannot start with ` in YAML (it "
        + "is reserved). Put the value in quotes: \"`...\".", problem("""
            name: shop
            services:
              store: `store.jar`
            """));
    assertEquals("deploy.yaml:4:14: YAML syntax error: a value cannot start with % in YAML (it "
        + "is reserved). Put the value in quotes: \"%...\".", problem("""
            name: shop
            services:
              store:
                env: {A: %x}
                jar: store.jar
            """));
  }

  @Test
  void aBackslashInDoubleQuotesIsToldItStartsAnEscape() {
    // SnakeYAML said 4:14, after the backslash: found unknown escape character p(112)
    assertEquals("deploy.yaml:4:13: YAML syntax error: in double quotes, \\ starts an escape "
        + "(\\n, \\t, \\\\), and \\p is none. Write \\\\ for a backslash, or put the value in "
        + "single quotes, where \\ is just \\.", problem("""
            name: shop
            services:
              store:
                jar: "C:\\parigot\\store.jar"
            """));
  }

  @Test
  void aTabIsToldThatYamlIndentsWithSpaces() {
    // SnakeYAML said: found character '\t(TAB)' that cannot start any token. (Do not use
    // \t(TAB) for indentation)
    assertEquals("deploy.yaml:4:1: YAML syntax error: a tab here; YAML indents with spaces, not "
        + "tabs. Replace the tab with spaces.",
        problem("name: shop\nservices:\n  store:\n\tjar: store.jar\n"));
  }

  @Test
  void aValueHoldingColonSpaceIsToldToBeQuotedWhereItStarts() {
    // SnakeYAML said 5:15, at the second ':': mapping values are not allowed here
    assertEquals("deploy.yaml:5:11: YAML syntax error: this value holds ': ', which YAML reads "
        + "as the start of another key. Put the value in quotes: \"note: the shop\".",
        problem("""
            name: shop
            services:
              store:
                jar: store.jar
                args: note: the shop
            """));
  }

  @Test
  void aKeyWithoutItsColonIsPointedAtNotTheLineBelow() {
    // SnakeYAML said 4:9, at the ':' of main: mapping values are not allowed here
    assertEquals("deploy.yaml:3:3: YAML syntax error: store has no ':' after it, so YAML reads "
        + "it and the line below as one key. Write it as  store:", problem("""
            name: shop
            services:
              store
                jar: store.jar
            """));
    assertEquals("deploy.yaml:4:5: YAML syntax error: jar store.jar has no ':' after it, so "
        + "YAML reads it and the line below as one key. Write it as  jar: store.jar",
        problem("""
            name: shop
            services:
              store:
                jar store.jar
                args: [x]
            """));
    // SnakeYAML said 6:3, the line after: could not find expected ':'
    assertEquals("deploy.yaml:5:5: YAML syntax error: args has no ':' after it, so it is no "
        + "key. Write it as  args:  with its value, or remove the line.", problem("""
            name: shop
            services:
              store:
                jar: store.jar
                args
              cart:
                jar: cart.jar
            """));
  }

  @Test
  void aBlockOfTextNotIndentedPastItsKeyIsSaidSo() {
    // SnakeYAML said 7:1, the line after: could not find expected ':'
    assertEquals("deploy.yaml:6:3: YAML syntax error: this line is not indented past the key "
        + "above, whose | or > starts a block of text, so it is no part of the text. Indent the "
        + "text's lines more than the key.", problem("""
            name: shop
            services:
              store:
                jar: store.jar
                args: |
              --verbose
            """));
  }

  @Test
  void aLineIndentedPastTheKeyAboveIsToldItRunsOnThatValue() {
    // SnakeYAML said 2:11: mapping values are not allowed here
    assertEquals("deploy.yaml:2:3: YAML syntax error: this line is indented more than the line "
        + "above, so YAML reads it as more of that line's value. Indent it as the key above, or "
        + "less.", problem("""
            name: shop
              services:
                store: {jar: store.jar}
            """));
  }

  @Test
  void aLineIndentedAsNoKeyAboveIsSaidSo() {
    // SnakeYAML said: expected <block end>, but found '<block mapping start>'
    assertEquals("deploy.yaml:5:4: YAML syntax error: this line is indented by 3 spaces, as no "
        + "key above it is. Indent it as the other keys of the map it belongs to.", problem("""
            name: shop
            services:
              store:
                jar: store.jar
               args: [x]
            """));
  }

  @Test
  void aListItemOnItsKeysLineIsToldWhereItemsGo() {
    // SnakeYAML said: sequence entries are not allowed here
    assertEquals("deploy.yaml:5:11: YAML syntax error: a list item ('- ') cannot start on the "
        + "line of its key. Put each item on a line of its own below the key, indented more "
        + "than it, or write the list as [a, b].", problem("""
            name: shop
            services:
              store:
                jar: store.jar
                args: - x
            """));
  }

  @Test
  void textAfterAClosingQuoteIsToldToGoInsideTheQuotes() {
    // SnakeYAML said: expected <block end>, but found '<scalar>'
    assertEquals("deploy.yaml:4:22: YAML syntax error: text after the closing quote of the "
        + "value. Put all of the value inside the quotes, or remove what follows them.",
        problem("""
            name: shop
            services:
              store:
                jar: "store.jar" x
            """));
    // SnakeYAML said: expected ',' or ']', but got <scalar>
    assertEquals("deploy.yaml:3:34: YAML syntax error: text after the closing quote of the "
        + "value. Put all of the value inside the quotes, or remove what follows them.",
        problem("""
            name: shop
            services:
              store: {jar: a.jar, args: ["x" y]}
            """));
  }

  @Test
  void aListItemAmongKeysOrAKeyAmongListItemsIsSaidSo() {
    // SnakeYAML said: expected <block end>, but found '-'
    assertEquals("deploy.yaml:5:3: YAML syntax error: a list item ('- ') among the keys of a "
        + "map at its indentation. Write it as  key: value , or indent it under the key whose "
        + "list it is.", problem("""
            name: shop
            services:
              store:
                jar: store.jar
              - cart
            """));
    // SnakeYAML said: expected <block end>, but found '?'
    assertEquals("deploy.yaml:5:5: YAML syntax error: a key among list items ('- ') at its "
        + "indentation; a list holds items, not keys. Start the line with '- ', or indent it as "
        + "the keys of the item above.", problem("""
            name: shop
            services:
              store:
                - jar: store.jar
                args: [x]
            """));
    // SnakeYAML said: expected <block end>, but found ':'
    assertEquals("deploy.yaml:3:3: YAML syntax error: a ':' with no key before it. Write the "
        + "key before the ':', or remove the line.", problem("""
            name: shop
            services:
              : store
            """));
  }

  @Test
  void aBracketNeverClosedIsPointedAtWhereItOpens() {
    // SnakeYAML said 5:9 (the line after): expected ',' or ']', but got :
    assertEquals("deploy.yaml:4:11: YAML syntax error: this [ is not closed before line 5. Add "
        + "] at the end of the list.", problem("""
            name: shop
            services:
              store:
                args: [a, b
                jar: store.jar
            """));
    assertEquals("deploy.yaml:3:10: YAML syntax error: this { is not closed before line 4. Add "
        + "} at the end of the map.", problem("""
            name: shop
            services:
              store: {jar: store.jar
            """));
  }

  @Test
  void aByteOrderMarkAndCrlfLineEndingsMoveNoColumn() {
    byte[] bom = {(byte) 0xEF, (byte) 0xBB, (byte) 0xBF};
    byte[] yaml = "name: shop\r\nservices: {store: {jar: @store.jar}}\r\n"
        .getBytes(StandardCharsets.UTF_8);
    byte[] text = new byte[bom.length + yaml.length];
    System.arraycopy(bom, 0, text, 0, bom.length);
    System.arraycopy(yaml, 0, text, bom.length, yaml.length);
    assertEquals("deploy.yaml:2:25: YAML syntax error: a value cannot start with @ in YAML (it "
        + "is reserved). Put the value in quotes: \"@...\".", problem(text));
    assertEquals("deploy.yaml:1:7: YAML syntax error: a value cannot start with @ in YAML (it "
        + "is reserved). Put the value in quotes: \"@...\".",
        problem("\uFEFFname: @shop\r\nservices: {}\r\n".getBytes(StandardCharsets.UTF_8)));
  }

  @Test
  void aFileOfCommentsOnlyIsSaidToHoldOnlyCommentsNotToBeEmpty() {
    assertEquals("deploy.yaml:1:1: the file holds only comments; a deploy.yaml needs at least "
        + "name: and services: (see docs/deploy-yaml.md)", problem("""
            # name: shop
            # services:
            #   store: {jar: store.jar}
            """));
    assertEquals("deploy.yaml:1:1: the file is empty; a deploy.yaml needs at least name: and "
        + "services: (see docs/deploy-yaml.md)", problem("\uFEFF\n  \n"));
  }

  @Test
  void aSecondDocumentIsPointedAtItsMarker() {
    // it pointed at 7:1, the name: below the --- to remove
    assertEquals("deploy.yaml:5:1: a second YAML document starts here; deploy.yaml holds one "
        + "document: remove the '---' and merge the two", problem("""
            name: shop
            services:
              store: {jar: store.jar}
            # the test deployment
            ---

            name: test
            """));
  }

  private String problem(String yaml) {
    return problem(yaml.getBytes(StandardCharsets.UTF_8));
  }

  /** The one problem of a deploy.yaml of {@code text}, its file named as from its directory. */
  private String problem(byte[] text) {
    Path file = dir.resolve("deploy.yaml");
    try {
      Files.write(file, text);
    } catch (java.io.IOException e) {
      throw new AssertionError(e);
    }
    DeployFileException e = assertThrows(DeployFileException.class, () -> DeployFile.load(file));
    assertEquals(1, e.problems().size(), e.getMessage());
    return e.getMessage().replace(dir + "/", "");
  }
}
