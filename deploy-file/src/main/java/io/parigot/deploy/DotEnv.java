package io.parigot.deploy;

import java.io.IOException;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The {@code .env} file beside a deploy.yaml, as docker compose reads it: variables for the
 * file's {@code ${NAME}}s ({@link Interpolation}), which those of parigot's own environment
 * override; not the services' environment. The files a service's {@code env_file:} names are
 * read the same way, into its environment.
 *
 * <p>One {@code NAME=value} a line ({@code export NAME=value} too); blank lines and lines
 * starting with {@code #} are skipped. A value is taken as written, stripped, up to a {@code
 * " #"} comment; in single quotes, exactly as written; in double quotes, with {@code \n},
 * {@code \t}, {@code \"} and {@code \\} read as escapes.
 */
final class DotEnv {
  static final String NAME = ".env";

  private DotEnv() {}

  /**
   * The variables of {@code file}; none when there is no such file. Each bad line is reported
   * at its line in that file.
   */
  static Map<String, String> read(Path file, Problems problems) {
    return read(file, problems, null);
  }

  /**
   * The variables of a service's {@code env_file:} entry {@code written}, which names {@code
   * file}: its absence is a problem there, and so is a {@code PARIGOT_} name at its line.
   */
  static Map<String, String> readForService(Path file, Node.Scalar written, String key,
      Problems problems) {
    if (Files.isDirectory(file)) {
      // there is something by that name, so "there is no file" would send the user looking
      problems.report(written, key + ": " + written.text() + " is a directory ("
          + file.toAbsolutePath().normalize() + "), not a file of NAME=value lines; name the "
          + "file in it");
      return Map.of();
    }
    if (!Files.isRegularFile(file)) {
      problems.report(written, key + ": there is no file " + written.text() + " ("
          + file.toAbsolutePath().normalize() + "); paths are relative to the directory of "
          + "deploy.yaml");
      return Map.of();
    }
    return read(file, problems, "PARIGOT_");
  }

  private static Map<String, String> read(Path file, Problems problems, String reserved) {
    String text;
    try {
      text = StandardCharsets.UTF_8.newDecoder()
          .onMalformedInput(CodingErrorAction.REPORT)
          .decode(java.nio.ByteBuffer.wrap(Files.readAllBytes(file))).toString();
    } catch (NoSuchFileException e) {
      return Map.of();
    } catch (CharacterCodingException e) {
      problems.report(file, 0, 0, "it is not UTF-8 text; save it as UTF-8");
      return Map.of();
    } catch (IOException e) {
      problems.report(file, 0, 0, "cannot read it: " + e.getMessage());
      return Map.of();
    }
    Map<String, String> variables = new HashMap<>();
    List<String> lines = text.lines().toList();
    for (int n = 0; n < lines.size(); n++) {
      String line = lines.get(n).strip();
      if (line.isEmpty() || line.startsWith("#")) {
        continue;
      }
      if (line.startsWith("export ")) {
        line = line.substring("export ".length()).stripLeading();
      }
      int equals = line.indexOf('=');
      String name = (equals < 0 ? line : line.substring(0, equals)).strip();
      int column = lines.get(n).indexOf(name) + 1;
      if (equals < 0) {
        problems.report(file, n + 1, column, "\"" + lines.get(n).strip() + "\" is no "
            + "NAME=value line; write NAME=value, or start the line with # for a comment");
        continue;
      }
      if (!Interpolation.isName(name)) {
        problems.report(file, n + 1, column, "\"" + name + "\" is no variable name; a name is "
            + "letters, digits and _, not starting with a digit");
        continue;
      }
      if (reserved != null && name.toUpperCase(java.util.Locale.ROOT).startsWith(reserved)) {
        problems.report(file, n + 1, column, "environment variable " + name + " is reserved: "
            + "parigot sets the PARIGOT_ variables of each service itself");
        continue;
      }
      String value = value(line.substring(equals + 1).strip());
      if (value == null) {
        problems.report(file, n + 1, column, name + "'s value opens a quote it does not close; "
            + "a value is on one line");
        continue;
      }
      variables.put(name, value);
    }
    return variables;
  }

  /** {@code dotEnv}'s variables, and over them those of {@code environment}. */
  static Map<String, String> under(Map<String, String> dotEnv, Map<String, String> environment) {
    if (dotEnv.isEmpty()) {
      return environment;
    }
    Map<String, String> all = new HashMap<>(dotEnv);
    all.putAll(environment);
    return all;
  }

  /** The value written as {@code written}; null when a quote is not closed. */
  private static String value(String written) {
    if (written.startsWith("'")) {
      int close = written.indexOf('\'', 1);
      return close < 0 ? null : written.substring(1, close);
    }
    if (written.startsWith("\"")) {
      StringBuilder value = new StringBuilder();
      for (int i = 1; i < written.length(); i++) {
        char c = written.charAt(i);
        if (c == '"') {
          return value.toString();
        }
        if (c == '\\' && i + 1 < written.length()) {
          char next = written.charAt(++i);
          value.append(switch (next) {
            case 'n' -> '\n';
            case 't' -> '\t';
            default -> next; // \" and \\, and any other character as itself
          });
        } else {
          value.append(c);
        }
      }
      return null;
    }
    int comment = written.indexOf(" #");
    return (comment < 0 ? written : written.substring(0, comment)).strip();
  }
}
