package io.parigot.deploy;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.exc.StreamConstraintsException;
import com.fasterxml.jackson.core.exc.StreamReadException;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLParser;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.error.Mark;
import org.yaml.snakeyaml.events.Event;
import org.yaml.snakeyaml.events.ScalarEvent;

/**
 * Reads a YAML file into {@link Node}s by streaming Jackson's tokens, keeping each token's
 * location. The YAML itself is Jackson's (and SnakeYAML's) to parse.
 */
final class YamlTree {
  private static final YAMLFactory YAML = new YAMLFactory();

  /** How many values the file may come to with its aliases expanded: past it, a file is a bomb. */
  private static final int MAX_EXPANDED = 100_000;

  private final YAMLParser parser;
  private final Problems problems;
  /** The values anchored so far ({@code &name}), by name, and how many values each comes to. */
  private final Map<String, Node> anchors = new HashMap<>();
  private final Map<String, Integer> anchoredSizes = new HashMap<>();
  /** The aliases of no anchor, already reported, by identity. */
  private final Set<Node> unresolvedAliases =
      Collections.newSetFromMap(new IdentityHashMap<>());
  /** How many values the file has come to so far, its aliases expanded. */
  private int expanded;
  /** How many aliases of no anchor were reported. */
  private int aliasesOfNothing;

  /**
   * The anchors of scalars, by the line and column where each scalar starts: Jackson hands over
   * the anchor of a map or a list, not of a scalar, so SnakeYAML's events are read for them.
   */
  private final Map<Long, String> scalarAnchors;

  private YamlTree(YAMLParser parser, Problems problems, Map<Long, String> scalarAnchors) {
    this.parser = parser;
    this.problems = problems;
    this.scalarAnchors = scalarAnchors;
  }

  private static long at(int line, int column) {
    return (long) line << 32 | column;
  }

  /** The anchors of the scalars of {@code text}; none without a '&' (most files). */
  private static Map<Long, String> scalarAnchors(byte[] text) {
    if (!contains(text, (byte) '&')) {
      return Map.of();
    }
    Map<Long, String> anchors = new HashMap<>();
    try {
      for (Event event : new Yaml().parse(new InputStreamReader(new ByteArrayInputStream(text),
          StandardCharsets.UTF_8))) {
        if (event instanceof ScalarEvent scalar && scalar.getAnchor() != null) {
          Mark start = scalar.getStartMark();
          anchors.put(at(start.getLine() + 1, start.getColumn() + 1), scalar.getAnchor());
        }
      }
    } catch (RuntimeException e) {
      // not YAML: Jackson's reading reports where
    }
    return anchors;
  }

  /** Whether {@code text} holds the byte {@code b}. */
  static boolean contains(byte[] text, byte b) {
    for (byte t : text) {
      if (t == b) {
        return true;
      }
    }
    return false;
  }

  /**
   * The one document of a file whose whole text is {@code text}, or empty after reporting why
   * there is none: empty, not YAML, or using what parigot does not read (several documents, an
   * alias as a key). Anchors, aliases and merge keys ({@code <<: *defaults}) are read, as
   * docker compose reads them.
   */
  static Optional<Node> read(byte[] text, Problems problems) {
    int before = problems.count();
    if (!isText(text, problems)) {
      return Optional.empty();
    }
    try (YAMLParser parser = YAML.createParser(text)) {
      JsonToken first = parser.nextToken();
      if (first == null) {
        // what a YAML parser finds nothing in: blanks, or comments only (a file all commented out)
        problems.report(1, 1, (new String(text, StandardCharsets.UTF_8).replace("\uFEFF", "").isBlank()
            ? "the file is empty" : "the file holds only comments")
            + "; a deploy.yaml needs at least name: and services: (see docs/deploy-yaml.md)");
        return Optional.empty();
      }
      YamlTree tree = new YamlTree(parser, problems, scalarAnchors(text));
      Node root = tree.value(first);
      if (parser.nextToken() != null) {
        JsonLocation at = parser.currentTokenLocation();
        int line = documentStart(text, at.getLineNr());
        problems.report(line, line == at.getLineNr() ? at.getColumnNr() : 1, "a second YAML "
            + "document starts here; "
            + "deploy.yaml holds one document: remove the '---' and merge the two");
      }
      // an alias of no anchor stands for nothing, said where it is: the rest is still checked
      return problems.count() == before + tree.aliasesOfNothing ? Optional.of(root)
          : Optional.empty();
    } catch (AliasBomb e) {
      // reported where the aliases went past the limit
    } catch (StreamReadException e) {
      YamlSyntax.report(e, text, problems);
    } catch (StreamConstraintsException e) {
      // Jackson's limits, which no deploy.yaml comes near: a file made by a program gone wrong
      JsonLocation at = e.getLocation();
      problems.report(at == null || at.getLineNr() < 1 ? 1 : at.getLineNr(),
          at == null || at.getColumnNr() < 1 ? 1 : at.getColumnNr(), "the file is past what "
              + "parigot reads (" + e.getOriginalMessage().replaceAll(", from .*\\)", ")")
              + "); a deploy.yaml is a few levels deep and a few KB long");
    } catch (IOException e) {
      problems.reportFile("cannot read the file: " + e.getMessage());
    }
    return Optional.empty();
  }

