package io.parigot.orchestrator.supervise;

import java.time.Duration;

/**
 * What {@code parigot restart} started: the pid asked to stop (0 when the service had none), and
 * how long the service may take to be ready again by its own settings: its stop grace period
 * (for a JVM still running) and its startup timeout.
 */
public record Restarted(long stoppedPid, Duration readyWithin) {}
