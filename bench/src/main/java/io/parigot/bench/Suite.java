package io.parigot.bench;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.options.ChainedOptionsBuilder;
import org.openjdk.jmh.runner.options.OptionsBuilder;
import org.openjdk.jmh.util.Statistics;

/**
 * The benchmark suite: every figure next to a baseline measured in the same run. Whole-process
 * figures are timed from outside, by starting the real CLI and real JVMs. Prints a table and
 * rewrites docs/performance.md (between its markers). Run it with {@code bench/run}.
 */
public final class Suite {
  private static final String BEGIN = "<!-- bench:begin -->";
  private static final String END = "<!-- bench:end -->";

  private final Path root;
  private final Path parigotJar;
  private final Path benchJar;
  private final Path work;
  private final List<Row> rows = new ArrayList<>();
  private List<String> fastStart = List.of();
  /** Runs per start-up size from {@code --runs N}; 0 keeps the defaults. */
  private int runsOverride;

  private Suite(Path root) {
    this.root = root;
    this.parigotJar = root.resolve("orchestrator/target/parigot.jar");
    this.benchJar = root.resolve("bench/target/bench.jar");
    this.work = root.resolve("bench/target/work");
  }

  /** One line of the table: a figure, its baseline, and the ratio between them. */
  record Row(String what, String figure, String baselineName, String baseline, String ratio,
      String goal) {}

  public static void main(String[] args) throws Exception {
    Suite suite = new Suite(Path.of("").toAbsolutePath());
    List<String> list = Arrays.asList(args);
    boolean quick = list.contains("--quick");
    int only = list.indexOf("--only");
    List<String> parts = only >= 0 && only + 1 < list.size()
        ? Arrays.asList(list.get(only + 1).split(",")) : PARTS;
    for (String part : parts) {
      if (!PARTS.contains(part)) {
        System.err.println("bench: unknown part '" + part + "'; the parts are " + PARTS);
        System.exit(2);
      }
    }
    int runs = list.indexOf("--runs");
    if (runs >= 0 && runs + 1 < list.size()) {
      suite.runsOverride = Integer.parseInt(list.get(runs + 1));
    }
    suite.run(quick, parts);
  }

  /** The parts of the suite, in the order they run; {@code --only a,b} picks some. */
  private static final List<String> PARTS = List.of("calls", "startup", "locate", "kills");

  private void run(boolean quick, List<String> parts) throws Exception {
    for (Path needed : List.of(parigotJar, benchJar)) {
      if (!Files.isRegularFile(needed)) {
        throw new IllegalStateException(needed + " is missing; run bench/run, which builds it");
      }
    }
    deleteTree(work);
    Files.createDirectories(work);
    long started = System.nanoTime();
    if (parts.contains("calls")) {
      calls(quick);
      loopLatency(quick);
    }
    if (parts.contains("startup")) {
      startup(quick);
    }
    if (parts.contains("locate")) {
      locate();
    }
    if (parts.contains("kills")) {
      budgetKills(quick ? 20 : 100);
    }
    String table = table();
    System.out.println();
    System.out.println(table);
    System.out.printf("(the suite took %d s)%n", (System.nanoTime() - started) / 1_000_000_000L);
    if (!quick && parts.size() == PARTS.size()) {
      writeDoc(table);
    }
  }

  // ---- calls ---------------------------------------------------------------------------

