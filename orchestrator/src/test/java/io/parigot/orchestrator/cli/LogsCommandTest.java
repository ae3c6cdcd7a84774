package io.parigot.orchestrator.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.parigot.orchestrator.control.StateDirectory;
import java.io.ByteArrayOutputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.io.RandomAccessFile;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.util.Arrays;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LogsCommandTest {
  @TempDir
  Path dir;

  @BeforeEach
  void logsOfTwoDeploymentsOneAfterTheOther() throws Exception {
    StateDirectory state = StateDirectory.of(dir);
    Files.createDirectories(state.logs());
    Files.writeString(state.logOf("hi"), "from an older deploy.yaml\n");
    Files.writeString(state.logOf("store"), "store up\n");
    Files.writeString(state.logOf("cart"), "cart up\n");
    Files.writeString(state.logs().resolve(Console.SERVICES), "store\ncart\n");
  }

  @Test
  void allTheLogsAreThoseOfTheDeploymentThatRanLast() {
    assertEquals("store | store up\ncart  | cart up\n", out("logs", "--file", dir.toString()));
  }

  @Test
  void anOlderServicesLogIsStillThereByName() {
    assertEquals("from an older deploy.yaml\n", out("logs", "--file", dir.toString(), "hi"));
  }

  @Test
  void anUnknownServiceIsAnsweredWithTheServicesThereAre() {
    Cli.Said said = Cli.run("logs", "--file", dir.toString(), "nope");
    assertEquals(2, said.code(), said.err());
    assertTrue(said.err().contains("no log for service \"nope\"") && said.err().endsWith(
        "; the deployment's services are store, cart" + System.lineSeparator()), said.err());
  }

  @Test
  void severalNamesGiveThoseServicesInTheOrderNamedEachLinePrefixed() {
    assertEquals("cart | cart up\nhi   | from an older deploy.yaml\n",
        out("logs", "--file", dir.toString(), "cart", "hi"));
    assertEquals("hi    | from an older deploy.yaml\nstore | store up\ncart  | cart up\n",
        out("logs", "--file", dir.toString(), "hi", "store", "cart"));
  }

  /** As docker compose logs --no-log-prefix: the lines merged as ever, but without the names. */
  @Test
  void noLogPrefixPrintsEveryServicesLinesAsItWroteThem() throws Exception {
    StateDirectory state = StateDirectory.of(dir);
    logged(state.logOf("store"), new String[] {"s1", "", "  s3 | x"}, new long[] {T0, T0 + 20,
        T0 + 30});
    logged(state.logOf("cart"), new String[] {"c1"}, new long[] {T0 + 10});
    assertEquals("s1\nc1\n\n  s3 | x\n", out("logs", "--file", dir.toString(),
        "--no-log-prefix"));
    assertEquals("c1\n  s3 | x\n", out("logs", "--file", dir.toString(), "--no-log-prefix",
        "-n", "1", "cart", "store"));
    // with -t, each line's time is still printed, where it follows the name with the prefix
    assertEquals("2026-12-01T22:07:08.123Z s1\n2026-12-01T22:07:08.133Z c1\n"
        + "2026-12-01T22:07:08.143Z \n2026-12-01T22:07:08.153Z   s3 | x\n",
        out("logs", "--file", dir.toString(), "-t", "--no-log-prefix"));
    // one NAME is printed without the prefix already: the option changes nothing of it
    assertEquals(out("logs", "--file", dir.toString(), "store"),
        out("logs", "--file", dir.toString(), "--no-log-prefix", "store"));
  }

  @Test
  void noLogPrefixFollowsAsTheLinesWithIt() throws Exception {
    StateDirectory state = StateDirectory.of(dir);
    Files.writeString(state.logOf("store"), "one\ntwo\n");
    // nothing runs here: --follow prints what each wrote, then says there is no more to come
    Cli.Said followed = Cli.run("logs", "--file", dir.toString(), "-f", "--no-log-prefix",
        "-n", "1");
    assertEquals(0, followed.code(), followed.err());
    assertEquals("two\ncart up\n", followed.out());
    assertTrue(followed.err().contains("nothing more to follow"), followed.err());
    Cli.Said stamped = Cli.run("logs", "--file", dir.toString(), "-f", "-t", "--no-log-prefix");
    assertEquals(0, stamped.code(), stamped.err());
    assertEquals(LogTimes.NO_STAMP + " one\n" + LogTimes.NO_STAMP + " two\n"
        + LogTimes.NO_STAMP + " cart up\n", stamped.out());
  }

  @Test
  void aNameGivenTwiceCountsOnce() {
    assertEquals("store up\n", out("logs", "--file", dir.toString(), "store", "store"));
    assertEquals("cart  | cart up\nstore | store up\n",
        out("logs", "--file", dir.toString(), "cart", "store", "cart"));
  }

  @Test
  void tailAndFollowTakeEachServiceNamed() throws Exception {
    StateDirectory state = StateDirectory.of(dir);
    Files.writeString(state.logOf("store"), "one\ntwo\nthree\n");
    Files.writeString(state.logOf("cart"), "four\nfive\n");
    assertEquals("cart  | four\ncart  | five\nstore | two\nstore | three\n",
        out("logs", "--file", dir.toString(), "cart", "--tail", "2", "store"));
    // nothing runs here: --follow prints what each wrote, then says there is no more to come
    Cli.Said followed = Cli.run("logs", "--file", dir.toString(), "-f", "-n", "1", "store", "hi");
    assertEquals(0, followed.code(), followed.err());
    assertEquals("store | three\nhi    | from an older deploy.yaml\n", followed.out());
    assertTrue(followed.err().contains("nothing more to follow"), followed.err());
  }

  @Test
  void aServiceThatUpLeftOutIsSaidToBeLeftOutAsKillSaysIt() throws Exception {
    Files.writeString(StateDirectory.of(dir).logs().resolve(Console.LEFT_OUT), "catalog\n");
    Cli.Said said = Cli.run("logs", "--file", dir.toString(), "catalog", "nope");
    assertEquals(2, said.code(), said.err());
    assertTrue(said.err().contains("no log for service \"nope\" in ")
        && said.err().contains("; no log for service \"catalog\" in ")
        && said.err().contains(": it was left out, as up started only store, cart (those "
            + "named and what they require); to run it too, stop the deployment and name it to "
            + "parigot up --file " + Shell.quote(dir)), said.err());
  }

  @Test
  void aNameThatIsASlipOfAServicesIsToldThatService() {
    Cli.Said said = Cli.run("logs", "--file", dir.toString(), "stroe", "nope", "crat");
    assertEquals(2, said.code(), said.err());
    assertTrue(said.err().startsWith("parigot: no log for services \"stroe\" (did you mean "
        + "store?), \"nope\" and \"crat\" (did you mean cart?) in "), said.err());
  }

  @Test
  void everyUnknownNameIsSaidAtOnceAndNothingIsPrinted() {
    Cli.Said said = Cli.run("logs", "--file", dir.toString(), "store", "nope", "cart", "gone",
        "nope");
    assertEquals(2, said.code(), said.err());
    assertEquals("", said.out());
    assertTrue(said.err().startsWith("parigot: no log for services \"nope\" and \"gone\" in ")
        && said.err().endsWith("; the deployment's services are store, cart"
            + System.lineSeparator()), said.err());

    Cli.Said paths = Cli.run("logs", "--file", dir.toString(), "../orchestrator", "store",
        "/etc/passwd", "nope");
    assertEquals(2, paths.code(), paths.err());
    assertEquals("", paths.out());
    assertTrue(paths.err().startsWith("parigot: \"../orchestrator\" and \"/etc/passwd\" are not "
        + "names of services: service names use lower-case letters"), paths.err());
  }

  @Test
  void aNameThatIsAPathIsNoServicesName() throws Exception {
    Files.writeString(StateDirectory.of(dir).root().resolve("orchestrator.log"), "secret\n");
    for (String path : new String[] {"../orchestrator", "/etc/passwd", ".hidden"}) {
      Cli.Said said = Cli.run("logs", "--file", dir.toString(), path);
      assertEquals(2, said.code(), said.err());
      assertEquals("", said.out());
      assertTrue(said.err().startsWith("parigot: \"" + path + "\" is not the name of a service: "
          + "service names use lower-case letters"), said.err());
    }
  }

  @Test
  void tailGivesTheLastLinesOfEachService() throws Exception {
    StateDirectory state = StateDirectory.of(dir);
    Files.writeString(state.logOf("store"), "one\ntwo\n\nthree\nfour\nhalf a li");
    // longer than the block the log is read back in
    Files.writeString(state.logOf("cart"), "x".repeat(10_000) + "\n" + "y".repeat(9_000) + "\n");

    assertEquals("store | three\nstore | four\ncart  | " + "x".repeat(10_000) + "\ncart  | "
        + "y".repeat(9_000) + "\n", out("logs", "--file", dir.toString(), "--tail", "2"));
    assertEquals("y".repeat(9_000) + "\n", out("logs", "--file", dir.toString(), "-n", "1",
        "cart"));
    assertEquals("\nthree\nfour\n", out("logs", "--file", dir.toString(), "-n", "3",
        "store"));
    assertEquals("one\ntwo\n\nthree\nfour\n", out("logs", "--file", dir.toString(), "-n",
        "9", "store"));
    assertEquals("", out("logs", "--file", dir.toString(), "--tail", "0"));
  }

  @Test
  void blankLinesAreShownAsTheServicePrintedThem() throws Exception {
    StateDirectory state = StateDirectory.of(dir);
    Files.writeString(state.logOf("store"), "Report\n\n  total: 3\n\n\nend\n");
    Files.writeString(state.logOf("cart"), "\n");

    assertEquals("Report\n\n  total: 3\n\n\nend\n", out("logs", "--file", dir.toString(),
        "store"));
    // as parigot up shows them: the prefix, then nothing
    assertEquals("store | Report\nstore | \nstore |   total: 3\nstore | \nstore | \nstore | end\n"
        + "cart  | \n", out("logs", "--file", dir.toString()));
    assertEquals("\n\nend\n", out("logs", "--file", dir.toString(), "-n", "3", "store"));
  }

  @Test
  void aLogIsPrintedByteForByte() throws Exception {
    StateDirectory state = StateDirectory.of(dir);
    // UTF-8 text, and bytes a service wrote that are no UTF-8
    byte[] written = {'c', 'a', 'f', (byte) 0xc3, (byte) 0xa9, ' ', (byte) 0xff, '\n'};
    Files.write(state.logOf("store"), written);

    // a JVM whose locale is not UTF-8 (LANG unset: a container, cron) prints text as ASCII
    ByteArrayOutputStream printed = new ByteArrayOutputStream();
    assertEquals(0, runWithOut(new PrintStream(printed, true, StandardCharsets.US_ASCII),
        "logs", "--file", dir.toString(), "store"));
    assertArrayEquals(written, printed.toByteArray());
  }

  @Test
  void aLogLargerThanAJavaArrayIsPrinted() throws Exception {
    StateDirectory state = StateDirectory.of(dir);
    // 2.2 GB, past the 2 GiB of a byte[]: "first", then a hole of zeros (no disk taken) and a
    // last line
    try (RandomAccessFile log = new RandomAccessFile(state.logOf("store").toFile(), "rw")) {
      log.setLength(0);
      log.write("first\n".getBytes(StandardCharsets.UTF_8));
      log.seek(2_200_000_000L);
      log.write("\nlast\n".getBytes(StandardCharsets.UTF_8));
    }
    Files.writeString(state.logs().resolve(Console.SERVICES), "store\n");
    CountingStream counted = new CountingStream();
    assertEquals(0, runWithOut(new PrintStream(counted, false, StandardCharsets.UTF_8), "logs",
        "--file", dir.toString()));
    assertEquals(FIRST, counted.first());
    assertEquals(2_200_000_000L + "\nlast\n".length() + 3 * "store | ".length(),
        counted.count);
    assertTrue(counted.last().endsWith("\0\0\nstore | last\n"), counted.last());
  }

  private static final String FIRST = "store | first\nstore | ";

  /** Counts what is written, keeping its first and last bytes only. */
  private static final class CountingStream extends OutputStream {
    long count;
    private final ByteArrayOutputStream start = new ByteArrayOutputStream();
    private final byte[] end = new byte[64];

    @Override
    public void write(int b) {
      write(new byte[] {(byte) b}, 0, 1);
    }

    @Override
    public void write(byte[] bytes, int offset, int length) {
      start.write(bytes, offset, Math.min(length, Math.max(0, FIRST.length() - start.size())));
      for (int i = Math.max(0, length - end.length); i < length; i++) {
        end[(int) ((count + i) % end.length)] = bytes[offset + i];
      }
      count += length;
    }

    String first() {
      return start.toString(StandardCharsets.UTF_8);
    }

    String last() {
      byte[] last = new byte[end.length];
      for (int i = 0; i < end.length; i++) {
        last[i] = end[(int) ((count + i) % end.length)];
      }
      return new String(last, StandardCharsets.UTF_8);
    }
  }

  private static int runWithOut(PrintStream printed, String... args) {
    PrintStream out = System.out;
    System.setOut(printed);
    try {
      return ParigotCommand.run(args);
    } finally {
      System.setOut(out);
    }
  }

  @Test
  void aNegativeTailIsBadUsage() {
    Cli.Said said = Cli.run("logs", "--file", dir.toString(), "--tail", "-1");
    assertEquals(2, said.code(), said.err());
    assertTrue(said.err().startsWith("parigot: --tail takes a number of lines, 0 or more"),
        said.err());
  }

  @Test
  void aFileThatIsNotThereIsBadUsage() {
    Path nowhere = dir.resolve("nowhere/deploy.yaml");
    Cli.Said said = Cli.run("logs", "--file", nowhere.toString());
    assertEquals(2, said.code(), said.err());
    assertTrue(said.err().startsWith("parigot: " + nowhere + ": no such file"), said.err());
  }

  /** {@code log}'s lines, each with the time it arrived at, as {@code up} records them. */
  private static void logged(Path log, String[] lines, long[] millis) throws Exception {
    ByteArrayOutputStream text = new ByteArrayOutputStream();
    ByteBuffer times = ByteBuffer.allocate(LogTimes.RECORD * lines.length);
    for (int i = 0; i < lines.length; i++) {
      text.write((lines[i] + "\n").getBytes(StandardCharsets.UTF_8));
      times.putLong(text.size()).putLong(millis[i]);
    }
    Files.write(log, text.toByteArray());
    Files.write(LogTimes.of(log), times.array());
  }

  private static final long T0 = Instant.parse("2026-12-01T22:07:08.123Z").toEpochMilli();

  @Test
  void theLinesOfSeveralServicesAreMergedInTheOrderTheyArrived() throws Exception {
    StateDirectory state = StateDirectory.of(dir);
    logged(state.logOf("store"), new String[] {"s1", "s2", "s3"}, new long[] {T0, T0 + 20,
        T0 + 20});
    logged(state.logOf("cart"), new String[] {"c1", "c2"}, new long[] {T0 + 10, T0 + 20});
    // at the same time, the service listed first goes first; each one's lines keep their order
    assertEquals("store | s1\ncart  | c1\nstore | s2\nstore | s3\ncart  | c2\n",
        out("logs", "--file", dir.toString()));
    assertEquals("store | s3\ncart  | c2\n", out("logs", "--file", dir.toString(), "-n", "1"));
  }

  @Test
  void timestampsAreRfc3339InUtcWithMillisecondsAfterTheName() throws Exception {
    StateDirectory state = StateDirectory.of(dir);
    logged(state.logOf("store"), new String[] {"s1"}, new long[] {T0});
    // a line with no time and none before it in its log is taken as the oldest
    assertEquals("cart  |                          cart up\n"
        + "store | 2026-12-01T22:07:08.123Z s1\n", out("logs", "--file", dir.toString(),
        "-t"));
    assertEquals("2026-12-01T22:07:08.123Z s1\n",
        out("logs", "--file", dir.toString(), "--timestamps", "store"));
  }

  @Test
  void sinceTakesATimeOrADurationAgo() throws Exception {
    StateDirectory state = StateDirectory.of(dir);
    long now = System.currentTimeMillis();
    logged(state.logOf("store"), new String[] {"old", "new", "newer"},
        new long[] {now - 3_600_000, now - 1000, now});
    logged(state.logOf("cart"), new String[] {"cart old"}, new long[] {now - 7_200_000});
    assertEquals("new\nnewer\n", out("logs", "--file", dir.toString(), "--since", "10m",
        "store"));
    assertEquals("store | new\nstore | newer\n", out("logs", "--file", dir.toString(),
        "--since", "59m30s", "cart", "store"));
    assertEquals("newer\n", out("logs", "--file", dir.toString(), "--since", "1h", "-n", "1",
        "store"));
    String at = Instant.ofEpochMilli(now - 1000).toString();
    assertEquals("new\nnewer\n", out("logs", "--file", dir.toString(), "--since", at, "store"));
    assertEquals("old\n", out("logs", "--file", dir.toString(), "--until", at, "store"));
  }

  @Test
  void followWithTimesPrintsWhatIsThereMergedThenEnds() throws Exception {
    StateDirectory state = StateDirectory.of(dir);
    logged(state.logOf("store"), new String[] {"s1", "s2"}, new long[] {T0, T0 + 20});
    logged(state.logOf("cart"), new String[] {"c1"}, new long[] {T0 + 10});
    Files.writeString(state.logOf("cart"), "c2 (no time yet)\n", StandardOpenOption.APPEND);
    Cli.Said followed = Cli.run("logs", "--file", dir.toString(), "-f", "-t");
    assertEquals(0, followed.code(), followed.err());
    assertEquals("store | 2026-12-01T22:07:08.123Z s1\ncart  | 2026-12-01T22:07:08.133Z c1\n"
        + "cart  |                          c2 (no time yet)\n"
        + "store | 2026-12-01T22:07:08.143Z s2\n",
        followed.out());
    assertTrue(followed.err().contains("nothing more to follow"), followed.err());
  }

  @Test
  void aSinceThatIsNoTimeIsBadUsageAndSaysTheForms() {
    Cli.Said said = Cli.run("logs", "--file", dir.toString(), "--since", "yesterday");
    assertEquals(2, said.code(), said.err());
    assertTrue(said.err().contains("--since \"yesterday\" is neither a duration nor a time; "
        + "give a duration ago (10s, 5m, 1h30m)"), said.err());
    assertEquals("", said.out());
  }

  /** A bare number has no unit, and a duration past any bound is none: both said, not thrown. */
  @Test
  void aSinceOfNoUnitOrPastAnyBoundIsBadUsage() {
    for (String since : new String[] {"30", "99999999999999999999s"}) {
      Cli.Said said = Cli.run("logs", "--file", dir.toString(), "--since", since);
      assertEquals(2, said.code(), since + ": " + said.err());
      assertTrue(said.err().contains("--since \"" + since + "\" is neither a duration nor a "
          + "time"), said.err());
    }
  }

  @Test
  void linesWithNoTimeAreShownWithoutOneAndLeftOutBySince() throws Exception {
    StateDirectory state = StateDirectory.of(dir);
    long now = System.currentTimeMillis();
    logged(state.logOf("store"), new String[] {"one", "two", "three"},
        new long[] {now - 2000, now - 1000, now});
    // a crash mid-write: the last record is cut short; cart has no times file at all
    Path times = LogTimes.of(state.logOf("store"));
    byte[] whole = Files.readAllBytes(times);
    Files.write(times, Arrays.copyOf(whole, whole.length - 5));
    String stamp = LogTimes.stamp(now - 1000);
    assertEquals("cart  |                          cart up\n"
        + "store | " + LogTimes.stamp(now - 2000) + " one\nstore | " + stamp + " two\n"
        + "store |                          three\n",
        out("logs", "--file", dir.toString(), "-t"));
    Cli.Said said = Cli.run("logs", "--file", dir.toString(), "--since", "1m");
    assertEquals(0, said.code(), said.err());
    assertEquals("store | one\nstore | two\n", said.out());
    assertTrue(said.err().contains("1 line of store left out: no time is recorded for it")
        && said.err().contains("1 line of cart left out"), said.err());
  }

  private static String out(String... args) {
    Cli.Said said = Cli.run(args);
    assertEquals(0, said.code(), String.join(" ", args) + ": " + said.err());
    return said.out();
  }
}