  /**
   * The line of the {@code ---} that starts the document whose first value is on {@code line}:
   * the parser points at that value, lines below the marker to remove. {@code line} itself when
   * no line before it starts with {@code ---}.
   */
  private static int documentStart(byte[] text, int line) {
    List<String> lines = new String(text, StandardCharsets.UTF_8).lines().toList();
    for (int i = Math.min(line, lines.size()) - 1; i >= 0; i--) {
      if (lines.get(i).startsWith("---")) {
        return i + 1;
      }
    }
    return line;
  }

  /**
   * Whether {@code bytes} are UTF-8 text that YAML can hold, else reports where they are not:
   * the parser would say so at 1:1, in the words of a Java exception.
   */
  static boolean isText(byte[] bytes, Problems problems) {
    if (bytes.length >= 2 && (bytes[0] == (byte) 0xFE && bytes[1] == (byte) 0xFF
        || bytes[0] == (byte) 0xFF && bytes[1] == (byte) 0xFE)
        || bytes.length >= 4 && bytes[0] == 0 && bytes[1] == 0 && bytes[2] == (byte) 0xFE
        && bytes[3] == (byte) 0xFF) {
      problems.report(1, 1, "the file is UTF-16 or UTF-32 text (it starts with a byte "
          + "order mark); save it as UTF-8");
      return false;
    }
    // one decoding, which stops at the first byte that is not UTF-8 (a decoder reports by default)
    ByteBuffer in = ByteBuffer.wrap(bytes);
    CharBuffer chars = CharBuffer.allocate(bytes.length);
    if (StandardCharsets.UTF_8.newDecoder().decode(in, chars, true).isError()) {
      int bad = in.position();
      int[] at = position(chars.flip());
      problems.report(at[0], at[1], String.format(Locale.ROOT, "the file is not UTF-8 text: "
          + "byte 0x%02X cannot be read as UTF-8 here; save the file as UTF-8 (it may be in "
          + "Latin-1 or Windows-1252)", bytes[bad] & 0xFF));
      return false;
    }
    chars.flip();
    for (int i = 0; i < chars.length(); i++) {
      char c = chars.charAt(i);
      boolean allowed = c == '\t' || c == '\n' || c == '\r' || c >= 0x20 && c != 0x7F
          && (c < 0x80 || c > 0x9F || c == 0x85) && c != 0xFFFE && c != 0xFFFF;
      if (!allowed && c == 0 && i < 2) {
        // "n\0a\0m\0e\0" or "\0\0\0n": a file of two or four bytes a character, with no mark
        problems.report(1, 1, "the file looks like UTF-16 or UTF-32 text (it has NUL bytes "
            + "among its first characters); save it as UTF-8");
        return false;
      }
      if (!allowed) {
        int[] at = position(chars.subSequence(0, i));
        problems.report(at[0], at[1], String.format(Locale.ROOT, "the file holds %s U+%04X "
            + "here, which YAML does not allow in its text; remove it",
            c >= 0xFFFE ? "the noncharacter" : "the control character", (int) c));
        return false;
      }
    }
    return true;
  }

  /** The 1-based line and column just after {@code before}, in characters. */
  private static int[] position(CharSequence before) {
    int line = 1;
    int column = 1;
    for (int i = 0; i < before.length(); i++) {
      char c = before.charAt(i);
      // the line breaks SnakeYAML counts, so that these positions agree with its own
      if (c == '\n' || c == '\u0085' || c == '\u2028' || c == '\u2029'
          || c == '\r' && (i + 1 == before.length() || before.charAt(i + 1) != '\n')) {
        line++;
        column = 1;
      } else if (c != '\r' && !Character.isLowSurrogate(c) && !(i == 0 && c == '\uFEFF')) {
        column++;
      }
    }
    return new int[] {line, column};
  }

  /** A value, kept under its anchor when it has one ({@code &name}), for the aliases after it. */
  private Node value(JsonToken token) throws IOException {
    Object anchor = token == JsonToken.START_OBJECT || token == JsonToken.START_ARRAY
        ? parser.getObjectId() : scalarAnchors.get(at(parser.currentTokenLocation().getLineNr(),
            parser.currentTokenLocation().getColumnNr()));
    int before = expanded;
    Node node = valueItself(token);
    if (anchor instanceof String name) {
      anchors.put(name, node);
      anchoredSizes.put(name, expanded - before);
    }
    return node;
  }

