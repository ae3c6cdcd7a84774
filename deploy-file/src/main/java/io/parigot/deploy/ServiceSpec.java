package io.parigot.deploy;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * One service of a deploy.yaml: where its code is and how to run and supervise it.
 *
 * @param name the service's key under {@code services:}
 * @param jar the jar to run with {@code java -jar}, when the service names one
 * @param classpath classpath entries, when the service runs a main class instead of a jar
 * @param mainClass the main class to run with the classpath
 * @param args program arguments
 * @param env extra environment variables
 * @param jvmOptions JVM options, placed before the class or jar
 * @param java the JDK it runs on: its own {@code java:}, else the deployment's, else the
 *     orchestrator's
 * @param program whether this is the program: it runs to completion and its exit code ends the
 *     deployment
 * @param requires proto service names this service requires, as declared in the file (the code
 *     declares its own at registration too); empty when the file gives none
 * @param requiresAt where the service's {@code requires:} key is, when the file gives one: the
 *     requirements its code declares when it registers must then be exactly these
 * @param exports proto service names this service exports, as declared in the file
 * @param exportsAt where the service's {@code exports:} key is, when the file gives one: the
 *     services its code exports when it registers must then be exactly these
 * @param restart what happens when it exits
 * @param startupTimeout how long it may take to become ready
 * @param stopGrace how long it has between SIGTERM and SIGKILL when it is stopped
 * @param budget the call budget of its methods, when not the default
 * @param archive whether it may start from a class-data archive (yaml {@code archive: false}
 *     turns that off for this service)
 * @param line the line of its key in the file, for messages
 * @param column the column of its key in the file
 */
public record ServiceSpec(
    String name,
    Optional<Path> jar,
    List<Path> classpath,
    Optional<String> mainClass,
    List<String> args,
    Map<String, String> env,
    List<String> jvmOptions,
    JavaRuntime java,
    boolean program,
    List<String> requires,
    Optional<Position> requiresAt,
    List<String> exports,
    Optional<Position> exportsAt,
    RestartPolicy restart,
    Duration startupTimeout,
    Duration stopGrace,
    Optional<Duration> budget,
    boolean archive,
    int line,
    int column) {

  /** The default time a service has to become ready. */
  public static final Duration DEFAULT_STARTUP_TIMEOUT = Duration.ofSeconds(30);

  /** The default time a stopped service has between SIGTERM and SIGKILL. */
  public static final Duration DEFAULT_STOP_GRACE = Duration.ofSeconds(5);
  /** The longest stop_grace_period: {@code parigot down} waits for it. */
  public static final Duration MAX_STOP_GRACE = Duration.ofMinutes(1);

  /** A spec with the default stop grace period. */
  public ServiceSpec(String name, Optional<Path> jar, List<Path> classpath,
      Optional<String> mainClass, List<String> args, Map<String, String> env,
      List<String> jvmOptions, JavaRuntime java, boolean program, List<String> requires,
      Optional<Position> requiresAt, List<String> exports, Optional<Position> exportsAt,
      RestartPolicy restart, Duration startupTimeout, Optional<Duration> budget, boolean archive,
      int line, int column) {
    this(name, jar, classpath, mainClass, args, env, jvmOptions, java, program, requires,
        requiresAt, exports, exportsAt, restart, startupTimeout, DEFAULT_STOP_GRACE, budget,
        archive, line, column);
  }

  public ServiceSpec {
    classpath = List.copyOf(classpath);
    args = List.copyOf(args);
    env = Map.copyOf(env);
    jvmOptions = List.copyOf(jvmOptions);
    requires = List.copyOf(requires);
    exports = List.copyOf(exports);
  }

  /** Whether this is the program: it runs to completion and its exit ends the deployment. */
  public boolean isProgram() {
    return program;
  }

  /** Whether the file lists this service's requirements, so that its code is checked against it. */
  public boolean declaresRequires() {
    return requiresAt.isPresent();
  }
}
