package io.parigot.deploy;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Variables of parigot's environment in deploy.yaml's values, as docker compose writes them:
 * {@code ${NAME}} and {@code $NAME}; {@code ${NAME:-default}} (when unset or empty) and {@code
 * ${NAME-default}} (when unset); {@code ${NAME:?message}} and {@code ${NAME?message}}, which
 * make an unset (or empty) variable an error with that message; {@code ${NAME:+other}} and
 * {@code ${NAME+other}}, other when set; {@code $$} for a {@code $} of its own. A default may
 * hold variables itself. Unlike compose, a variable that is not set and has no default is an
 * error rather than an empty text: nothing starts on a value no one wrote.
 *
 * <p>The variables are those of parigot's environment over those of the {@link DotEnv .env}
 * file beside deploy.yaml. Values only, never keys. A value that held a variable is typed again
 * from what it reads now ({@code max_restarts: ${RESTARTS}} is a number when RESTARTS is {@code
 * 3}).
 */
final class Interpolation {
  private final Map<String, String> environment;
  private final Problems problems;

  private Interpolation(Map<String, String> environment, Problems problems) {
    this.environment = environment;
    this.problems = problems;
  }

  /** {@code root} with the variables in its values replaced; each problem is reported. */
  static Node apply(Node root, Map<String, String> environment, Problems problems) {
    return new Interpolation(environment, problems).walk(root, "");
  }

  private Node walk(Node node, String path) {
    if (node instanceof Node.Mapping map) {
      List<Node.Entry> entries = new ArrayList<>(map.entries().size());
      for (Node.Entry e : map.entries()) {
        String at = path.isEmpty() ? e.key() : path + "." + e.key();
        entries.add(new Node.Entry(e.key(), e.line(), e.column(), walk(e.value(), at)));
      }
      return new Node.Mapping(entries, map.line(), map.column());
    }
    if (node instanceof Node.Sequence list) {
      List<Node> items = new ArrayList<>(list.items().size());
      for (Node item : list.items()) {
        items.add(walk(item, path));
      }
      return new Node.Sequence(items, list.line(), list.column());
    }
    Node.Scalar scalar = (Node.Scalar) node;
    if (scalar.kind() != Node.Scalar.Kind.STRING || scalar.text().indexOf('$') < 0) {
      return scalar;
    }
    String text = expand(scalar.text(), scalar, path);
    if (text == null) {
      return scalar; // reported; the rest of the file is still read as written
    }
    return new Node.Scalar(kindOf(text), text, scalar.line(), scalar.column());
  }

  /** {@code text} with its variables replaced, or null when one of them is a problem. */
  private String expand(String text, Node.Scalar at, String path) {
    StringBuilder out = new StringBuilder(text.length());
    int i = 0;
    while (i < text.length()) {
      char c = text.charAt(i);
      if (c != '$') {
        out.append(c);
        i++;
        continue;
      }
      char next = i + 1 < text.length() ? text.charAt(i + 1) : 0;
      if (next == '$') {
        out.append('$');
        i += 2;
      } else if (next == '{') {
        int close = closing(text, i + 2);
        if (close < 0) {
          return bad(at, path, "\"" + text + "\" has a ${ without its closing }; write $$ for a "
              + "$ of its own");
        }
        String value = braced(text.substring(i + 2, close), text, at, path);
        if (value == null) {
          return null;
        }
        out.append(value);
        i = close + 1;
      } else {
        int end = i + 1;
        while (end < text.length() && isNamePart(text.charAt(end), end == i + 1)) {
          end++;
        }
        if (end == i + 1) {
          return bad(at, path, "\"" + text + "\" has a $ that starts no ${NAME} or $NAME; write "
              + "$$ for a $ of its own");
        }
        String name = text.substring(i + 1, end);
        String value = environment.get(name);
        if (value == null) {
          return unset(at, path, "$" + name, name);
        }
        out.append(value);
        i = end;
      }
    }
    return out.toString();
  }

