package io.parigot.deploy;

import java.util.List;
import java.util.Optional;

/**
 * A YAML value read from deploy.yaml together with its line and column. Jackson's JsonNode
 * forgets where a value was, and every message about the file has to say where.
 */
sealed interface Node permits Node.Scalar, Node.Mapping, Node.Sequence {

  /** 1-based line of the value's first character. */
  int line();

  /** 1-based column of the value's first character. */
  int column();

  /** The value as a message shows it after "not": {@code "yes please"}, {@code 5}, {@code a list}. */
  String describe();

  /** A text, number, boolean or null, with its text exactly as written. */
  record Scalar(Kind kind, String text, int line, int column) implements Node {

    /** The YAML type Jackson gave the scalar; YAML 1.1 reads {@code no} and {@code yes} as booleans. */
    enum Kind { STRING, INTEGER, FLOAT, TRUE, FALSE, NULL }

    boolean isNull() {
      return kind == Kind.NULL;
    }

    boolean isBoolean() {
      return kind == Kind.TRUE || kind == Kind.FALSE;
    }

    @Override
    public String describe() {
      return switch (kind) {
        case STRING -> "\"" + text + "\"";
        case NULL -> "nothing";
        default -> text;
      };
    }
  }

  /** One {@code key: value} of a map; the key's position is where messages about the key point. */
  record Entry(String key, int line, int column, Node value) {}

  /** A YAML map, its entries in file order, duplicates kept so that they can be reported. */
  record Mapping(List<Entry> entries, int line, int column) implements Node {
    public Mapping {
      entries = List.copyOf(entries);
    }

    /** The first entry with this key. */
    Optional<Entry> get(String key) {
      return entries.stream().filter(e -> e.key().equals(key)).findFirst();
    }

    @Override
    public String describe() {
      return "a map";
    }
  }

  /** A YAML list. */
  record Sequence(List<Node> items, int line, int column) implements Node {
    public Sequence {
      items = List.copyOf(items);
    }

    @Override
    public String describe() {
      return "a list";
    }
  }
}
