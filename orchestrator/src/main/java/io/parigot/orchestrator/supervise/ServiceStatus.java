package io.parigot.orchestrator.supervise;

import java.util.List;

/** A snapshot of one service, as {@code parigot ps} shows it. */
public record ServiceStatus(String name, ServiceState state, long pid, String endpoint,
    long startedAtMillis, int restarts, int budgetKills, int overruns, boolean program,
    int exitCode, List<String> exports) {}
