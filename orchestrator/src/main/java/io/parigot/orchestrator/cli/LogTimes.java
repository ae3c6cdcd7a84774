package io.parigot.orchestrator.cli;

import io.parigot.deploy.DeployFile;
import java.io.BufferedOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.Arrays;
import java.util.Optional;

/**
 * When each line of a service's log arrived: {@code NAME.times} beside {@code NAME.log}, one
 * record of {@value #RECORD} bytes a line (where the line ends in the log, then its epoch
 * millis, both big-endian longs). The log itself stays as the service wrote it; a record cut
 * short by a crash, or a log with no times file (written by an older parigot), only leaves
 * those lines without a time.
 */
final class LogTimes {
  static final int RECORD = 16;

  /** A line with no recorded time. */
  static final long NONE = Long.MIN_VALUE;

  private final long[] ends;
  private final long[] millis;
  private final int size;
  /** Whether the times file has any record, of the lines read or of those before them. */
  private final boolean recorded;

  private LogTimes(long[] ends, long[] millis, int size, boolean recorded) {
    this.ends = ends;
    this.millis = millis;
    this.size = size;
    this.recorded = recorded;
  }

  static Path of(Path log) {
    String file = log.getFileName().toString();
    return log.resolveSibling(file.substring(0, file.length() - ".log".length()) + ".times");
  }

  /**
   * The times recorded for the lines of {@code log} that end after {@code after}: none when
   * there is no times file. Only those records are read (found by a binary search of the file,
   * whose records are in the order of the log's lines), so that {@code logs -f} with times,
   * which reads again at every pass, does not read the whole file of a long log each time.
   */
  static LogTimes read(Path log, long after) throws IOException {
    try (FileChannel file = FileChannel.open(of(log), StandardOpenOption.READ)) {
      long count = file.size() / RECORD; // a record cut short is left out
      ByteBuffer end = ByteBuffer.allocate(Long.BYTES);
      long low = 0;
      long high = count;
      while (low < high) { // the first record of a line that ends after `after`
        long middle = (low + high) >>> 1;
        end.clear();
        if (!readFully(file, end, middle * RECORD)) {
          count = middle; // cut short as it was read (a new up started afresh): what is before
          break;
        }
        if (end.getLong(0) > after) {
          high = middle;
        } else {
          low = middle + 1;
        }
      }
      int wanted = (int) Math.min(count - low, Integer.MAX_VALUE / RECORD);
      ByteBuffer records = ByteBuffer.allocate(wanted * RECORD);
      readFully(file, records, low * RECORD);
      records.flip();
      return parse(records, records.remaining() / RECORD, count > 0);
    } catch (NoSuchFileException e) {
      return new LogTimes(new long[0], new long[0], 0, false);
    }
  }

  /** Whether {@code into} was filled: false when the file ended first. */
  private static boolean readFully(FileChannel file, ByteBuffer into, long position)
      throws IOException {
    while (into.hasRemaining()) {
      int read = file.read(into, position);
      if (read < 0) {
        return false;
      }
      position += read;
    }
    return true;
  }

  private static LogTimes parse(ByteBuffer records, int count, boolean recorded) {
    long[] ends = new long[count];
    long[] millis = new long[count];
    int size = 0;
    for (int i = 0; i < count; i++) {
      long end = records.getLong();
      long at = records.getLong();
      if (size > 0 && end <= ends[size - 1]) {
        break; // not the records of this log (torn or stale): the lines after have no time
      }
      ends[size] = end;
      millis[size++] = at;
    }
    return new LogTimes(ends, millis, size, recorded);
  }

  /** When the line that ends just before {@code lineEnd} arrived, or {@link #NONE}. */
  long timeOf(long lineEnd) {
    int i = Arrays.binarySearch(ends, 0, size, lineEnd);
    return i >= 0 ? millis[i] : NONE;
  }

  /**
   * Whether no line of the log has a recorded time: the times file is not there or has no
   * record (of the lines read, or of those before them). A log being written with times gets
   * a line's record just after the line.
   */
  boolean isEmpty() {
    return !recorded;
  }

  static final String FORMS = "a duration ago (10s, 5m, 1h30m) or a time (2026-12-01T22:00:00Z, "
      + "2026-12-01T22:00:00 in local time, 22:00 today)";

  /**
   * The epoch millis {@code text} names: a duration before {@code now}, or a time (UTC or with
   * an offset, local, or of today in {@code zone}).
   *
   * @throws IllegalArgumentException saying what forms there are, when it is none of them
   */
  static long parse(String text, long now, ZoneId zone) {
    // as deploy.yaml writes durations, but with a unit: a bare number says nothing of one
    Optional<Duration> ago = text.chars().allMatch(Character::isDigit) ? Optional.empty()
        : DeployFile.duration(text);
    if (ago.isPresent()) {
      return now - ago.get().toMillis();
    }
    try {
      return OffsetDateTime.parse(text).toInstant().toEpochMilli();
    } catch (DateTimeParseException notWithOffset) {
      // the next form
    }
    try {
      return LocalDateTime.parse(text).atZone(zone).toInstant().toEpochMilli();
    } catch (DateTimeParseException notLocal) {
      // the next form
    }
    try {
      LocalDate today = Instant.ofEpochMilli(now).atZone(zone).toLocalDate();
      return today.atTime(LocalTime.parse(text)).atZone(zone).toInstant().toEpochMilli();
    } catch (DateTimeParseException notATime) {
      throw new IllegalArgumentException("\"" + text + "\" is neither a duration nor a time; "
          + "give " + FORMS);
    }
  }

  private static final DateTimeFormatter STAMP =
      DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH:mm:ss.SSS'Z'").withZone(ZoneOffset.UTC);
  /** What {@code -t} prints for a line with no recorded time: blanks, as wide as a time. */
  static final String NO_STAMP = " ".repeat(24);

  /** {@code millis} as RFC 3339 in UTC with milliseconds, or blanks for {@link #NONE}. */
  static String stamp(long millis) {
    return millis == NONE ? NO_STAMP : STAMP.format(Instant.ofEpochMilli(millis));
  }

  /** Appends a record for each line written to a log, kept in step with it. */
  static final class Writer implements AutoCloseable {
    private final DataOutputStream out;
    private long end;

    /** Starts the times of {@code log} afresh, as the log is at each {@code up}. */
    Writer(Path log) throws IOException {
      out = new DataOutputStream(new BufferedOutputStream(Files.newOutputStream(of(log),
          StandardOpenOption.CREATE, StandardOpenOption.TRUNCATE_EXISTING,
          StandardOpenOption.WRITE), RECORD * 64));
    }

    /** A line of {@code bytes} bytes (its line break included) was written at {@code millis}. */
    void lineWritten(long bytes, long millis) throws IOException {
      end += bytes;
      out.writeLong(end);
      out.writeLong(millis);
    }

    void flush() throws IOException {
      out.flush();
    }

    @Override
    public void close() throws IOException {
      out.close();
    }
  }
}