  /** JMH, in forked JVMs: {@link Calls}, one call at a time and 16 outstanding, three paths. */
  private void calls(boolean quick) throws Exception {
    ChainedOptionsBuilder options = new OptionsBuilder()
        .include(Calls.class.getName())
        .shouldFailOnError(true);
    if (quick) {
      options.warmupIterations(1).measurementIterations(1);
    }
    Map<String, Statistics> latency = new HashMap<>();
    Map<String, Double> throughput = new HashMap<>();
    for (RunResult result : new Runner(options.build()).run()) {
      String path = result.getParams().getParam("path");
      String benchmark = result.getParams().getBenchmark();
      if (benchmark.endsWith(".latency")) {
        latency.put(path, result.getPrimaryResult().getStatistics());
      } else {
        throughput.put(path, result.getPrimaryResult().getScore());
      }
    }
    Statistics raw = latency.get("raw");
    Statistics sdk = latency.get("parigot");
    Statistics together = latency.get("together");
    String baseline = "raw grpc-java, blocking stub, netty loopback";
    rows.add(new Row("call p50, one at a time, generated client + SDK, netty loopback (JMH)",
        us(sdk.getPercentile(50)), baseline, us(raw.getPercentile(50)),
        ratio(sdk.getPercentile(50), raw.getPercentile(50)), "within 1.15x"));
    rows.add(new Row("call p99, one at a time, generated client + SDK, netty loopback (JMH)",
        us(sdk.getPercentile(99)), baseline, us(raw.getPercentile(99)),
        ratio(sdk.getPercentile(99), raw.getPercentile(99)), "within 1.3x"));
    rows.add(new Row("calls per second, 16 outstanding, generated client + SDK (JMH)",
        String.format(Locale.ROOT, "%,.0f", throughput.get("parigot")), baseline,
        String.format(Locale.ROOT, "%,.0f", throughput.get("raw")),
        ratio(throughput.get("parigot"), throughput.get("raw")), ""));
    rows.add(new Row("calls per second, 16 outstanding, together mode (JMH)",
        String.format(Locale.ROOT, "%,.0f", throughput.get("together")), baseline,
        String.format(Locale.ROOT, "%,.0f", throughput.get("raw")),
        ratio(throughput.get("together"), throughput.get("raw")), ""));
    rows.add(new Row("call p50 / p99, together mode, from a benchmark thread (JMH)",
        us(together.getPercentile(50)) + " / " + us(together.getPercentile(99)), baseline,
        us(raw.getPercentile(50)) + " / " + us(raw.getPercentile(99)),
        ratio(together.getPercentile(50), raw.getPercentile(50)), ""));
  }

  /** {@link LoopLatency} in its own JVM: calls timed on the calling program's loop. */
  private void loopLatency(boolean quick) throws Exception {
    Process process = new ProcessBuilder(java(), "-cp", benchJar.toString(),
        LoopLatency.class.getName(), quick ? "10000" : "40000").redirectErrorStream(true).start();
    String line;
    try {
      line = awaitLine(process, l -> l.startsWith("LOOP "), 300);
    } finally {
      process.waitFor(30, TimeUnit.SECONDS);
      stop(process, STOP);
    }
    Map<String, Double> f = new HashMap<>();
    Matcher m = Pattern.compile("(\\w+)_us=([0-9.]+)").matcher(line);
    while (m.find()) {
      f.put(m.group(1), Double.parseDouble(m.group(2)));
    }
    log("from the loop: raw p50 %.1f p99 %.1f; SDK p50 %.1f p99 %.1f; together p50 %.1f p99 "
        + "%.1f us", f.get("raw_p50"), f.get("raw_p99"), f.get("sdk_p50"), f.get("sdk_p99"),
        f.get("together_p50"), f.get("together_p99"));
    String baseline = "raw grpc-java, blocking stub, netty loopback";
    rows.add(new Row("call p50, timed on the caller's loop, generated client + SDK, netty "
        + "loopback", us(f.get("sdk_p50")), baseline, us(f.get("raw_p50")),
        ratio(f.get("sdk_p50"), f.get("raw_p50")), "within 1.15x"));
    rows.add(new Row("call p99, timed on the caller's loop, generated client + SDK, netty "
        + "loopback", us(f.get("sdk_p99")), baseline, us(f.get("raw_p99")),
        ratio(f.get("sdk_p99"), f.get("raw_p99")), "within 1.3x"));
    rows.add(new Row("call p50 / p99, timed on the caller's loop, together mode",
        us(f.get("together_p50")) + " / " + us(f.get("together_p99")), baseline,
        us(f.get("raw_p50")) + " / " + us(f.get("raw_p99")),
        ratio(f.get("together_p50"), f.get("raw_p50")), "p50 under 20 µs"));
  }

  private static String us(double micros) {
    return micros >= 10_000 ? String.format(Locale.ROOT, "%.1f ms", micros / 1000)
        : String.format(Locale.ROOT, "%.1f µs", micros);
  }

  private static String ratio(double figure, double baseline) {
    return baseline == 0 ? "" : String.format(Locale.ROOT, "%.2fx", figure / baseline);
  }

  // ---- start-up and memory -------------------------------------------------------------

