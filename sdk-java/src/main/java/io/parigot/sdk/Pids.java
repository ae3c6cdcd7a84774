package io.parigot.sdk;

import io.parigot.control.ProcStat;
import java.util.Optional;

/**
 * This JVM's process id and its parent's, as the registry and the orphan watch need them. Read
 * from {@code /proc/self/stat} where there is one (Linux): the first use of {@link
 * ProcessHandle} sets up its native side, about 4 ms of a starting JVM's CPU, against a
 * fraction of a millisecond for the file. Elsewhere, {@link ProcessHandle}.
 */
final class Pids {
  private Pids() {}

  /** This JVM's process id. */
  static long self() {
    return ProcStat.self().map(ProcStat::pid).orElseGet(() -> ProcessHandle.current().pid());
  }

  /**
   * The process id of this JVM's parent now, or -1 when it has none (as {@link ProcessHandle}
   * says: a parent outside this JVM's pid namespace reads as 0 in /proc).
   */
  static long parent() {
    Optional<ProcStat> self = ProcStat.self();
    if (self.isEmpty()) {
      return ProcessHandle.current().parent().map(ProcessHandle::pid).orElse(-1L);
    }
    return self.get().parentPid() > 0 ? self.get().parentPid() : -1;
  }
}
