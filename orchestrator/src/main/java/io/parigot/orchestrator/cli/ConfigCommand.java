package io.parigot.orchestrator.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLGenerator;
import io.parigot.deploy.DeployFile;
import io.parigot.deploy.DeployFileException;
import io.parigot.deploy.Deployment;
import io.parigot.deploy.RestartPolicy;
import io.parigot.deploy.ServiceSpec;
import java.io.IOException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code parigot config [FILE]}: checks a deploy.yaml as {@code up} does and prints it resolved,
 * as docker compose's {@code config} does: its variables, .env, env_file, anchors and merge keys
 * read, its paths made absolute, every default written out. Starts nothing.
 */
@Command(name = "config", mixinStandardHelpOptions = true,
    description = "Checks a deploy.yaml as up does, starting nothing, and prints it resolved: "
        + "variables, .env, env_file, aliases and merge keys read, paths absolute, defaults "
        + "written out. Exit code 2 when it has problems, which are listed.")
final class ConfigCommand implements Callable<Integer> {
  @Parameters(index = "0", arity = "0..1", paramLabel = "FILE",
      description = "The deployment file, or a directory holding a deploy.yaml (default: "
          + "deploy.yaml).")
  Path file;

  @Option(names = "--file", paramLabel = "FILE", description = "The same as FILE.")
  Path fileOption;

  @Option(names = {"-q", "--quiet"}, description = "Only check: print nothing when the file "
      + "is good.")
  boolean quiet;

  @Override
  public Integer call() throws IOException {
    Path named = UpCommand.deployFile("config", file, fileOption);
    if (named == null) {
      return 2;
    }
    Deployment deployment;
    try {
      deployment = DeployFile.load(named);
    } catch (DeployFileException e) {
      System.err.println(e.getMessage());
      System.err.println("parigot: " + named + " has " + e.problems().size()
          + (e.problems().size() == 1 ? " problem." : " problems."));
      return 2;
    }
    if (!quiet) {
      ObjectMapper yaml = new ObjectMapper(new YAMLFactory()
          .disable(YAMLGenerator.Feature.WRITE_DOC_START_MARKER)
          .enable(YAMLGenerator.Feature.MINIMIZE_QUOTES));
      System.out.print(yaml.writeValueAsString(document(deployment)));
    }
    return 0;
  }

  /**
   * The deployment as a deploy.yaml that reads back as the same deployment: a {@code $} of a
   * value is written {@code $$}, which the file's variables would otherwise read.
   */
  static Map<String, Object> document(Deployment deployment) {
    Map<String, Object> document = new LinkedHashMap<>();
    document.put("name", deployment.name());
    Map<String, Object> services = new LinkedHashMap<>();
    for (ServiceSpec s : deployment.services()) {
      Map<String, Object> service = new LinkedHashMap<>();
      if (s.jar().isPresent()) {
        service.put("jar", text(s.jar().get().toString()));
      } else {
        service.put("classpath", s.classpath().stream().map(p -> text(p.toString())).toList());
        s.mainClass().ifPresent(main -> service.put("main", main));
      }
      service.put("args", texts(s.args()));
      Map<String, String> env = new TreeMap<>();
      s.env().forEach((k, v) -> env.put(k, text(v)));
      service.put("env", env);
      service.put("jvm_options", texts(s.jvmOptions()));
      service.put("java", text(s.java().home().toString()));
      service.put("program", s.isProgram());
      if (s.declaresRequires()) {
        service.put("requires", s.requires());
      }
      if (!s.exports().isEmpty() || s.exportsAt().isPresent()) {
        service.put("exports", s.exports());
      }
      RestartPolicy restart = s.restart();
      Map<String, Object> policy = new LinkedHashMap<>();
      policy.put("policy", restart.mode().yaml());
      policy.put("max_restarts", restart.maxRestarts());
      policy.put("window", DeployFile.durationText(restart.window()));
      policy.put("backoff", DeployFile.durationText(restart.initialBackoff()));
      policy.put("max_backoff", DeployFile.durationText(restart.maxBackoff()));
      service.put("restart", policy);
      service.put("startup_timeout", DeployFile.durationText(s.startupTimeout()));
      service.put("stop_grace_period", DeployFile.durationText(s.stopGrace()));
      // none: each method's own budget from its .proto, else 50 ms
      s.budget().ifPresent(b -> service.put("budget", DeployFile.durationText(b)));
      service.put("archive", s.archive());
      services.put(s.name(), service);
    }
    document.put("services", services);
    return document;
  }

  private static List<String> texts(List<String> values) {
    return values.stream().map(ConfigCommand::text).toList();
  }

  private static String text(String value) {
    return value.replace("$", "$$");
  }
}
