package io.parigot.orchestrator.supervise;

/** Where the supervisor reports: each service's output lines and its own messages. */
public interface DeploymentOutput {
  /** A line a service's JVM printed ({@code error}: on stderr). */
  void serviceLine(String service, String line, boolean error);

  /** A message of the orchestrator's, about the deployment. */
  void say(String message);

  /** A message of the orchestrator's about something that went wrong. */
  void warn(String message);
}
