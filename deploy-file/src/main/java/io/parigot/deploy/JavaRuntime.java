package io.parigot.deploy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The JDK a service runs on: the orchestrator's own unless deploy.yaml gives {@code java:}. Its
 * version comes from the {@code release} file in the JDK's home directory, read once when the
 * deploy.yaml is loaded, so learning it starts no JVM.
 *
 * @param executable the {@code java} launcher the service is started with
 * @param home the JDK's home directory (the one holding {@code bin/java})
 * @param version the JDK's full version, like {@code 25.0.3+9-LTS}; empty when unknown
 * @param feature the feature release, like 17 or 25; 0 when unknown (no release file)
 */
public record JavaRuntime(Path executable, Path home, String version, int feature) {
  private static final Pattern RELEASE_LINE = Pattern.compile("([A-Z_]+)=\"?([^\"]*)\"?");
  private static final Pattern FEATURE = Pattern.compile("(?:1\\.)?(\\d+).*");

  /** The JDK the orchestrator itself runs on: what services get by default. */
  public static JavaRuntime current() {
    Path home = Path.of(System.getProperty("java.home"));
    return new JavaRuntime(home.resolve("bin").resolve("java"), home,
        Runtime.version().toString(), Runtime.version().feature());
  }

  /** Whether the release file told the version. */
  public boolean isVersionKnown() {
    return feature > 0;
  }

  /**
   * The JDK whose launcher is {@code executable}, its version read from {@code home}'s release
   * file; a JDK without one (or an unreadable one) has an unknown version.
   */
  static JavaRuntime of(Path executable, Path home) {
    Path release = home.resolve("release");
    String version = "";
    int feature = 0;
    try {
      String full = null;
      String plain = null;
      for (String line : Files.readAllLines(release)) {
        Matcher m = RELEASE_LINE.matcher(line.strip());
        if (m.matches() && m.group(1).equals("JAVA_RUNTIME_VERSION")) {
          full = m.group(2);
        } else if (m.matches() && m.group(1).equals("JAVA_VERSION")) {
          plain = m.group(2);
        }
      }
      Optional<Integer> parsed = plain == null ? Optional.empty() : feature(plain);
      if (parsed.isPresent()) {
        feature = parsed.get();
        version = full != null ? full : plain;
      }
    } catch (IOException e) {
      // no release file: the version stays unknown, which the caller handles
    }
    return new JavaRuntime(executable, home, version, feature);
  }

  /** 25 from {@code 25.0.3}, 17 from {@code 17}, 8 from {@code 1.8.0_292}. */
  static Optional<Integer> feature(String javaVersion) {
    Matcher m = FEATURE.matcher(javaVersion);
    if (!m.matches() || m.group(1).length() > 4) {
      return Optional.empty();
    }
    return Optional.of(Integer.parseInt(m.group(1)));
  }
}
