package io.parigot.orchestrator.supervise;

import java.time.Duration;

/**
 * What {@code parigot stop} did to one service: the pid of the JVM asked to stop, and how long
 * it may take to exit (its stop grace period); or, for a service that had no JVM ({@code
 * stoppedPid} 0), the state it was in and the code it last exited with. A {@code RESTARTING}
 * state there is a restart that was due and is cancelled: the service is stopped now.
 */
public record Stopped(String name, long stoppedPid, Duration exitWithin, ServiceState state,
    int exitCode) {}