  private Node valueItself(JsonToken token) throws IOException {
    JsonLocation at = parser.currentTokenLocation();
    int line = at.getLineNr();
    int column = at.getColumnNr();
    expanded++;
    if (token == JsonToken.START_OBJECT) {
      List<Node.Entry> entries = new ArrayList<>();
      List<Node.Entry> merges = new ArrayList<>();
      for (JsonToken t = parser.nextToken(); t == JsonToken.FIELD_NAME; t = parser.nextToken()) {
        JsonLocation keyAt = parser.currentTokenLocation();
        String key = parser.currentName();
        Node.Entry entry = new Node.Entry(key, keyAt.getLineNr(), keyAt.getColumnNr(),
            value(parser.nextToken()));
        (key.equals(MERGE_KEY) ? merges : entries).add(entry);
      }
      merge(entries, merges, line, column);
      return new Node.Mapping(entries, line, column);
    }
    if (token == JsonToken.START_ARRAY) {
      List<Node> items = new ArrayList<>();
      for (JsonToken t = parser.nextToken(); t != JsonToken.END_ARRAY; t = parser.nextToken()) {
        items.add(value(t));
      }
      return new Node.Sequence(items, line, column);
    }
    if (token == JsonToken.VALUE_EMBEDDED_OBJECT) {
      // what a !!binary tag reads as: bytes, not text
      problems.report(line, column, "binary values (!!binary) are not supported in deploy.yaml; "
          + "write the value as text");
      return new Node.Scalar(Node.Scalar.Kind.STRING, "", line, column);
    }
    if (parser.isCurrentAlias()) {
      // Jackson hands an alias over as the anchor's name: the value is the anchored one
      String name = parser.getText();
      Node anchored = anchors.get(name);
      if (anchored == null) {
        aliasesOfNothing++;
        problems.reportAliasOfNothing(line, column, "*" + name + " names no anchor; "
            + DidYouMean.closest(name, List.copyOf(anchors.keySet()))
                .map(a -> "did you mean *" + a + "? ").orElse("")
            + "an alias repeats a value anchored before it, with &" + name);
        Node unresolved = new Node.Scalar(kind(token), parser.getText(), line, column);
        unresolvedAliases.add(unresolved);
        return unresolved;
      } else if ((expanded += anchoredSizes.get(name)) > MAX_EXPANDED) {
        problems.report(line, column, "with its aliases, the file comes to more than "
            + MAX_EXPANDED + " values; a deploy.yaml is far smaller");
        throw new AliasBomb();
      } else {
        return anchored;
      }
    }
    return new Node.Scalar(kind(token), token == JsonToken.VALUE_NULL ? "" : parser.getText(),
        line, column);
  }

  /** YAML's merge key: {@code <<: *defaults} adds the keys of the map it names. */
  static final String MERGE_KEY = "<<";

  /** Thrown when aliases expand past {@link #MAX_EXPANDED}: reading stops there. */
  private static final class AliasBomb extends RuntimeException {
    AliasBomb() {
      super(null, null, false, false);
    }
  }

  /**
   * Adds to {@code entries} those of the maps each {@code <<} names (a map, or a list of maps)
   * whose keys are not there yet: the map's own keys win, and of two merged maps the first.
   */
  private void merge(List<Node.Entry> entries, List<Node.Entry> merges, int line, int column) {
    Set<String> keys = new HashSet<>();
    entries.forEach(e -> keys.add(e.key()));
    for (Node.Entry merge : merges) {
      List<Node> maps = merge.value() instanceof Node.Sequence list ? list.items()
          : List.of(merge.value());
      for (Node map : maps) {
        if (unresolvedAliases.contains(map)) {
          // said at the alias: a second problem there would be about the same slip
          problems.markPartial(line, column);
          continue;
        }
        if (!(map instanceof Node.Mapping mapping)) {
          problems.report(map, "<< (YAML's merge key) takes a map, or a list of maps, such as "
              + "*defaults for a map anchored &defaults; not " + map.describe());
          continue;
        }
        for (Node.Entry e : mapping.entries()) {
          if (keys.add(e.key())) {
            entries.add(e);
          }
        }
      }
    }
  }

  private static Node.Scalar.Kind kind(JsonToken token) {
    return switch (token) {
      case VALUE_STRING -> Node.Scalar.Kind.STRING;
      case VALUE_NUMBER_INT -> Node.Scalar.Kind.INTEGER;
      case VALUE_NUMBER_FLOAT -> Node.Scalar.Kind.FLOAT;
      case VALUE_TRUE -> Node.Scalar.Kind.TRUE;
      case VALUE_FALSE -> Node.Scalar.Kind.FALSE;
      case VALUE_NULL -> Node.Scalar.Kind.NULL;
      default -> throw new IllegalStateException("unexpected YAML token " + token);
    };
  }
}