  private void startup(boolean quick) throws Exception {
    int[] sizes = quick ? new int[] {1, 10} : new int[] {1, 10, 30};
    for (int n : sizes) {
      int runs = runsOverride > 0 ? runsOverride : quick ? 1 : n >= 30 ? 3 : 5;
      Path deploy = writeDeployment(n);
      // the first run records each service's class-data archive; it is not counted, and its
      // stop takes longer: the orchestrator dumps the archives once the services exited
      Measured first = parigotUp(deploy, n, false, FIRST_STOP);
      log("parigot up, %d services, first run (records archives): %d ms", n, first.millis);
      if (fastStart.isEmpty()) {
        throw new IllegalStateException("could not read a child's JVM options");
      }
      Path rawArchive = rawArchive();
      List<String> sameFlags = new ArrayList<>(fastStart);
      sameFlags.add("-XX:SharedArchiveFile=" + rawArchive);
      // each round runs all three, one after the other: this machine's speed drifts by tens of
      // percent over a minute, and a ratio of figures taken minutes apart would measure that
      List<Measured> parigot = new ArrayList<>();
      List<Measured> script = new ArrayList<>();
      List<Measured> plain = new ArrayList<>();
      for (int i = 0; i < runs; i++) {
        parigot.add(parigotUp(deploy, n, true, STOP));
        script.add(script(n, sameFlags));
        plain.add(script(n, List.of()));
      }
      long stopped = median(parigot, m -> m.stopMillis);
      long scriptStopped = median(script, m -> m.stopMillis);
      log("%d services: stopping took %d ms on the first run, %d ms later (median); the "
          + "script's, same flags, %d ms", n, first.stopMillis, stopped, scriptStopped);
      long up = median(parigot, m -> m.millis);
      long tuned = median(script, m -> m.millis);
      long plainly = median(plain, m -> m.millis);
      log("%d services: parigot up %d ms, script same flags %d ms, script plain JVMs %d ms", n,
          up, tuned, plainly);
      rows.add(new Row("`parigot up`, " + n + (n == 1 ? " service" : " services")
              + " to all-ready", up + " ms", "shell script, same JVMs and flags", tuned + " ms",
          ratio(up, tuned), n == 10 ? "within 1.15x" : ""));
      rows.add(new Row("`parigot up`, " + n + (n == 1 ? " service" : " services")
              + " to all-ready", up + " ms", "shell script, plain JVMs", plainly + " ms",
          ratio(up, plainly), n == 10 ? "at most 0.5x (2x faster)" : ""));
      if (n == 10) {
        rows.add(new Row("stop, 10 services: SIGTERM to every JVM exited", stopped + " ms",
            "shell script, same JVMs and flags, SIGTERM to each", scriptStopped + " ms",
            ratio(stopped, scriptStopped), ""));
        Measured sample = parigot.get(parigot.size() - 1);
        Measured raw = plain.get(plain.size() - 1);
        rows.add(new Row("RSS of an idle service JVM (median of 10)", sample.childRssMb + " MB",
            "plain grpc-java JVM, default flags", raw.childRssMb + " MB",
            ratio(sample.childRssMb, raw.childRssMb), "at most 55 MB"));
        rows.add(new Row("RSS of the orchestrator, 10 services running",
            sample.orchestratorRssMb + " MB", "", "", "", "under 100 MB"));
      }
    }
  }

  private Path writeDeployment(int n) throws IOException {
    Path dir = work.resolve("up-" + n);
    Files.createDirectories(dir);
    StringBuilder yaml = new StringBuilder("name: bench-" + n + "\nservices:\n");
    for (int i = 1; i <= n; i++) {
      yaml.append(String.format(Locale.ROOT, "  s%02d:%n    classpath: [%s]%n"
          + "    main: io.parigot.bench.TrivialService%n    args: [%d]%n", i, benchJar, i));
    }
    Path deploy = dir.resolve("deploy.yaml");
    Files.writeString(deploy, yaml);
    return deploy;
  }

  /**
   * How long a measured run has to stop before it is killed, and the first run: it records the
   * services' archives as it stops, a second or two each on 2 cores.
   */
  private static final Duration STOP = Duration.ofSeconds(20);
  private static final Duration FIRST_STOP = Duration.ofSeconds(180);

