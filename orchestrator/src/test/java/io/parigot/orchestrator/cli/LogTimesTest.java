package io.parigot.orchestrator.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.ZoneId;
import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LogTimesTest {
  @TempDir
  Path dir;

  /** A log of {@code lines} lines of 10 bytes each, line i arrived at 1000 + i. */
  private Path logOf(int lines) throws Exception {
    Path log = dir.resolve("store.log");
    ByteBuffer times = ByteBuffer.allocate(LogTimes.RECORD * lines);
    for (int i = 0; i < lines; i++) {
      times.putLong(10L * (i + 1)).putLong(1000 + i);
    }
    Files.writeString(log, "123456789\n".repeat(lines));
    Files.write(LogTimes.of(log), times.array());
    return log;
  }

  @Test
  void theTimesOfTheLinesAfterAnOffsetAreReadAndNoOthers() throws Exception {
    Path log = logOf(1000);
    for (long after : new long[] {0, 10, 15, 4990, 5000, 9990}) {
      LogTimes times = LogTimes.read(log, after);
      long first = after / 10 * 10 + 10; // the end of the first line that ends after `after`
      assertEquals(1000 + first / 10 - 1, times.timeOf(first), "after " + after);
      assertEquals(1999, times.timeOf(10_000), "after " + after);
      if (first > 10) {
        // a line before: not read, so it has no time here (logs -f has printed it already)
        assertEquals(LogTimes.NONE, times.timeOf(first - 10), "after " + after);
      }
    }
  }

  @Test
  void pastTheLastRecordNoTimeIsReadButTheLogStillCountsAsTimed() throws Exception {
    Path log = logOf(3);
    LogTimes times = LogTimes.read(log, 30);
    assertEquals(LogTimes.NONE, times.timeOf(40));
    // logs -f waits a pass for the time of a line just written to such a log
    assertFalse(times.isEmpty());
    assertEquals(1002, LogTimes.read(log, 20).timeOf(30));
  }

  @Test
  void aLogWithNoTimesFileOrAnEmptyOneHasNone() throws Exception {
    Path log = dir.resolve("cart.log");
    Files.writeString(log, "cart up\n");
    assertTrue(LogTimes.read(log, 0).isEmpty());
    Files.write(LogTimes.of(log), new byte[0]);
    assertTrue(LogTimes.read(log, 0).isEmpty());
    assertEquals(LogTimes.NONE, LogTimes.read(log, 0).timeOf(8));
  }

  @Test
  void aRecordCutShortIsLeftOut() throws Exception {
    Path log = logOf(2);
    byte[] records = Files.readAllBytes(LogTimes.of(log));
    Files.write(LogTimes.of(log), Arrays.copyOf(records, records.length - 3));
    assertEquals(1000, LogTimes.read(log, 0).timeOf(10));
    assertEquals(LogTimes.NONE, LogTimes.read(log, 0).timeOf(20));
    assertEquals(LogTimes.NONE, LogTimes.read(log, 10).timeOf(20));
  }

  /** --since and --until in local time: the zone of the machine, here a fixed one. */
  @Test
  void aLocalTimeIsReadInTheGivenZoneAndATimeOfDayIsToday() {
    ZoneId paris = ZoneId.of("Europe/Paris"); // UTC+1 in December
    long now = Instant.parse("2026-12-01T22:30:00Z").toEpochMilli(); // 23:30 in Paris
    assertEquals(Instant.parse("2026-12-01T21:00:00Z").toEpochMilli(),
        LogTimes.parse("2026-12-01T22:00:00", now, paris));
    assertEquals(Instant.parse("2026-12-01T21:00:00Z").toEpochMilli(),
        LogTimes.parse("22:00", now, paris));
    // at 00:30 in Paris it is already the 2nd there, though still the 1st in UTC
    long pastMidnight = Instant.parse("2026-12-01T23:30:00Z").toEpochMilli();
    assertEquals(Instant.parse("2026-12-01T23:15:00Z").toEpochMilli(),
        LogTimes.parse("00:15", pastMidnight, paris));
    // an offset or a Z says its own zone, whatever the machine's
    assertEquals(Instant.parse("2026-12-01T22:00:00Z").toEpochMilli(),
        LogTimes.parse("2026-12-01T22:00:00Z", now, paris));
    assertEquals(Instant.parse("2026-12-01T20:00:00Z").toEpochMilli(),
        LogTimes.parse("2026-12-01T22:00:00+02:00", now, paris));
    assertEquals(now - 90 * 60_000, LogTimes.parse("1h30m", now, paris));
  }
}
