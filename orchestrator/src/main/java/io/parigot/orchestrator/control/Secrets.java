package io.parigot.orchestrator.control;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.HexFormat;

/**
 * The control plane's bearer and registration tokens: 24 random bytes in hex. Read from
 * {@code /dev/urandom}, the source a SecureRandom reads on Linux, without setting up the security
 * providers first, which on a cold JVM takes about 30 ms of {@code parigot up}'s way to its
 * first service. Where there is no such device, a SecureRandom makes them.
 */
public final class Secrets {
  private static final int BYTES = 24;
  private static final Path URANDOM = Path.of("/dev/urandom");

  private Secrets() {}

  /** A new token. */
  public static String token() {
    byte[] bytes = new byte[BYTES];
    if (Files.isReadable(URANDOM)) {
      try (InputStream in = Files.newInputStream(URANDOM)) {
        if (in.readNBytes(bytes, 0, BYTES) == BYTES) {
          return HexFormat.of().formatHex(bytes);
        }
      } catch (IOException e) {
        throw new UncheckedIOException("could not read " + URANDOM, e);
      }
    }
    Holder.RANDOM.nextBytes(bytes);
    return HexFormat.of().formatHex(bytes);
  }

  /** Made only where it is needed. */
  private static final class Holder {
    static final SecureRandom RANDOM = new SecureRandom();
  }
}
