package io.parigot.deploy;

import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads the values of one YAML map of deploy.yaml by key. It reports unknown and repeated keys
 * when it is made, and a value of the wrong type when it is asked for; a value with a problem
 * reads as absent, so the caller goes on and finds the next problem.
 */
final class MapReader {
  /** A bare number of milliseconds, or amounts with units: 30s, 1m30s, 2s500ms. */
  private static final Pattern DURATION = Pattern.compile("\\d+|(\\d+(ms|s|m|h))+");
  private static final Pattern DURATION_PART = Pattern.compile("(\\d+)(ms|s|m|h)");
  static final String DURATION_EXAMPLES = "a duration like 500ms, 30s or 2m";

  private final Node.Mapping map;
  private final String path;
  private final Problems problems;

  /**
   * @param path the map's place in the file for messages: "" for the top level, else like
   *     {@code services.hello}
   * @param keys the keys this map may hold, in the order the docs list them; null for a map
   *     whose keys are the user's (env), where only repeats are errors
   */
  MapReader(Node.Mapping map, String path, List<String> keys, Problems problems) {
    this.map = map;
    this.path = path;
    this.problems = problems;
    Map<String, Node.Entry> seen = new HashMap<>();
    for (Node.Entry entry : map.entries()) {
      Node.Entry first = seen.putIfAbsent(entry.key(), entry);
      if (keys != null && !keys.contains(entry.key()) && !isExtension(entry.key())) {
        reportUnknown(entry, keys);
      } else if (first != null) {
        problems.report(entry.line(), entry.column(), "'" + entry.key() + "' is given twice "
            + place() + " (first at " + first.line() + ":" + first.column() + "); keep one");
      }
    }
  }

  /**
   * Whether {@code key} is docker compose's extension field, {@code x-...}: a place for values
   * to anchor and repeat with aliases, which parigot does not read otherwise.
   */
  static boolean isExtension(String key) {
    return key.startsWith("x-");
  }

  private void reportUnknown(Node.Entry entry, List<String> keys) {
    String hint = DidYouMean.instead(entry.key(), keys)
        .or(() -> DidYouMean.closest(entry.key(), keys).map(k -> "did you mean '" + k + "'?"))
        .orElse("the keys here are " + String.join(", ", keys));
    problems.report(entry.line(), entry.column(),
        "unknown key '" + entry.key() + "' " + place() + "; " + hint);
  }

  private String place() {
    return path.isEmpty() ? "at the top level" : "in " + path;
  }

  /** The full name of a key for messages, like {@code services.hello.args}. */
  String name(String key) {
    return path.isEmpty() ? key : path + "." + key;
  }

  /**
   * Whether the map merges an alias of no anchor ({@code <<: *nosuch}), already reported: a key
   * it lacks may come with the alias once it is mended, so none is said to be missing.
   */
  boolean isPartial() {
    return problems.isPartial(map);
  }

  Optional<Node.Entry> entry(String key) {
    return map.get(key);
  }

  Optional<Node> node(String key) {
    return map.get(key).map(Node.Entry::value);
  }

  /** A scalar of any YAML type, as written; {@code what} says what is expected. */
  Optional<Node.Scalar> text(String key, String what) {
    Optional<Node.Entry> entry = entry(key);
    if (entry.isEmpty()) {
      return Optional.empty();
    }
    Node value = entry.get().value();
    if (value instanceof Node.Scalar s && !s.isNull()) {
      return Optional.of(s);
    }
    if (value instanceof Node.Scalar) {
      // An empty value has no characters of its own to point at; its key does.
      problems.report(entry.get().line(), entry.get().column(),
          name(key) + " has no value; give " + what + ", or remove the key");
      return Optional.empty();
    }
    return wrongType(key, value, what);
  }

  /** A list of scalars; one scalar is accepted as a list of one, and nothing as an empty list. */
  Optional<List<Node.Scalar>> texts(String key, String what) {
    Optional<Node> value = node(key);
    if (value.isEmpty()) {
      return Optional.empty();
    }
    if (value.get() instanceof Node.Scalar s) {
      return Optional.of(s.isNull() ? List.of() : List.of(s));
    }
    if (value.get() instanceof Node.Sequence list) {
      boolean clean = true;
      for (Node item : list.items()) {
        if (!(item instanceof Node.Scalar s) || s.isNull()) {
          problems.report(item, "each item of " + name(key) + " must be " + what + ", not "
              + item.describe());
          clean = false;
        }
      }
      return clean ? Optional.of(list.items().stream().map(Node.Scalar.class::cast).toList())
          : Optional.empty();
    }
    return wrongType(key, value.get(), "a list of " + what + " (or just one)");
  }

  Optional<Boolean> bool(String key) {
    Optional<Node> value = node(key);
    if (value.isPresent() && value.get() instanceof Node.Scalar s && s.isBoolean()) {
      return Optional.of(s.kind() == Node.Scalar.Kind.TRUE);
    }
    return value.isEmpty() ? Optional.empty() : wrongType(key, value.get(), "true or false");
  }

  /** A map; nothing reads as absent, since an empty {@code env:} means no variables. */
  Optional<Node.Mapping> mapping(String key, String what) {
    Optional<Node> value = node(key);
    if (value.isEmpty() || value.get() instanceof Node.Scalar s && s.isNull()) {
      return Optional.empty();
    }
    if (value.get() instanceof Node.Mapping m) {
      return Optional.of(m);
    }
    return wrongType(key, value.get(), what);
  }

