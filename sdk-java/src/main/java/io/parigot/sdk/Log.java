package io.parigot.sdk;

import java.io.PrintStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.function.Supplier;

/**
 * A service's logger, from {@link Context#log()}: every line starts with the service's name, so
 * the lines of services running {@link Together} in one JVM stay apart, as they do under {@code
 * parigot up}. Info goes to {@code System.out}; warnings and errors to {@code System.err}.
 *
 * <pre>{@code
 * context.log().info("serving " + words.size() + " tongues");    // greeting: serving 3 tongues
 * }</pre>
 */
public final class Log {
  private final Supplier<String> serviceName;

  Log(Supplier<String> serviceName) {
    this.serviceName = serviceName;
  }

  /** Logs what the service does, for the person watching it run. */
  public void info(String text) {
    print(System.out, text);
  }

  /** Logs something that went wrong but that the service handles. */
  public void warn(String text) {
    print(System.err, "warning: " + text);
  }

  /** Logs a failure and its stack trace. */
  public void error(String text, Throwable failure) {
    StringWriter trace = new StringWriter();
    if (failure != null) {
      failure.printStackTrace(new PrintWriter(trace));
    }
    print(System.err, "error: " + text + (failure == null ? "" : "\n" + trace.toString().stripTrailing()));
  }

  private void print(PrintStream out, String text) {
    String prefix = serviceName.get() + ": ";
    StringBuilder lines = new StringBuilder();
    text.lines().forEach(line -> lines.append(prefix).append(line).append('\n'));
    out.print(lines);
    out.flush();
  }
}