  /** To all-ready; RSS while ready; from SIGTERM to the exit of the orchestrator. */
  record Measured(long millis, long childRssMb, long orchestratorRssMb, long stopMillis) {}

  private Measured parigotUp(Path deploy, int n, boolean sample, Duration stopLimit)
      throws Exception {
    ProcessBuilder builder = new ProcessBuilder(parigot(), "up",
        deploy.getFileName().toString()).directory(deploy.getParent().toFile())
        .redirectErrorStream(true);
    builder.environment().put("NO_COLOR", "1");
    long start = System.nanoTime();
    Process process = builder.start();
    try {
      awaitLine(process, line -> line.contains("is ready:"), 120);
      long millis = (System.nanoTime() - start) / 1_000_000;
      List<ProcessHandle> children = process.descendants().toList();
      if (fastStart.isEmpty() && !children.isEmpty()) {
        fastStart = jvmOptions(children.get(0));
      }
      long childRss = sample ? medianRss(children) : 0;
      long orchestratorRss = sample ? rssMb(process.toHandle()) : 0;
      return new Measured(millis, childRss, orchestratorRss, stop(process, stopLimit));
    } finally {
      stop(process, STOP);
    }
  }

  private Measured script(int n, List<String> flags) throws Exception {
    List<String> command = new ArrayList<>(List.of("sh", root.resolve("bench/start-jvms.sh")
        .toString(), Integer.toString(n), benchJar.toString()));
    command.addAll(flags);
    long start = System.nanoTime();
    Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
    try {
      awaitLine(process, line -> line.startsWith("all "), 120);
      long millis = (System.nanoTime() - start) / 1_000_000;
      List<ProcessHandle> jvms = process.descendants()
          .filter(p -> p.info().command().map(c -> c.endsWith("java")).orElse(false)).toList();
      return new Measured(millis, medianRss(jvms), 0, stop(process, STOP));
    } finally {
      stop(process, STOP);
    }
  }

  /**
   * A static archive of the raw service, made the way parigot makes its own: a run lists the
   * classes it loads, then {@code java -Xshare:dump} dumps them with the same options.
   */
  private Path rawArchive() throws Exception {
    Path archive = work.resolve("raw-static.jsa");
    if (Files.isRegularFile(archive) && archiveStillMaps(archive)) {
      return archive;
    }
    // none yet, or one of a bench.jar (or a jar of its lib/) rebuilt since: the JVM would start
    // the baseline without it, and without a word, and the baseline would seem slow
    Files.deleteIfExists(archive);
    Path classList = work.resolve("raw.classlist");
    List<String> command = new ArrayList<>(List.of(java()));
    command.addAll(fastStart);
    command.addAll(List.of("-XX:DumpLoadedClassList=" + classList, "-cp", benchJar.toString(),
        "io.parigot.bench.RawService", "1"));
    Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
    awaitLine(process, line -> line.startsWith("ready"), 60);
    process.destroy();
    process.waitFor(30, TimeUnit.SECONDS);
    List<String> dump = new ArrayList<>(List.of(java()));
    dump.addAll(fastStart);
    dump.addAll(List.of("-Xshare:dump", "-XX:SharedClassListFile=" + classList,
        "-XX:SharedArchiveFile=" + archive, "-Xlog:cds=off", "-cp", benchJar.toString()));
    Process dumping = new ProcessBuilder(dump).redirectErrorStream(true)
        .redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
    if (!dumping.waitFor(120, TimeUnit.SECONDS)) {
      dumping.destroyForcibly();
    }
    if (!Files.isRegularFile(archive)) {
      throw new IllegalStateException("java -Xshare:dump made no archive at " + archive);
    }
    return archive;
  }


  /** Whether a JVM of the baseline's flags and classpath starts from {@code archive}. */
  private boolean archiveStillMaps(Path archive) throws Exception {
    List<String> command = new ArrayList<>(List.of(java()));
    command.addAll(fastStart);
    command.addAll(List.of("-Xshare:on", "-XX:SharedArchiveFile=" + archive, "-Xlog:cds=off",
        "-cp", benchJar.toString(), "-version"));
    Process check = new ProcessBuilder(command).redirectErrorStream(true)
        .redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
    if (!check.waitFor(60, TimeUnit.SECONDS)) {
      check.destroyForcibly();
      return false;
    }
    return check.exitValue() == 0;
  }