  /** A whole number from 0 up. */
  Optional<Integer> count(String key) {
    Optional<Node> value = node(key);
    if (value.isPresent() && value.get() instanceof Node.Scalar s
        && s.kind() == Node.Scalar.Kind.INTEGER) {
      try {
        int n = Integer.parseInt(s.text());
        if (n >= 0) {
          return Optional.of(n);
        }
      } catch (NumberFormatException e) {
        if (s.text().chars().allMatch(Character::isDigit)) {
          // a whole number, 0 or more, as the message below would have asked for: only too large
          problems.report(s, name(key) + " is too large: " + s.text() + " (it must be a whole "
              + "number from 0 to " + Integer.MAX_VALUE + ")");
          return Optional.empty();
        }
        // hexadecimal or octal: reported below like any other wrong value
      }
    }
    return value.isEmpty() ? Optional.empty()
        : wrongType(key, value.get(), "a whole number, 0 or more");
  }

  /**
   * A duration written {@code 500ms}, {@code 30s}, {@code 2m}, {@code 1h}, or a bare whole
   * number of milliseconds, within [{@code min}, {@code max}] ({@code max} may be null).
   */
  Optional<Duration> duration(String key, Duration min, Duration max) {
    Optional<Node> value = node(key);
    if (value.isEmpty()) {
      return Optional.empty();
    }
    if (!(value.get() instanceof Node.Scalar s)
        || !(s.kind() == Node.Scalar.Kind.STRING || s.kind() == Node.Scalar.Kind.INTEGER)) {
      return wrongType(key, value.get(), DURATION_EXAMPLES);
    }
    String written = s.text().strip();
    if (!isDuration(written)) {
      problems.report(s, name(key) + " must be " + DURATION_EXAMPLES + ", not " + s.describe()
          + durationMeant(written).map(m -> " (did you mean " + m + "?)").orElse(""));
      return Optional.empty();
    }
    Duration d = parseDuration(written);
    String range = max == null ? "at least " + format(min)
        : "between " + format(min) + " and " + format(max);
    if (d == null) {
      problems.report(s, name(key) + " is too large: " + written + " (it must be " + range + ")");
      return Optional.empty();
    }
    if (!within(d, min, max)) {
      // 5 where 5s was meant: a bare number is milliseconds
      boolean seconds = written.chars().allMatch(Character::isDigit)
          && within(Duration.ofSeconds(d.toMillis()), min, max);
      problems.report(s, name(key) + " must be " + range + ", not " + written
          + (seconds ? " (a bare number is milliseconds: did you mean " + written + "s?)" : ""));
      return Optional.empty();
    }
    return Optional.of(d);
  }

  private static boolean within(Duration d, Duration min, Duration max) {
    return d.compareTo(min) >= 0 && (max == null || d.compareTo(max) <= 0);
  }

  /** A decimal amount of one unit, as Go's durations (docker compose's) write it: 1.5s. */
  private static final Pattern DECIMAL = Pattern.compile("(\\d+)\\.(\\d{1,3})(s|m|h)");

  /**
   * The duration deploy.yaml would write for what {@code written} most likely means, when it is
   * a duration in another form: {@code 1.5s} (1500ms), {@code 30 s} or {@code 1m 30s} (spaces),
   * {@code 30S}; empty for any other, and for a negative one, which no form makes right.
   */
  static Optional<String> durationMeant(String written) {
    String joined = written.replace(" ", "").toLowerCase(Locale.ROOT);
    if (!joined.equals(written) && isDuration(joined)
        && !joined.chars().allMatch(Character::isDigit)) {
      return Optional.of(joined);
    }
    Matcher decimal = DECIMAL.matcher(joined);
    if (decimal.matches()) {
      long unit = switch (decimal.group(3)) {
        case "h" -> 3_600_000;
        case "m" -> 60_000;
        default -> 1000;
      };
      String fraction = decimal.group(2);
      try {
        long ms = Math.addExact(Math.multiplyExact(Long.parseLong(decimal.group(1)), unit),
            Long.parseLong(fraction) * unit / (long) Math.pow(10, fraction.length()));
        return Optional.of(format(Duration.ofMillis(ms)));
      } catch (NumberFormatException | ArithmeticException e) {
        return Optional.empty(); // past any bound: the plain message is enough
      }
    }
    return Optional.empty();
  }

  /** Whether {@code written} is a duration as deploy.yaml writes one: 1h30m, 250ms, 5000. */
  static boolean isDuration(String written) {
    return DURATION.matcher(written).matches();
  }

  /** The duration {@code written} (which {@link #isDuration}), or null past any bound. */
  static Duration parseDuration(String written) {
    try {
      if (written.chars().allMatch(Character::isDigit)) {
        return Duration.ofMillis(Long.parseLong(written));
      }
      Duration total = Duration.ZERO;
      Matcher part = DURATION_PART.matcher(written);
      while (part.find()) {
        long amount = Long.parseLong(part.group(1));
        total = total.plus(switch (part.group(2)) {
          case "h" -> Duration.ofHours(amount);
          case "m" -> Duration.ofMinutes(amount);
          case "s" -> Duration.ofSeconds(amount);
          default -> Duration.ofMillis(amount);
        });
      }
      total.toMillis(); // past Long.MAX_VALUE ms is past every bound
      return total;
    } catch (NumberFormatException | ArithmeticException e) {
      return null;
    }
  }

  /** A duration the way deploy.yaml writes it: the largest unit that divides it. */
  static String format(Duration d) {
    long ms = d.toMillis();
    if (ms != 0 && ms % 3_600_000 == 0) {
      return ms / 3_600_000 + "h";
    }
    if (ms != 0 && ms % 60_000 == 0) {
      return ms / 60_000 + "m";
    }
    return ms != 0 && ms % 1000 == 0 ? ms / 1000 + "s" : ms + "ms";
  }

  private <T> Optional<T> wrongType(String key, Node value, String what) {
    problems.report(value, name(key) + " must be " + what + ", not " + value.describe());
    return Optional.empty();
  }
}
