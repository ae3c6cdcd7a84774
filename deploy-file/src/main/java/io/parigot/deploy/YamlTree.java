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
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Deque;
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
import org.yaml.snakeyaml.error.MarkedYAMLException;
import org.yaml.snakeyaml.events.AliasEvent;
import org.yaml.snakeyaml.events.CollectionStartEvent;
import org.yaml.snakeyaml.events.Event;
import org.yaml.snakeyaml.events.MappingEndEvent;
import org.yaml.snakeyaml.events.MappingStartEvent;
import org.yaml.snakeyaml.events.NodeEvent;
import org.yaml.snakeyaml.events.ScalarEvent;
import org.yaml.snakeyaml.events.SequenceEndEvent;
import org.yaml.snakeyaml.events.SequenceStartEvent;

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
      reportSyntax(e, text, problems);
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

  /**
   * SnakeYAML knows where the problem is and what it was parsing; Jackson's own location is
   * only how far it had read, and its message spans several lines with a drawing of the line.
   */
  private static void reportSyntax(StreamReadException e, byte[] text, Problems problems) {
    if (e.getCause() instanceof MarkedYAMLException yaml && yaml.getProblemMark() != null
        && reportInWordsOfItsOwn(yaml, text, problems)) {
      return;
    }
    if (e.getCause() instanceof MarkedYAMLException yaml && yaml.getProblemMark() != null) {
      Mark at = yaml.getProblemMark();
      Mark context = yaml.getContextMark();
      String during = yaml.getContext() == null ? ""
          : " (" + yaml.getContext()
              + (context == null ? "" : " from " + (context.getLine() + 1) + ":"
                  + (context.getColumn() + 1)) + ")";
      problems.report(at.getLine() + 1, at.getColumn() + 1,
          "YAML syntax error: " + yaml.getProblem() + during + ". "
          + (variableInFlow(text, at) ? "A ${NAME} inside [ ] or { } needs quotes: write "
              + "\"${NAME}\"." : hint(yaml.getProblem())));
      return;
    }
    JsonLocation at = e.getLocation();
    String message = e.getOriginalMessage().lines().findFirst().orElse("").strip();
    if (message.startsWith("Expected a field name") && reportKeyNotText(text, problems)) {
      return;
    }
    if (message.contains("exceeds the limit")) {
      problems.report(1, 1, "the file is past what parigot reads (" + message.replaceAll(
          "\\.+$", "") + "); a deploy.yaml is a few KB long");
      return;
    }
    problems.report(at == null ? 1 : at.getLineNr(), at == null ? 1 : at.getColumnNr(),
        "YAML syntax error: " + message + ". " + hint(message));
  }

  /**
   * Reports the syntax errors SnakeYAML names in words that mislead, in words of parigot's own;
   * false for any other, whose SnakeYAML words stand.
   */
  private static boolean reportInWordsOfItsOwn(MarkedYAMLException yaml, byte[] text,
      Problems problems) {
    String problem = yaml.getProblem() == null ? "" : yaml.getProblem();
    String context = yaml.getContext() == null ? "" : yaml.getContext();
    Mark at = yaml.getProblemMark();
    Mark opened = yaml.getContextMark();
    if (problem.contains("unexpected end of stream") && context.contains("quoted scalar")
        && opened != null) {
      // SnakeYAML says where the file ends, lines below the quote that is not closed
      String quote = String.valueOf(charAt(text, opened));
      problems.report(opened.getLine() + 1, opened.getColumn() + 1, "YAML syntax error: the "
          + "quote " + quote + " that starts this value is never closed (the file ends inside "
          + "it). Add the closing " + quote + " at the end of the value.");
      return true;
    }
    char first = charAt(text, at);
    if (problem.contains("cannot start any token") && (first == '@' || first == '`')) {
      // "(Do not use @ for indentation)": nobody indents with @; a value started with it
      problems.report(at.getLine() + 1, at.getColumn() + 1, "YAML syntax error: a value cannot "
          + "start with " + first + " in YAML (it is reserved). Put the value in quotes: \""
          + first + "...\".");
      return true;
    }
    if (problem.startsWith("found unknown escape character") && context.contains("double")) {
      // C:\tools\java: in double quotes, a backslash starts an escape; pointed at, not the
      // character after it
      problems.report(at.getLine() + 1, Math.max(1, at.getColumn()), "YAML syntax error: in "
          + "double quotes, \\ starts an escape (\\n, \\t, \\\\), and \\" + charAt(text, at)
          + " is none. Write \\\\ for a backslash, or put the value in single quotes, where "
          + "\\ is just \\.");
      return true;
    }
    return false;
  }

  /** The character of {@code text} at SnakeYAML's {@code mark}, or a space past the end. */
  private static char charAt(byte[] text, Mark mark) {
    String line = new String(text, StandardCharsets.UTF_8).lines().skip(mark.getLine())
        .findFirst().orElse("");
    if (mark.getLine() == 0 && line.startsWith("\uFEFF")) {
      line = line.substring(1); // a byte order mark is no column
    }
    int[] codePoints = line.codePoints().toArray();
    int column = mark.getColumn();
    return column < codePoints.length && Character.isBmpCodePoint(codePoints[column])
        ? (char) codePoints[column] : ' ';
  }

  /**
   * Reports the first mapping key of {@code text} that is not text, where it starts: an alias
   * ({@code *a: ...}) or a list or map ({@code ? [a, b]}), which Jackson refuses in words of its
   * own at the end of that key. False when there is none (the error was something else).
   */
  private static boolean reportKeyNotText(byte[] text, Problems problems) {
    // per open collection: {is a mapping, its next node is a key}
    Deque<boolean[]> open = new ArrayDeque<>();
    try {
      for (Event event : new Yaml().parse(new InputStreamReader(new ByteArrayInputStream(text),
          StandardCharsets.UTF_8))) {
        boolean[] top = open.peek();
        if (event instanceof MappingEndEvent || event instanceof SequenceEndEvent) {
          open.pop();
          completed(open);
          continue;
        }
        if (!(event instanceof NodeEvent) && !(event instanceof CollectionStartEvent)) {
          continue; // stream and document events
        }
        if (top != null && top[0] && top[1] && !(event instanceof ScalarEvent)) {
          Mark at = event.getStartMark();
          problems.report(at.getLine() + 1, at.getColumn() + 1, event instanceof AliasEvent alias
              ? "a key here is the YAML alias *" + alias.getAnchor() + "; aliases are not "
                  + "supported in deploy.yaml: write the key out in full"
              : "a key here is a " + (event instanceof SequenceStartEvent ? "list" : "map")
                  + " (YAML's '? ' complex key); every key in deploy.yaml is a plain name, like "
                  + " main:");
          return true;
        }
        if (event instanceof CollectionStartEvent) {
          open.push(new boolean[] {event instanceof MappingStartEvent, true});
        } else {
          completed(open);
        }
      }
    } catch (RuntimeException e) {
      // SnakeYAML could not read it either: the message Jackson gave stands
    }
    return false;
  }

  /** A whole node was read in the innermost open collection: in a mapping, key and value take turns. */
  private static void completed(Deque<boolean[]> open) {
    boolean[] top = open.peek();
    if (top != null && top[0]) {
      top[1] = !top[1];
    }
  }

  /** Whether the problem is at the { of a ${, which YAML reads as a map inside [ ] or { }. */
  private static boolean variableInFlow(byte[] text, Mark at) {
    String line = new String(text, StandardCharsets.UTF_8).lines().skip(at.getLine()).findFirst()
        .orElse("");
    int column = at.getColumn();
    return column > 0 && column < line.length() && line.charAt(column) == '{'
        && line.charAt(column - 1) == '$';
  }

  private static String hint(String problem) {
    if (problem.contains("TAB")) {
      return "Indent with spaces, not tabs.";
    }
    if (problem.contains("mapping values are not allowed")) {
      return "Check the indentation of this line and the one above, or quote a value that "
          + "contains ': '.";
    }
    return "Check the indentation and quotes around here.";
  }
}