  /** The child's options that are not about archives: parigot's fast-start defaults. */
  private static List<String> jvmOptions(ProcessHandle child) {
    String[] args = child.info().arguments().orElse(new String[0]);
    List<String> options = new ArrayList<>();
    for (String arg : args) {
      if (arg.equals("-cp") || arg.equals("-jar")) {
        break;
      }
      if (arg.startsWith("-") && !arg.contains("Archive") && !arg.contains("ClassList")
          && !arg.startsWith("-Xshare")) {
        options.add(arg);
      }
    }
    return options;
  }

  // ---- Locate ---------------------------------------------------------------------------

  private void locate() throws Exception {
    Path dir = work.resolve("locate");
    Files.createDirectories(dir);
    Files.writeString(dir.resolve("deploy.yaml"), """
        name: bench-locate
        services:
          s01:
            classpath: [%1$s]
            main: io.parigot.bench.TrivialService
            args: [1]
          storm:
            classpath: [%1$s]
            main: io.parigot.bench.LocateStorm
            program: true
        """.formatted(benchJar));
    Process process = new ProcessBuilder(parigot(), "up", "deploy.yaml").directory(dir.toFile()).redirectErrorStream(true).start();
    String line;
    try {
      line = awaitLine(process, l -> l.contains("LOCATE "), 180);
    } finally {
      process.waitFor(60, TimeUnit.SECONDS);
      stop(process, STOP);
    }
    Matcher m = Pattern.compile("LOCATE p50_us=(\\d+) p99_us=(\\d+) RAW p50_us=(\\d+) "
        + "p99_us=(\\d+) LOCAL p50_ns=(\\d+) p99_ns=(\\d+)").matcher(line);
    if (!m.find()) {
      throw new IllegalStateException("unexpected output: " + line);
    }
    long p50 = Long.parseLong(m.group(1));
    long p99 = Long.parseLong(m.group(2));
    long rawP50 = Long.parseLong(m.group(3));
    long rawP99 = Long.parseLong(m.group(4));
    log("Locate p50 %d us p99 %d us; raw unary p50 %d us p99 %d us", p50, p99, rawP50, rawP99);
    long localP50 = Long.parseLong(m.group(5));
    long localP99 = Long.parseLong(m.group(6));
    log("Locate in service code: p50 %d ns p99 %d ns", localP50, localP99);
    rows.add(new Row("Locate p50 / p99 in service code (`GreetingClient.locate`), 1,000 at once",
        us(localP50 / 1000.0) + " / " + us(localP99 / 1000.0), "", "", "", "p99 under 1 ms"));
    rows.add(new Row("Locate p50, name server RPC, 1,000 requests at once", micros(p50),
        "plain grpc-java unary, 1,000 at once", micros(rawP50), ratio(p50, rawP50), ""));
    rows.add(new Row("Locate p99, name server RPC, 1,000 requests at once", micros(p99),
        "plain grpc-java unary, 1,000 at once", micros(rawP99), ratio(p99, rawP99), ""));
  }

  // ---- budget kills ----------------------------------------------------------------------

