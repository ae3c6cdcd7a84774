package io.parigot.orchestrator.control;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.util.Optional;

/**
 * Tells the orchestrator a control.json names from another process that has its pid since. An
 * orchestrator killed (SIGKILL, a power cut) leaves its control.json; after a reboot, or in a
 * container started again, whose pids start afresh, its pid soon belongs to another process,
 * and every verb would try to reach a control plane that is not there, and up refuse to start.
 */
public final class PidReuse {
  /** Linux tells a process's start to the second of the boot's. */
  private static final long MARGIN_SECONDS = 2;

  private PidReuse() {}

  /**
   * Whether the live process {@code pid} is not the orchestrator that wrote {@code record}: it
   * started after the record was written, and nothing holds the {@code lock} the orchestrator
   * holds while it runs ({@code lockedHere}: this JVM holds it). The lock is looked at only
   * then: a clock set forward since the orchestrator started makes it look younger than its
   * record, and its lock still says it runs.
   */
  static boolean isReused(long pid, Path record, Path lock, boolean lockedHere) {
    try {
      if (!startedAfter(pid, Files.getLastModifiedTime(record).toInstant())) {
        return false;
      }
    } catch (IOException e) {
      return false; // gone since: the next look finds no record
    }
    return !lockedHere && !isHeld(lock);
  }

  /**
   * Whether the live process {@code pid} started after {@code written}, so that it is not what
   * wrote a file then but has its pid since (after a reboot, say); false when its start cannot
   * be told.
   */
  public static boolean startedAfter(long pid, Instant written) {
    Optional<Instant> started = ProcessHandle.of(pid).flatMap(p -> p.info().startInstant());
    return started.isPresent() && started.get().isAfter(written.plusSeconds(MARGIN_SECONDS));
  }

  /** Whether another process holds {@code lock}; true when it cannot be told (no locks here). */
  private static boolean isHeld(Path lock) {
    try (FileChannel channel = FileChannel.open(lock, StandardOpenOption.WRITE)) {
      FileLock probe = channel.tryLock();
      if (probe == null) {
        return true;
      }
      probe.release();
      return false;
    } catch (NoSuchFileException e) {
      return false;
    } catch (IOException | OverlappingFileLockException e) {
      // a file system without locks (some NFS and FUSE mounts): the pid has the last word
      return true;
    }
  }
}
