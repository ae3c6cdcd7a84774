package io.parigot.orchestrator.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A command line picocli cannot read is said in one line, {@code parigot VERB: } what is wrong
 * {@code (see parigot VERB --help)}, with no usage after it, and exit code 2; whether or not a
 * deployment runs.
 */
class BadUsageTest {
  @TempDir
  Path dir;

  @Test
  void anUnknownOptionSuggestsTheNearOne() {
    assertBadUsage("parigot ps: unknown option '--jsn'; did you mean --json? "
        + "(see parigot ps --help)", "ps", "--jsn");
    assertBadUsage("parigot up: unknown option '--detatch'; did you mean --detach? "
        + "(see parigot up --help)", "up", "--detatch");
    assertBadUsage("parigot down: unknown option '--bogus' (see parigot down --help)",
        "down", "--bogus");
    // its value, too, is no option: the option is what is wrong
    assertBadUsage("parigot down: unknown option '-t' (see parigot down --help)",
        "down", "-t", "10");
    assertBadUsage("parigot: unknown option '--bogus' (see parigot --help)", "--bogus");
  }

  @Test
  void aMissingValueSaysWhatTheOptionTakes() {
    assertBadUsage("parigot logs: --tail (-n) needs a value: a number of lines, 0 or more "
        + "(see parigot logs --help)", "logs", "-n");
    assertBadUsage("parigot logs: --since needs a value: a time: a duration ago (10s, 5m, "
        + "1h30m) or a time (2026-12-01T22:00:00Z, 2026-12-01T22:00:00 in local time, 22:00 "
        + "today) (see parigot logs --help)", "logs", "--since");
    assertBadUsage("parigot kill: --signal (-s) needs a value: a signal, one of TERM, KILL, "
        + "INT, HUP, QUIT, USR1, USR2, STOP, CONT (or 1, 2, 3, 9, 15) "
        + "(see parigot kill --help)", "kill", "-s");
    assertBadUsage("parigot ps: --file needs a value: a deploy.yaml or its directory "
        + "(see parigot ps --help)", "ps", "--file");
  }

  @Test
  void aNumberThatIsNoneSaysWhatItTakes() {
    assertBadUsage("parigot logs: --tail (-n) takes a number of lines, 0 or more, not 'x' "
        + "(see parigot logs --help)", "logs", "-n", "x");
    assertBadUsage("parigot logs: --tail (-n) takes a number of lines, 0 or more, not '1.5' "
        + "(see parigot logs --help)", "logs", "--tail=1.5");
  }

  /** The values the verbs read themselves keep their messages, and are bad usage first. */
  @Test
  void aBadTimeTailOrSignalIsBadUsageWhereNothingEverRan() {
    assertBadUsage("parigot: --since \"yesterday\" is neither a duration nor a time; give "
        + LogTimes.FORMS, "logs", "--file", dir.toString(), "--since", "yesterday");
    assertBadUsage("parigot: --until \"5q\" is neither a duration nor a time; give "
        + LogTimes.FORMS, "logs", "--file", dir.toString(), "--until", "5q");
    assertBadUsage("parigot: --tail takes a number of lines, 0 or more, not -1",
        "logs", "--file", dir.toString(), "-n", "-1");
    assertBadUsage("parigot: unknown signal 'BOGUS'; use one of TERM, KILL, INT, HUP, QUIT, "
        + "USR1, USR2, STOP, CONT (or 1, 2, 3, 9, 15)",
        "kill", "--file", dir.toString(), "-s", "BOGUS", "store");
  }

  @Test
  void aMissingNameSaysWhatItNames() {
    assertBadUsage("parigot kill: give NAME: the service, as named in deploy.yaml "
        + "(see parigot kill --help)", "kill");
    assertBadUsage("parigot restart: give NAME: the service, as named in deploy.yaml "
        + "(see parigot restart --help)", "restart");
    assertBadUsage("parigot stop: give NAME: the services, as named in deploy.yaml "
        + "(see parigot stop --help)", "stop");
    assertBadUsage("parigot start: give NAME: the services, as named in deploy.yaml "
        + "(see parigot start --help)", "start");
  }

  @Test
  void tooManyArgumentsSaysWhatTheVerbTakes() {
    assertBadUsage("parigot kill: too many arguments: 'cart'; kill takes one NAME "
        + "(see parigot kill --help)", "kill", "store", "cart");
    assertBadUsage("parigot config: too many arguments: 'b.yaml'; config takes one FILE "
        + "(see parigot config --help)", "config", "a.yaml", "b.yaml");
    assertBadUsage("parigot completion: too many arguments: 'bash'; completion takes none "
        + "(see parigot completion --help)", "completion", "bash");
  }

  @Test
  void anOptionGivenTwiceIsSaidOnce() {
    assertBadUsage("parigot logs: --tail (-n) is given twice; give it once "
        + "(see parigot logs --help)", "logs", "-n", "1", "--tail", "2");
    assertBadUsage("parigot ps: --json is given twice; give it once (see parigot ps --help)",
        "ps", "--json", "--json");
    assertBadUsage("parigot up: --detach (-d) is given twice; give it once "
        + "(see parigot up --help)", "up", "-d", "-d");
  }

  @Test
  void anUnknownCommandForHelpIsNamedAsOne() {
    assertBadUsage("parigot: unknown command 'bogus'. The commands: up, ps, kill, restart, "
        + "stop, start, logs, down, config, completion (see parigot --help).", "help", "bogus");
  }

  private static void assertBadUsage(String line, String... args) {
    Cli.Said said = Cli.run(args);
    assertEquals(line + "\n", said.err(), String.join(" ", args));
    assertEquals("", said.out(), String.join(" ", args));
    assertEquals(2, said.code(), String.join(" ", args));
  }
}
