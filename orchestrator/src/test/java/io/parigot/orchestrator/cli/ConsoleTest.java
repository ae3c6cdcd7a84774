package io.parigot.orchestrator.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.parigot.deploy.Deployment;
import io.parigot.deploy.JavaRuntime;
import io.parigot.deploy.RestartPolicy;
import io.parigot.deploy.ServiceSpec;
import io.parigot.orchestrator.control.StateDirectory;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ConsoleTest {
  @TempDir
  Path dir;

  @Test
  void everyLineOfAMessageCarriesTheOrchestratorsPrefix() throws Exception {
    Files.createDirectories(StateDirectory.of(dir).logs()); // as the claim makes it
    ByteArrayOutputStream printed = new ByteArrayOutputStream();
    Console console = new Console(new Deployment("shop", dir.resolve("deploy.yaml"), List.of()),
        StateDirectory.of(dir), new PrintStream(printed, true, StandardCharsets.UTF_8), false,
        true);

    console.warn("service \"cart\" failed:\n  its cause\n  and what to do");
    console.say("");

    assertEquals("parigot | service \"cart\" failed:\nparigot |   its cause\n"
        + "parigot |   and what to do\nparigot | \n", printed.toString(StandardCharsets.UTF_8));
  }

  /** Run as parigot up shop/deploy.yaml from elsewhere, its hints work from there. */
  @Test
  void theCommandsTheOrchestratorsLinesSuggestCarryTheFileUpWasGiven() throws Exception {
    Files.createDirectories(StateDirectory.of(dir).logs());
    ByteArrayOutputStream printed = new ByteArrayOutputStream();
    Console console = new Console(new Deployment("shop", dir.resolve("deploy.yaml"), List.of()),
        StateDirectory.of(dir), new PrintStream(printed, true, StandardCharsets.UTF_8), false,
        true);
    DeploymentOption given = new DeploymentOption();
    given.file = Path.of("shop/deploy.yaml");
    console.suggestFrom(given);

    console.say("service \"cart\" exited with code 143; it stays stopped until parigot start "
        + "cart");
    console.say("stopping (parigot down)");

    assertEquals("parigot | service \"cart\" exited with code 143; it stays stopped until "
        + "parigot start --file shop/deploy.yaml cart\nparigot | stopping (parigot down)\n",
        printed.toString(StandardCharsets.UTF_8));
  }

  @Test
  void colourIsForATerminalUnlessNoColorIsSetAndNotEmpty() {
    assertTrue(Console.wantsColor(true, null, "xterm-256color"));
    assertTrue(Console.wantsColor(true, "", "xterm-256color"));
    assertFalse(Console.wantsColor(true, "1", "xterm-256color"));
    assertFalse(Console.wantsColor(true, null, "dumb"));
    assertFalse(Console.wantsColor(false, null, "xterm-256color"));
  }

  /** A full disk (here /dev/full) loses the log's lines; the output says so, once. */
  @Test
  void aLogThatCannotBeWrittenIsSaidOnce() throws Exception {
    StateDirectory state = StateDirectory.of(dir);
    Files.createDirectories(state.logs());
    Files.createSymbolicLink(state.logOf("store"), Path.of("/dev/full"));
    ServiceSpec store = new ServiceSpec("store", Optional.of(Path.of("/shop/store.jar")),
        List.of(), Optional.empty(), List.of(), Map.of(), List.of(),
        new JavaRuntime(Path.of("/jdk/bin/java"), Path.of("/jdk"), "17.0.15", 17), false,
        List.of(), Optional.empty(), List.of(), Optional.empty(), RestartPolicy.DEFAULT,
        Duration.ofSeconds(30), Optional.empty(), true, 3, 3);
    ByteArrayOutputStream printed = new ByteArrayOutputStream();
    Console console = new Console(new Deployment("shop", dir.resolve("deploy.yaml"),
        List.of(store)), state, new PrintStream(printed, true, StandardCharsets.UTF_8), false,
        true);

    console.serviceLine("store", "serving", false);
    console.serviceLine("store", "still serving", false);

    assertEquals("store   | serving\n"
        + "parigot | could not write to the log of \"store\" (No space left on device); its "
        + "lines from here on are only in this output, not in `parigot logs`\n"
        + "store   | still serving\n", printed.toString(StandardCharsets.UTF_8));
  }

  /**
   * With {@code up --no-log-prefix}, a service's lines are printed as it wrote them, coloured or
   * not; parigot's own keep their prefix, no wider than "parigot" (no service name is shown to
   * align with); the log is the same either way.
   */
  @Test
  void withoutTheLogPrefixOnlyTheServicesLinesLoseIt() throws Exception {
    StateDirectory state = StateDirectory.of(dir);
    Files.createDirectories(state.logs());
    Deployment shop = new Deployment("shop", dir.resolve("deploy.yaml"),
        List.of(service("store"), service("the-shopping-cart")));
    for (boolean color : new boolean[] {false, true}) {
      ByteArrayOutputStream printed = new ByteArrayOutputStream();
      Console console = new Console(shop, state, new PrintStream(printed, true,
          StandardCharsets.UTF_8), color, false);

      console.serviceLine("store", "serving on :8080", false);
      console.serviceLine("the-shopping-cart", "", true);
      console.say("deployment \"shop\" is ready");
      console.serviceLine("the-shopping-cart", "  cart | 2 items", false);
      console.warn("program \"the-shopping-cart\" exited with code 3");
      console.close();

      String self = color ? "\u001b[1mparigot |\u001b[0m " : "parigot | ";
      String warning = color ? "\u001b[1;31mparigot |\u001b[0m " : "parigot | ";
      assertEquals("serving on :8080\n\n" + self + "deployment \"shop\" is ready\n"
          + "  cart | 2 items\n" + warning + "program \"the-shopping-cart\" exited with code 3\n",
          printed.toString(StandardCharsets.UTF_8), "colour " + color);
      assertEquals("serving on :8080\n", Files.readString(state.logOf("store")));
      assertEquals("\n  cart | 2 items\n", Files.readString(state.logOf("the-shopping-cart")));
    }
  }

  /** With the prefix, the same lines as parigot up has always printed them. */
  @Test
  void withThePrefixEveryLineIsAlignedOnTheLongestName() throws Exception {
    StateDirectory state = StateDirectory.of(dir);
    Files.createDirectories(state.logs());
    ByteArrayOutputStream printed = new ByteArrayOutputStream();
    Console console = new Console(new Deployment("shop", dir.resolve("deploy.yaml"),
        List.of(service("store"), service("the-shopping-cart"))), state,
        new PrintStream(printed, true, StandardCharsets.UTF_8), false, true);

    console.serviceLine("store", "serving on :8080", false);
    console.say("deployment \"shop\" is ready");
    console.close();

    assertEquals("store             | serving on :8080\n"
        + "parigot           | deployment \"shop\" is ready\n",
        printed.toString(StandardCharsets.UTF_8));
  }

  private static ServiceSpec service(String name) {
    return new ServiceSpec(name, Optional.of(Path.of("/shop/" + name + ".jar")),
        List.of(), Optional.empty(), List.of(), Map.of(), List.of(),
        new JavaRuntime(Path.of("/jdk/bin/java"), Path.of("/jdk"), "17.0.15", 17), false,
        List.of(), Optional.empty(), List.of(), Optional.empty(), RestartPolicy.DEFAULT,
        Duration.ofSeconds(30), Optional.empty(), true, 3, 3);
  }

  /** Each line of the log gets a record of where it ends and when; the log is unchanged. */
  @Test
  void eachLineOfTheLogHasItsTimeBesideIt() throws Exception {
    StateDirectory state = StateDirectory.of(dir);
    Files.createDirectories(state.logs());
    ServiceSpec store = new ServiceSpec("store", Optional.of(Path.of("/shop/store.jar")),
        List.of(), Optional.empty(), List.of(), Map.of(), List.of(),
        new JavaRuntime(Path.of("/jdk/bin/java"), Path.of("/jdk"), "17.0.15", 17), false,
        List.of(), Optional.empty(), List.of(), Optional.empty(), RestartPolicy.DEFAULT,
        Duration.ofSeconds(30), Optional.empty(), true, 3, 3);
    Console console = new Console(new Deployment("shop", dir.resolve("deploy.yaml"),
        List.of(store)), state, new PrintStream(new ByteArrayOutputStream(), true,
        StandardCharsets.UTF_8), false, true);
    long before = System.currentTimeMillis();
    console.serviceLine("store", "serving", false);
    console.serviceLine("store", "été", false);
    // a lone surrogate (output decoded in pieces, say) is written as UTF-8 writes it, '?'
    console.serviceLine("store", "\uD800!", false);
    long after = System.currentTimeMillis();
    console.close();

    assertEquals("serving\nété\n?!\n", Files.readString(state.logOf("store")));
    LogTimes times = LogTimes.read(state.logOf("store"), 0);
    long first = times.timeOf("serving\n".length());
    long second = times.timeOf("serving\nété\n".getBytes(StandardCharsets.UTF_8).length);
    long third = times.timeOf(Files.size(state.logOf("store")));
    assertTrue(before <= first && first <= second && second <= third && third <= after,
        first + " " + second + " " + third);
  }

  /** Output that fails (its reader gone, say) is told once, after the first line it lost. */
  @Test
  void outputThatFailsIsToldOnce() throws Exception {
    Files.createDirectories(StateDirectory.of(dir).logs());
    AtomicBoolean closed = new AtomicBoolean();
    OutputStream pipe = new OutputStream() {
      @Override
      public void write(int b) throws IOException {
        if (closed.get()) {
          throw new IOException("Broken pipe");
        }
      }
    };
    Console console = new Console(new Deployment("shop", dir.resolve("deploy.yaml"), List.of()),
        StateDirectory.of(dir), new PrintStream(pipe, true, StandardCharsets.UTF_8), false,
        true);
    AtomicInteger told = new AtomicInteger();
    console.whenOutputFails(told::incrementAndGet);

    console.say("ready");
    assertEquals(0, told.get());
    closed.set(true);
    console.say("still ready");
    console.warn("stopping");

    assertEquals(1, told.get());
  }
}
