package io.parigot.agent;

import java.io.IOException;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * The agent of one host: starts the service JVMs the orchestrator asks for, reports their output
 * and exits, and makes sure none survives it. The orchestrator embeds one for its own host.
 */
public final class LocalAgent implements AutoCloseable {
  private final List<Child> children = new CopyOnWriteArrayList<>();
  private final Thread reaper = new Thread(this::killAll, "parigot-agent-reaper");

  public LocalAgent() {
    Runtime.getRuntime().addShutdownHook(reaper);
  }

  /** Starts a child; its output and exit go to {@code listener}. */
  public Child start(ChildSpec spec, ChildListener listener) throws IOException {
    Child child = Child.start(spec, new ChildListener() {
      @Override
      public void output(Child c, String line, boolean error) {
        listener.output(c, line, error);
      }

      @Override
      public void wedged(Child c, String report, long readEpochMicros, long killedEpochMicros) {
        listener.wedged(c, report, readEpochMicros, killedEpochMicros);
      }

      @Override
      public void exited(Child c, int exitCode) {
        children.remove(c);
        listener.exited(c, exitCode);
      }
    });
    children.add(child);
    return child;
  }

  /** The children still running. */
  public List<Child> children() {
    return List.copyOf(children);
  }

  private void killAll() {
    for (Child child : children) {
      child.kill();
    }
  }

  /** Kills every child still running. */
  @Override
  public void close() {
    killAll();
    try {
      Runtime.getRuntime().removeShutdownHook(reaper);
    } catch (IllegalStateException e) {
      // already shutting down: the hook runs anyway
    }
  }
}
