package io.parigot.orchestrator.supervise;

import java.time.Duration;

/**
 * What {@code parigot start} did to one service: nothing, for one that {@code wasRunning} in
 * the JVM {@code pid}; otherwise it starts, and may take {@code readyWithin} to be ready (its
 * startup timeout, and its stop grace period when {@code pid} is a JVM still ending, which it
 * starts once that has exited; {@code pid} is 0 when the service had none).
 */
public record Started(String name, boolean wasRunning, long pid, Duration readyWithin) {}
