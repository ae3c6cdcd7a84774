package io.parigot.orchestrator.cli;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * The complete lines of one service's log between two offsets, one at a time, each with when it
 * arrived ({@link LogTimes#NONE} when that is not recorded).
 */
final class LogLines implements AutoCloseable {
  private final FileChannel channel;
  private final InputStream in;
  private final LogTimes times;
  private final long end;
  private final ByteArrayOutputStream line = new ByteArrayOutputStream(256);
  private long position;
  private long time = LogTimes.NONE;

  /** The lines from {@code from} up to {@code end}, which is where a line ends. */
  LogLines(Path log, long from, long end, LogTimes times) throws IOException {
    this.channel = FileChannel.open(log, StandardOpenOption.READ);
    channel.position(from);
    this.in = new BufferedInputStream(Channels.newInputStream(channel), 64 * 1024);
    this.times = times;
    this.position = from;
    this.end = end;
  }

  /** Reads the next line; false when there is none before the end. */
  boolean next() throws IOException {
    line.reset();
    while (position < end) {
      int b = in.read();
      if (b < 0) {
        break; // the log was truncated under us (a new `up`): no more lines of this one
      }
      position++;
      line.write(b);
      if (b == '\n') {
        time = times.timeOf(position);
        return true;
      }
    }
    return false;
  }

  /** The line read last, its line break included. */
  ByteArrayOutputStream line() {
    return line;
  }

  /** When the line read last arrived, or {@link LogTimes#NONE}. */
  long time() {
    return time;
  }

  /** Just after the line read last. */
  long position() {
    return position;
  }

  @Override
  public void close() throws IOException {
    channel.close();
  }
}