  /**
   * A service wedged {@code kills} times in a row: from its budget running out to the SIGKILL
   * (the orchestrator's log line says), and to its caller's error. The baseline is the budget.
   */
  private void budgetKills(int kills) throws Exception {
    Path dir = work.resolve("kills");
    Files.createDirectories(dir);
    Files.writeString(dir.resolve("deploy.yaml"), """
        name: bench-kills
        services:
          s01:
            classpath: [%1$s]
            main: io.parigot.bench.TrivialService
            args: [1]
            restart: {policy: always, max_restarts: 100000, backoff: 0ms}
          storm:
            classpath: [%1$s]
            main: io.parigot.bench.KillStorm
            args: [%2$d]
            program: true
        """.formatted(benchJar, kills));
    Process process = new ProcessBuilder(parigot(), "up", "deploy.yaml").directory(dir.toFile())
        .redirectErrorStream(true).start();
    List<Double> sigkill = new ArrayList<>();
    List<Double> received = new ArrayList<>();
    Pattern lag = Pattern.compile("SIGKILL ([0-9.]+) ms after the budget ran out, report "
        + "received after ([0-9.]+) ms");
    String line;
    try {
      line = awaitLine(process, l -> {
        Matcher m = lag.matcher(l);
        if (m.find()) {
          synchronized (sigkill) {
            sigkill.add(Double.parseDouble(m.group(1)));
            received.add(Double.parseDouble(m.group(2)));
          }
        }
        return l.contains("KILLS ");
      }, 900);
    } finally {
      process.waitFor(60, TimeUnit.SECONDS);
      stop(process, STOP);
    }
    Matcher m = Pattern.compile("KILLS n=(\\d+) caller_p50_us=(-?\\d+) caller_p99_us=(-?\\d+)")
        .matcher(line);
    if (!m.find()) {
      throw new IllegalStateException("unexpected output: " + line);
    }
    double[] lags;
    double[] reports;
    synchronized (sigkill) {
      lags = sigkill.stream().mapToDouble(Double::doubleValue).sorted().toArray();
      reports = received.stream().mapToDouble(Double::doubleValue).sorted().toArray();
    }
    if (lags.length == 0) {
      throw new IllegalStateException("the orchestrator logged no budget kill");
    }
    String p50 = String.format(Locale.ROOT, "%.1f ms", lags[lags.length / 2]);
    String p99 = String.format(Locale.ROOT, "%.1f ms",
        lags[Math.min(lags.length - 1, (int) Math.ceil(0.99 * lags.length) - 1)]);
    log("the wedged JVM's report reached the orchestrator after the budget: p50 %.1f ms, p99 "
        + "%.1f ms", reports[reports.length / 2],
        reports[Math.min(reports.length - 1, (int) Math.ceil(0.99 * reports.length) - 1)]);
    long callerP50 = Long.parseLong(m.group(2));
    long callerP99 = Long.parseLong(m.group(3));
    log("%d budget kills: SIGKILL after the budget p50 %s p99 %s; caller's error after the "
        + "budget p50 %d us p99 %d us", lags.length, p50, p99, callerP50, callerP99);
    rows.add(new Row("budget expiry to SIGKILL, p50 / p99 (" + lags.length + " kills)",
        p50 + " / " + p99, "the budget", "50 ms", "", "p99 within 10 ms"));
    rows.add(new Row("budget expiry to the caller's error, p50 / p99", micros(callerP50) + " / "
        + micros(callerP99), "the budget", "50 ms", "", "within 10 ms"));
  }

  // ---- plumbing -------------------------------------------------------------------------

