package io.parigot.orchestrator.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import io.parigot.control.v1.ServiceStatus;
import io.parigot.control.v1.StatusRequest;
import io.parigot.control.v1.StatusResponse;
import io.parigot.orchestrator.supervise.ServiceNames;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code parigot ps [NAME...]}: the services of the running deployment (or those named). */
@Command(name = "ps", mixinStandardHelpOptions = true,
    description = "Lists the services of the running deployment (or those named): state, pid, "
        + "endpoint, uptime, restarts, budget kills and overruns.")
final class PsCommand implements Callable<Integer> {
  @Mixin
  DeploymentOption deployment;

  @Option(names = "--json", description = "Print JSON, for scripts.")
  boolean json;

  @Parameters(arity = "0..*", paramLabel = "NAME",
      description = "Only these services, in the deployment's order (default: every service).")
  List<String> names = List.of();

  @Override
  public Integer call() throws Exception {
    StatusResponse status;
    try (ControlClient client = new ControlClient(deployment.running())) {
      status = client.stub().status(StatusRequest.getDefaultInstance());
    }
    Optional<String> unknown = unknown(status, names);
    if (unknown.isPresent()) {
      System.err.println("parigot: " + deployment.fromHere(unknown.get()));
      return 2;
    }
    status = only(status, names);
    long now = System.currentTimeMillis();
    if (json) {
      System.out.println(new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT)
          .writeValueAsString(document(status, now)));
    } else {
      System.out.print(table(status, now));
    }
    return 0;
  }

  /**
   * What ps says of the {@code names} that are no service of the deployment in {@code status}:
   * each of them (with the service it is a slip of) and the services there are; of those that
   * {@code parigot up FILE SERVICE...} left out, that it did, as kill, stop and start say it.
   * Empty when every one is a service.
   */
  static Optional<String> unknown(StatusResponse status, List<String> names) {
    return ServiceNames.notRunning(status.getDeployment(), names, status.getServicesList()
        .stream().map(ServiceStatus::getName).toList(), status.getLeftOutList());
  }


  /** {@code status} with only the services {@code names} names (all when it is empty). */
  static StatusResponse only(StatusResponse status, List<String> names) {
    if (names.isEmpty()) {
      return status;
    }
    // in the deployment's order, as the whole table lists them, not the order named
    return status.toBuilder().clearServices().addAllServices(status.getServicesList().stream()
        .filter(s -> names.contains(s.getName())).toList()).build();
  }

  /** What {@code --json} prints. */
  static Map<String, Object> document(StatusResponse status, long now) {
    List<Map<String, Object>> services = new ArrayList<>();
    for (ServiceStatus s : status.getServicesList()) {
      Map<String, Object> row = new LinkedHashMap<>();
      row.put("name", s.getName());
      row.put("state", s.getState());
      row.put("exit_code", hasEnded(s) ? s.getExitCode() : null);
      // no process: no pid, no uptime, nowhere to call (null, not 0 or the last one's address)
      row.put("pid", s.getPid() == 0 ? null : s.getPid());
      row.put("endpoint", s.getPid() == 0 || endpoint(s).isEmpty() ? null : endpoint(s));
      row.put("uptime_seconds", s.getPid() == 0 ? null : (now - s.getStartedAtMillis()) / 1000);
      row.put("restarts", s.getRestarts());
      row.put("budget_kills", s.getBudgetKills());
      row.put("overruns", s.getOverruns());
      row.put("program", s.getProgram());
      row.put("exports", s.getExportsList());
      services.add(row);
    }
    Map<String, Object> document = new LinkedHashMap<>();
    document.put("deployment", status.getDeployment());
    document.put("orchestrator_pid", status.getOrchestratorPid());
    document.put("services", services);
    return document;
  }

  /** What {@code ps} prints: a header and a line per service, in aligned columns. */
  static String table(StatusResponse status, long now) {
    int names = Math.max(16, status.getServicesList().stream()
        .mapToInt(s -> s.getName().length()).max().orElse(0));
    String format = "%-" + names + "s %-12s %-8s %-21s %-8s %-8s %-12s %s%n";
    StringBuilder table = new StringBuilder(String.format(format, "NAME", "STATE", "PID",
        "ENDPOINT", "UPTIME", "RESTARTS", "BUDGET-KILLS", "OVERRUNS"));
    for (ServiceStatus s : status.getServicesList()) {
      table.append(String.format(format, s.getName(),
          shownState(s.getState(), s.getExitCode()),
          s.getPid() == 0 ? "-" : s.getPid(),
          s.getPid() == 0 || endpoint(s).isEmpty() ? "-" : endpoint(s),
          s.getPid() == 0 ? "-" : uptime(Duration.ofMillis(now - s.getStartedAtMillis())),
          s.getRestarts(), s.getBudgetKills(), s.getOverruns()));
    }
    return table.toString();
  }

  /** Whether {@code s} ended for good (exited or failed), so that its exit code is its last. */
  private static boolean hasEnded(ServiceStatus s) {
    return hasEnded(s.getState());
  }

  private static boolean hasEnded(String state) {
    return state.equals("exited") || state.equals("failed");
  }

  /**
   * A service's state as the table shows it: with the code it last exited with when it ended
   * for good, {@code failed (137)}.
   */
  static String shownState(String state, int exitCode) {
    return hasEnded(state) ? state + " (" + exitCode + ")" : state;
  }

  private static String endpoint(ServiceStatus s) {
    return s.hasEndpoint() ? s.getEndpoint().getHost() + ":" + s.getEndpoint().getPort() : "";
  }

  static String uptime(Duration d) {
    long seconds = d.toSeconds();
    if (seconds < 60) {
      return seconds + "s";
    }
    if (seconds < 3600) {
      return seconds / 60 + "m" + seconds % 60 + "s";
    }
    return seconds / 3600 + "h" + seconds % 3600 / 60 + "m";
  }
}
