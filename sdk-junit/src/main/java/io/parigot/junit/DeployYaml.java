package io.parigot.junit;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.parigot.sdk.Together;
import java.io.IOException;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

/**
 * A deploy.yaml, read to run its services {@link Together} in this JVM.
 *
 * <pre>{@code
 * int code = DeployYaml.together(Path.of("deploy.yaml")).build().run();
 * }</pre>
 *
 * <p>or from a shell, to debug a deployment as one program: {@code java -cp CLASSPATH
 * io.parigot.junit.DeployYaml deploy.yaml} (exits with the program's code).
 *
 * <p>Of each service only {@code main}, {@code args} and {@code program} are used: the main
 * classes are loaded from this JVM's classpath (not from {@code jar} or {@code classpath}), and
 * {@code env}, {@code jvm_options}, {@code restart} and {@code budget} do not apply in one JVM.
 * The orchestrator's checks (line and column of every mistake) are {@code parigot up}'s job;
 * this reader only says which service is wrong.
 */
public final class DeployYaml {
  /** One service of the file, as together mode uses it. */
  record Service(String name, String mainClass, List<String> args, boolean program) {}

  private DeployYaml() {}

  /** A Together runtime of every service and the program of {@code deployYaml}. */
  public static Together.Builder together(Path deployYaml) {
    Together.Builder builder = Together.builder();
    addTo(builder, read(deployYaml), true);
    return builder;
  }

  /** Runs the deploy.yaml given as the one argument together in this JVM; exits with its code. */
  public static void main(String[] args) throws InterruptedException {
    if (args.length != 1) {
      System.err.println("usage: java -cp CLASSPATH io.parigot.junit.DeployYaml DEPLOY.YAML");
      System.exit(2);
    }
    int code;
    try {
      code = together(Path.of(args[0])).build().run();
    } catch (IllegalArgumentException e) {
      System.err.println(e.getMessage());
      code = 2;
    }
    System.exit(code);
  }

  static void addTo(Together.Builder builder, List<Service> services, boolean withProgram) {
    for (Service service : services) {
      String[] args = service.args().toArray(String[]::new);
      if (!service.program()) {
        builder.service(service.name(), mainOf(service), args);
      } else if (withProgram) {
        builder.program(service.name(), mainOf(service), args);
      }
    }
  }

  static List<Service> read(Path deployYaml) {
    JsonNode top;
    try {
      top = new ObjectMapper(new YAMLFactory()).readTree(deployYaml.toFile());
    } catch (IOException e) {
      throw new IllegalArgumentException(deployYaml + ": cannot be read: " + e.getMessage(), e);
    }
    JsonNode services = top == null ? null : top.get("services");
    if (services == null || !services.isObject()) {
      throw new IllegalArgumentException(deployYaml + ": has no services: map");
    }
    List<Service> read = new ArrayList<>();
    for (Iterator<Map.Entry<String, JsonNode>> it = services.fields(); it.hasNext(); ) {
      Map.Entry<String, JsonNode> entry = it.next();
      JsonNode spec = entry.getValue();
      JsonNode main = spec.get("main");
      if (main == null || !main.isTextual()) {
        throw new IllegalArgumentException(deployYaml + ": service \"" + entry.getKey()
            + "\" has no main class; together mode needs main: even with jar:");
      }
      List<String> args = new ArrayList<>();
      if (spec.has("args")) {
        spec.get("args").forEach(arg -> args.add(arg.asText()));
      }
      read.add(new Service(entry.getKey(), main.asText(), args,
          spec.has("program") && spec.get("program").asBoolean()));
    }
    return read;
  }

  private static Together.Main mainOf(Service service) {
    Method main;
    try {
      Class<?> type = Class.forName(service.mainClass(), false,
          Thread.currentThread().getContextClassLoader());
      main = type.getMethod("main", String[].class);
    } catch (ClassNotFoundException | NoSuchMethodException e) {
      throw new IllegalArgumentException("service \"" + service.name() + "\": main class "
          + service.mainClass() + " (with a public static main(String[])) is not on this JVM's "
          + "classpath; together mode loads services from the classpath, not from jar:/classpath:",
          e);
    }
    if (!Modifier.isStatic(main.getModifiers())) {
      throw new IllegalArgumentException("service \"" + service.name() + "\": "
          + service.mainClass() + ".main(String[]) is not static");
    }
    return args -> {
      try {
        main.invoke(null, (Object) args);
      } catch (InvocationTargetException e) {
        Throwable cause = e.getCause();
        if (cause instanceof Exception exception) {
          throw exception;
        }
        throw (Error) cause;
      }
    };
  }
}
