package io.parigot.junit;

import io.parigot.deploy.DeployFile;
import io.parigot.deploy.DeployFileException;
import io.parigot.deploy.Deployment;
import io.parigot.deploy.FileAgainstCode;
import io.parigot.deploy.Problem;
import io.parigot.deploy.ServiceSpec;
import io.parigot.sdk.Together;
import java.io.IOException;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.jar.JarFile;
import java.util.jar.Manifest;
import java.util.stream.Collectors;

/**
 * A deploy.yaml, read to run its services {@link Together} in this JVM.
 *
 * <pre>{@code
 * int code = DeployYaml.together(Path.of("deploy.yaml")).build().run();
 * }</pre>
 *
 * <p>or from a shell, to debug a deployment as one program: {@code java -cp CLASSPATH
 * io.parigot.junit.DeployYaml deploy.yaml} (exits with the program's code, or 2 with the file's
 * problems on stderr).
 *
 * <p>The file is checked as {@code parigot up} checks it, by the same code, and a file it would
 * refuse is refused here with the same problems in the same words, every one as {@code
 * file:line:column: message}. Only the checks of this machine are left out (that the jars and
 * classpath entries exist and hold the main classes, that {@code java:} is a JDK 17 or newer):
 * the main classes are loaded from this JVM's classpath instead, and in a {@code mvn test} the
 * jars the file names are not built yet. Of each service only its main class ({@code main:}, or
 * the {@code Main-Class} of its {@code jar:}), {@code args} and {@code program} are used; {@code
 * env}, {@code jvm_options}, {@code java}, {@code restart} and {@code budget} do not apply in
 * one JVM.
 */
public final class DeployYaml {
  /** One service of the file, as together mode runs it. */
  record Service(String name, Together.Main main, List<String> args, boolean program,
      ServiceSpec spec) {}

  private DeployYaml() {}

  /**
   * A Together runtime of every service and the program of {@code deployYaml}.
   *
   * @throws IllegalArgumentException when the file has problems or a service's main class is
   *     not on this JVM's classpath: its message lists every one as {@code file:line:column:
   *     message}; for the file's own problems, its cause is the {@link DeployFileException}
   */
  public static Together.Builder together(Path deployYaml) {
    Together.Builder builder = Together.builder();
    addTo(builder, read(deployYaml, true), true);
    return builder;
  }

  /**
   * Runs the deploy.yaml given as the one argument together in this JVM; exits with its
   * program's code, or with 2 and every problem on stderr when the file has any.
   */
  public static void main(String[] args) throws InterruptedException {
    if (args.length != 1) {
      System.err.println("usage: java -cp CLASSPATH io.parigot.junit.DeployYaml DEPLOY.YAML");
      System.exit(2);
    }
    Together together;
    try {
      together = together(Path.of(args[0])).build();
    } catch (IllegalArgumentException e) {
      System.err.println(e.getMessage());
      System.exit(2);
      return;
    }
    System.exit(together.run());
  }

  static void addTo(Together.Builder builder, List<Service> services, boolean withProgram) {
    for (Service service : services) {
      String[] args = service.args().toArray(String[]::new);
      if (!service.program()) {
        builder.service(service.name(), service.main(), args);
      } else if (withProgram) {
        builder.program(service.name(), service.main(), args);
      } else {
        continue;
      }
      // the file's requires: and exports:, when it has them, against what the code declares
      ServiceSpec spec = service.spec();
      builder.checkRegistration(service.name(), (exports, requires) -> FileAgainstCode
          .requires(spec, new LinkedHashSet<>(requires))
          .or(() -> FileAgainstCode.exports(spec, new LinkedHashSet<>(exports))));
    }
  }

  /**
   * The services of {@code deployYaml}, their mains found on this JVM's classpath; the
   * program's too when {@code withProgram} (it runs), else it is left out unlooked at.
   */
  static List<Service> read(Path deployYaml, boolean withProgram) {
    if (Files.isDirectory(deployYaml)) {
      deployYaml = deployYaml.resolve("deploy.yaml"); // as parigot up takes a directory
    }
    Deployment deployment;
    try {
      deployment = DeployFile.loadWithoutMachineChecks(deployYaml);
    } catch (DeployFileException e) {
      throw refused(deployYaml, e.problems(), e);
    }
    List<Problem> problems = new ArrayList<>();
    List<Service> services = new ArrayList<>();
    for (ServiceSpec spec : deployment.services()) {
      if (spec.isProgram() && !withProgram) {
        continue;
      }
      mainOf(deployYaml, deployment.directory(), spec, problems).ifPresent(main ->
          services.add(new Service(spec.name(), main, spec.args(), spec.isProgram(), spec)));
    }
    if (!problems.isEmpty()) {
      throw refused(deployYaml, problems, null);
    }
    return services;
  }