  /** Reads the process's output (echoing it to the log) until a line matches; returns it. */
  private static String awaitLine(Process process, Predicate<String> wanted, int seconds)
      throws Exception {
    CompletableFuture<String> found = new CompletableFuture<>();
    StringBuilder seen = new StringBuilder();
    Thread reader = new Thread(() -> {
      try (BufferedReader in = new BufferedReader(
          new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
        for (String line = in.readLine(); line != null; line = in.readLine()) {
          synchronized (seen) {
            seen.append(line).append('\n');
          }
          if (wanted.test(line)) {
            found.complete(line);
          }
        }
        found.completeExceptionally(new IllegalStateException("the process ended first"));
      } catch (IOException e) {
        found.completeExceptionally(e);
      }
    }, "bench-output");
    reader.setDaemon(true);
    reader.start();
    try {
      return found.get(seconds, TimeUnit.SECONDS);
    } catch (Exception e) {
      synchronized (seen) {
        throw new IllegalStateException("waiting for output failed; the process printed:\n"
            + seen, e);
      }
    }
  }

  /**
   * SIGTERM, as Ctrl-C would; then SIGKILL for anything left after {@code limit}, descendants
   * included. Returns how long the process took to exit (nothing when it had already).
   */
  private static long stop(Process process, Duration limit) throws InterruptedException {
    if (!process.isAlive()) {
      return 0;
    }
    List<ProcessHandle> all = process.descendants().toList();
    long start = System.nanoTime();
    process.destroy();
    if (!process.waitFor(limit.toMillis(), TimeUnit.MILLISECONDS)) {
      process.destroyForcibly();
    }
    long millis = (System.nanoTime() - start) / 1_000_000;
    for (ProcessHandle p : all) {
      p.destroyForcibly();
    }
    for (ProcessHandle p : all) {
      p.onExit().orTimeout(10, TimeUnit.SECONDS).exceptionally(e -> p).join();
    }
    return millis;
  }

  private static long medianRss(List<ProcessHandle> processes) {
    long[] rss = processes.stream().mapToLong(Suite::rssMb).filter(r -> r > 0).sorted().toArray();
    return rss.length == 0 ? 0 : rss[rss.length / 2];
  }

  /** Resident set size in MB, from /proc. */
  private static long rssMb(ProcessHandle process) {
    try {
      for (String line : Files.readAllLines(Path.of("/proc", Long.toString(process.pid()),
          "status"))) {
        if (line.startsWith("VmRSS:")) {
          return Long.parseLong(line.replaceAll("\\D", "")) / 1024;
        }
      }
    } catch (IOException | NumberFormatException e) {
      // gone already
    }
    return 0;
  }

  private static <T> long median(List<T> values, java.util.function.ToLongFunction<T> f) {
    long[] sorted = values.stream().mapToLong(f).sorted().toArray();
    return sorted[sorted.length / 2];
  }

  private static String ratio(long figure, long baseline) {
    return baseline == 0 ? "" : String.format(Locale.ROOT, "%.2fx", (double) figure / baseline);
  }

  private static String micros(long us) {
    return us >= 10_000 ? String.format(Locale.ROOT, "%.1f ms", us / 1000.0) : us + " µs";
  }

  /** The CLI the way a user runs it from a checkout: the {@code parigot} script. */
  private String parigot() {
    return root.resolve("parigot").toString();
  }

  private static String java() {
    return Path.of(System.getProperty("java.home"), "bin", "java").toString();
  }

  private static void log(String format, Object... args) {
    System.out.printf("[bench] " + format + "%n", args);
  }

  private String table() {
    StringBuilder out = new StringBuilder();
    out.append("| benchmark | figure | baseline (same run) | baseline figure | ratio | goal |\n");
    out.append("|---|---:|---|---:|---:|---|\n");
    for (Row r : rows) {
      out.append("| ").append(r.what()).append(" | ").append(r.figure()).append(" | ")
          .append(r.baselineName()).append(" | ").append(r.baseline()).append(" | ")
          .append(r.ratio()).append(" | ").append(r.goal()).append(" |\n");
    }
    return out.toString();
  }

  private void writeDoc(String table) throws IOException {
    Path doc = root.resolve("docs/performance.md");
    String text = Files.readString(doc);
    int begin = text.indexOf(BEGIN);
    int end = text.indexOf(END);
    if (begin < 0 || end < begin) {
      throw new IllegalStateException(doc + " has lost its " + BEGIN + " / " + END + " markers");
    }
    String machine = machine();
    String generated = BEGIN + "\n_Generated by `bench/run` on " + LocalDate.now() + ", "
        + machine + ". Do not edit by hand._\n\n" + table + END;
    Files.writeString(doc, text.substring(0, begin) + generated
        + text.substring(end + END.length()));
    log("wrote %s", root.relativize(doc));
  }

  private static String machine() {
    String cpu = "unknown CPU";
    try {
      cpu = Files.readAllLines(Path.of("/proc/cpuinfo")).stream()
          .filter(l -> l.startsWith("model name")).findFirst()
          .map(l -> l.substring(l.indexOf(':') + 1).strip()).orElse(cpu);
    } catch (IOException e) {
      // keep unknown
    }
    long memGb = 0;
    try {
      memGb = Files.readAllLines(Path.of("/proc/meminfo")).stream()
          .filter(l -> l.startsWith("MemTotal")).findFirst()
          .map(l -> Long.parseLong(l.replaceAll("\\D", "")) / 1024 / 1024).orElse(0L);
    } catch (IOException e) {
      // keep 0
    }
    return Runtime.getRuntime().availableProcessors() + " cores (" + cpu + "), " + memGb
        + " GiB, Java " + System.getProperty("java.version");
  }

  private static void deleteTree(Path dir) throws IOException {
    if (!Files.exists(dir)) {
      return;
    }
    try (var walk = Files.walk(dir)) {
      for (Path p : walk.sorted(java.util.Comparator.reverseOrder()).collect(Collectors.toList())) {
        Files.delete(p);
      }
    }
  }
}
