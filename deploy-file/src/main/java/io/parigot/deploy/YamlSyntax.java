package io.parigot.deploy;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.exc.StreamReadException;
import java.io.ByteArrayInputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
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
 * The YAML syntax errors of a deploy.yaml, as {@link YamlTree} meets them: at the place to edit,
 * and, where SnakeYAML's words are its parser's own ("mapping values are not allowed here",
 * "expected &lt;block end&gt;"), in plain words that say what to do.
 */
final class YamlSyntax {
  private YamlSyntax() {}

  /**
   * SnakeYAML knows where the problem is and what it was parsing; Jackson's own location is
   * only how far it had read, and its message spans several lines with a drawing of the line.
   */
  static void report(StreamReadException e, byte[] text, Problems problems) {
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
    if (problem.contains("cannot start any token") && first == '\t') {
      // "found character '\t(TAB)' that cannot start any token. (Do not use \t(TAB) for
      // indentation)"
      problems.report(at.getLine() + 1, at.getColumn() + 1, "YAML syntax error: a tab here; "
          + "YAML indents with spaces, not tabs. Replace the tab with spaces.");
      return true;
    }
    if (problem.contains("mapping values are not allowed")) {
      return reportColonNotAllowed(text, at, problems);
    }
    if (problem.contains("could not find expected ':'") && opened != null
        && BLOCK_TEXT.matcher(lineAbove(text, opened.getLine())).find()) {
      // "args: |" then "  x": the text's lines are not indented past the key
      problems.report(opened.getLine() + 1, opened.getColumn() + 1, "YAML syntax error: this "
          + "line is not indented past the key above, whose | or > starts a block of text, so "
          + "it is no part of the text. Indent the text's lines more than the key.");
      return true;
    }
    if (problem.contains("could not find expected ':'") && opened != null) {
      // SnakeYAML points at the line after the key that has no ':'
      String key = line(text, opened.getLine()).strip();
      problems.report(opened.getLine() + 1, opened.getColumn() + 1, "YAML syntax error: " + key
          + " has no ':' after it, so it is no key. Write it as  " + withColon(key)
          + "  with its value, or remove the line.");
      return true;
    }
    if (problem.startsWith("expected ',' or '") && opened != null
        && at.getLine() > opened.getLine() && !variableInFlow(text, at)) {
      // a [ or { not closed: SnakeYAML says where what follows it in the file breaks the list
      char bracket = charAt(text, opened);
      problems.report(opened.getLine() + 1, opened.getColumn() + 1, "YAML syntax error: this "
          + bracket + " is not closed before line " + (at.getLine() + 1) + ". Add "
          + (bracket == '{' ? '}' : ']') + " at the end of the " + (bracket == '{' ? "map" : "list")
          + ".");
      return true;
    }
    if (problem.contains("expected <block end>, but found ':'")) {
      // ": x"
      problems.report(at.getLine() + 1, at.getColumn() + 1, "YAML syntax error: a ':' with no "
          + "key before it. Write the key before the ':', or remove the line.");
      return true;
    }
    if (problem.contains("expected <block end>, but found '-'")) {
      // "  - cart" below "  store:"
      problems.report(at.getLine() + 1, at.getColumn() + 1, "YAML syntax error: a list item "
          + "('- ') among the keys of a map at its indentation. Write it as  key: value , or "
          + "indent it under the key whose list it is.");
      return true;
    }
    if (problem.contains("expected <block end>, but found '?'")
        && context.contains("block collection")) {
      // "jar: x" below "- main: a.B", at the indentation of the '-'
      problems.report(at.getLine() + 1, at.getColumn() + 1, "YAML syntax error: a key among "
          + "list items ('- ') at its indentation; a list holds items, not keys. Start the line "
          + "with '- ', or indent it as the keys of the item above.");
      return true;
    }
    if (problem.contains("sequence entries are not allowed")) {
      // args: - a
      problems.report(at.getLine() + 1, at.getColumn() + 1, "YAML syntax error: a list item "
          + "('- ') cannot start on the line of its key. Put each item on a line of its own "
          + "below the key, indented more than it, or write the list as [a, b].");
      return true;
    }
    if ((problem.contains("expected <block end>, but found '<scalar>'")
        || problem.startsWith("expected ',' or '") && problem.endsWith("but got <scalar>"))
        && (before(text, at) == '"' || before(text, at) == '\'')) {
      // main: "a.B" x, or args: ["a" b]
      problems.report(at.getLine() + 1, at.getColumn() + 1, "YAML syntax error: text after "
          + "the closing quote of the value. Put all of the value inside the quotes, or remove "
          + "what follows them.");
      return true;
    }
    if (problem.contains("expected <block end>, but found '<block mapping start>'")) {
      // a key indented by 3 among keys indented by 4: it lines up with no map above it
      int indent = indentation(line(text, at.getLine()));
      problems.report(at.getLine() + 1, at.getColumn() + 1, "YAML syntax error: this line is "
          + "indented by " + indent + (indent == 1 ? " space" : " spaces") + ", as no key above "
          + "it is. Indent it as the other keys of the map it belongs to.");
      return true;
    }
    if (problem.contains("cannot start any token")
        && (first == '@' || first == '`' || first == '%')) {
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

  /**
   * "mapping values are not allowed here", at a ':' YAML cannot take as a key's: the value
   * before it holds ': ' (quote it), or the line above has no ':' and runs on into this line
   * (add it), or this line is indented past the key above, whose value it runs on (indent it
   * less). False when it is none of those.
   */
  private static boolean reportColonNotAllowed(byte[] text, Mark at, Problems problems) {
    String here = line(text, at.getLine());
    Matcher key = KEY.matcher(here.substring(0, Math.min(at.getColumn(), here.length())));
    if (key.lookingAt()) {
      // A: x: y
      problems.report(at.getLine() + 1, key.end() + 1, "YAML syntax error: this value holds "
          + "': ', which YAML reads as the start of another key. Put the value in quotes: \""
          + here.substring(key.end()).strip() + "\".");
      return true;
    }
    int above = at.getLine() - 1;
    while (above >= 0 && (line(text, above).isBlank()
        || line(text, above).strip().startsWith("#"))) {
      above--;
    }
    if (above < 0) {
      return false;
    }
    String previous = line(text, above);
    if (!previous.contains(":")) {
      // "  store" then "    main: a.B": YAML reads "store main" as one key
      String written = previous.strip();
      problems.report(above + 1, indentation(previous) + 1, "YAML syntax error: " + written
          + " has no ':' after it, so YAML reads it and the line below as one key. Write it as  "
          + withColon(written));
      return true;
    }
    if (KEY.matcher(previous).lookingAt() && indentation(here) > indentation(previous)) {
      // "name: shop" then "  services:": YAML reads "shop services" as name's value
      problems.report(at.getLine() + 1, indentation(here) + 1, "YAML syntax error: this line is "
          + "indented more than the line above, so YAML reads it as more of that line's value. "
          + "Indent it as the key above, or less.");
      return true;
    }
    return false;
  }

  /** The end of a line whose value is a block of text: {@code args: |}, {@code note: >-}. */
  private static final Pattern BLOCK_TEXT = Pattern.compile(":\\s+[|>][+-]?\\d?\\s*(#.*)?$");

  /** The last line before line {@code index} (0-based) that is neither blank nor a comment. */
  private static String lineAbove(byte[] text, int index) {
    for (int i = index - 1; i >= 0; i--) {
      String line = line(text, i);
      if (!line.isBlank() && !line.strip().startsWith("#")) {
        return line;
      }
    }
    return "";
  }

  /** A key and ': ' and the start of a value: "    A: " of "    A: x: y". */
  private static final Pattern KEY = Pattern.compile("\\s*(- )?[^\\s#'\"{\\[][^:#]*:\\s+(?=\\S)");

  /** {@code written} as a key: "store:", or "jar: a.jar" for "jar a.jar". */
  private static String withColon(String written) {
    return written.contains(" ") ? written.replaceFirst(" +", ": ") : written + ":";
  }

  private static int indentation(String line) {
    int spaces = 0;
    while (spaces < line.length() && line.charAt(spaces) == ' ') {
      spaces++;
    }
    return spaces;
  }

  /** Line {@code index} (0-based) of {@code text}, or "" past its end. */
  private static String line(byte[] text, int index) {
    return new String(text, StandardCharsets.UTF_8).lines().skip(index).findFirst().orElse("");
  }

  /** The last character before {@code mark} on its line that is not a space, or a space. */
  private static char before(byte[] text, Mark mark) {
    String line = line(text, mark.getLine());
    for (int i = Math.min(mark.getColumn(), line.length()) - 1; i >= 0; i--) {
      if (line.charAt(i) != ' ') {
        return line.charAt(i);
      }
    }
    return ' ';
  }
}