  /** What {@code ${inside}} reads as, or null when it is a problem. */
  private String braced(String inside, String text, Node.Scalar at, String path) {
    int end = 0;
    while (end < inside.length() && isNamePart(inside.charAt(end), end == 0)) {
      end++;
    }
    String name = inside.substring(0, end);
    String rest = inside.substring(end);
    if (name.isEmpty()) {
      return bad(at, path, "\"" + text + "\": ${" + inside + "} names no variable; a name is "
          + "letters, digits and _, not starting with a digit (write $$ for a $ of its own)");
    }
    String value = environment.get(name);
    boolean colon = rest.startsWith(":");
    String form = colon ? rest.substring(1) : rest;
    // with a colon, an empty value counts as unset
    boolean set = value != null && !(colon && value.isEmpty());
    if (rest.isEmpty()) {
      return value != null ? value : unset(at, path, "${" + name + "}", name);
    }
    if (form.startsWith("-")) {
      return set ? value : expand(form.substring(1), at, path);
    }
    if (form.startsWith("+")) {
      return set ? expand(form.substring(1), at, path) : "";
    }
    if (form.startsWith("?")) {
      if (set) {
        return value;
      }
      String message = form.substring(1);
      return bad(at, path, name + " is " + (value == null ? "not set" : "empty")
          + (message.isEmpty() ? "" : ": " + message) + " (" + "${" + inside + "})");
    }
    return bad(at, path, "\"" + text + "\": ${" + inside + "} is no form parigot knows; write "
        + "${NAME}, ${NAME:-default}, ${NAME-default}, ${NAME:?message}, ${NAME?message}, "
        + "${NAME:+other} or ${NAME+other}");
  }

  private String unset(Node.Scalar at, String path, String written, String name) {
    return bad(at, path, written + ": " + name + " is not set in parigot's environment nor in "
        + "the .env beside the file; set it (export " + name + "=..., or " + name + "=... in "
        + ".env), or give a default: ${" + name + ":-default}");
  }

  private String bad(Node.Scalar at, String path, String message) {
    problems.report(at, (path.isEmpty() ? "" : path + ": ") + message);
    return null;
  }

  /** The index of the } that closes a ${ whose text starts at {@code from}; -1 when none. */
  private static int closing(String text, int from) {
    int depth = 0;
    for (int i = from; i < text.length(); i++) {
      char c = text.charAt(i);
      if (c == '$' && i + 1 < text.length() && text.charAt(i + 1) == '{') {
        depth++;
        i++;
      } else if (c == '}') {
        if (depth == 0) {
          return i;
        }
        depth--;
      }
    }
    return -1;
  }

  /**
   * Whether {@code name} is an environment variable's name: letters, digits and _, not starting
   * with a digit (what env:, .env and ${NAME} take).
   */
  static boolean isName(String name) {
    for (int i = 0; i < name.length(); i++) {
      if (!isNamePart(name.charAt(i), i == 0)) {
        return false;
      }
    }
    return !name.isEmpty();
  }

  private static boolean isNamePart(char c, boolean first) {
    return c == '_' || c >= 'A' && c <= 'Z' || c >= 'a' && c <= 'z'
        || !first && c >= '0' && c <= '9';
  }

  /** The YAML type a plain value written as {@code text} would have had. */
  private static Node.Scalar.Kind kindOf(String text) {
    int digits = text.startsWith("-") || text.startsWith("+") ? 1 : 0;
    if (text.length() > digits && text.chars().skip(digits).allMatch(c -> c >= '0' && c <= '9')) {
      return Node.Scalar.Kind.INTEGER;
    }
    return switch (text) {
      case "true", "True", "TRUE" -> Node.Scalar.Kind.TRUE;
      case "false", "False", "FALSE" -> Node.Scalar.Kind.FALSE;
      default -> Node.Scalar.Kind.STRING;
    };
  }
}