  /** Every problem on a line of its own, then how many, as {@code parigot up} prints them. */
  private static IllegalArgumentException refused(Path file, List<Problem> problems,
      DeployFileException cause) {
    return new IllegalArgumentException(problems.stream().map(Problem::toString)
        .collect(Collectors.joining("\n")) + "\n"
        + DeployFileException.nothingStarted(file, problems.size()), cause);
  }

  /** The service's main method, from this JVM's classpath; empty after reporting why not. */
  private static Optional<Together.Main> mainOf(Path file, Path directory, ServiceSpec spec,
      List<Problem> problems) {
    Optional<String> mainClass = spec.mainClass().isPresent() ? spec.mainClass()
        : manifestMain(file, directory, spec, problems);
    if (mainClass.isEmpty()) {
      return Optional.empty();
    }
    Method main;
    Class<?> type = null;
    try {
      type = Class.forName(mainClass.get(), false,
          Thread.currentThread().getContextClassLoader());
      main = type.getMethod("main", String[].class);
    } catch (NoSuchMethodException e) {
      // the class is there: saying it is not would send the user looking at the classpath
      problems.add(problem(file, spec, "main class " + mainClass.get() + " of service "
          + spec.name() + (type.isInterface() ? " is an interface without" : " has no")
          + " public static void main(String[]); name the class whose main "
          + (spec.isProgram() ? "runs the program" : "exports the service (its "
              + "Parigot.service(...).run())")
          + (type.isInterface() ? ", not the interface it implements" : "")));
      return Optional.empty();
    } catch (ClassNotFoundException e) {
      problems.add(problem(file, spec, "main class " + mainClass.get() + " of service "
          + spec.name() + " (with a public static main(String[])) is not on this JVM's "
          + "classpath; together mode runs services from the classpath of the test (or of java "
          + "-cp), not from jar: or classpath:"));
      return Optional.empty();
    } catch (LinkageError e) {
      // the class is there, but not what it needs (a class it uses, or a newer JDK)
      problems.add(problem(file, spec, "main class " + mainClass.get() + " of service "
          + spec.name() + " is on this JVM's classpath but cannot be loaded: " + e
          + (e instanceof NoClassDefFoundError ? " (a class it uses is not on the classpath: "
              + "is a dependency missing from the test's?)" : "")));
      return Optional.empty();
    }
    if (!Modifier.isStatic(main.getModifiers())) {
      problems.add(problem(file, spec, mainClass.get() + ".main(String[]) of service "
          + spec.name() + " is not static"));
      return Optional.empty();
    }
    return Optional.of(args -> {
      try {
        main.invoke(null, (Object) args);
      } catch (InvocationTargetException e) {
        Throwable cause = e.getCause();
        if (cause instanceof Exception exception) {
          throw exception;
        }
        throw (Error) cause;
      }
    });
  }

  /**
   * The {@code Main-Class} of a {@code jar:} service's jar: the one thing together mode needs
   * from a jar, and so the one case where it has to be built.
   */
  private static Optional<String> manifestMain(Path file, Path directory, ServiceSpec spec,
      List<Problem> problems) {
    Path jar = spec.jar().orElseThrow();
    String shown = jar.startsWith(directory) ? directory.relativize(jar).toString()
        : jar.toString();
    if (!Files.isRegularFile(jar)) {
      problems.add(problem(file, spec, "service " + spec.name() + " runs jar " + shown
          + ", which is not there (looked for " + jar + "); together mode takes the main class "
          + "from its manifest: build the jar first, or give the service classpath: and main: "
          + "instead"));
      return Optional.empty();
    }
    try (JarFile opened = new JarFile(jar.toFile())) {
      Manifest manifest = opened.getManifest();
      String main = manifest == null ? null : manifest.getMainAttributes().getValue("Main-Class");
      if (main != null && !main.isBlank()) {
        return Optional.of(main.strip());
      }
      problems.add(problem(file, spec, "jar " + shown + " of service " + spec.name()
          + " has no Main-Class in its manifest; give the service classpath: and main: "
          + "instead"));
    } catch (IOException e) {
      problems.add(problem(file, spec, "jar " + shown + " of service " + spec.name()
          + " cannot be read as a jar: " + e.getMessage()));
    }
    return Optional.empty();
  }

  /** A problem at the service's key, in the file as it was named (like the file's own). */
  private static Problem problem(Path file, ServiceSpec spec, String message) {
    return new Problem(file, spec.line(), spec.column(), message);
  }
}
