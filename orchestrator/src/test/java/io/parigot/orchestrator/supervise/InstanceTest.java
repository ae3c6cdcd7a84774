package io.parigot.orchestrator.supervise;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import org.junit.jupiter.api.Test;

class InstanceTest {
  @Test
  void aJvmThatCouldNotStartIsBlamedOnWhatTheLauncherRefused() {
    assertEquals("Unrecognized VM option 'UseSerialGc'; Did you mean '(+/-)UseSerialGC'? (the "
            + "JVM could not start)",
        Instance.causeIn(List.of("Unrecognized VM option 'UseSerialGc'",
            "Did you mean '(+/-)UseSerialGC'?",
            "Error: Could not create the Java Virtual Machine.",
            "Error: A fatal exception has occurred. Program will exit.")));
  }

  @Test
  void theLaunchersWordsAreFoundWhereItsTwoStreamsShareALine() {
    assertEquals("Unrecognized VM option 'UseSerialGc'; Did you mean '(+/-)UseSerialGC'? (the "
            + "JVM could not start)",
        Instance.causeIn(List.of("Unrecognized VM option 'UseSerialGc'",
            "Did you mean '(+/-)UseSerialGC'? Error: Could not create the Java Virtual Machine.",
            "Error: A fatal exception has occurred. Program will exit.")));
  }

  @Test
  void anExceptionIsBlamedOnItsFirstLine() {
    assertEquals("Exception in thread \"main\" java.lang.IllegalStateException: no config",
        Instance.causeIn(List.of("starting", "Exception in thread \"main\" "
            + "java.lang.IllegalStateException: no config", "\tat Main.main(Main.java:3)")));
    assertEquals("Error: Could not find or load main class a.B", Instance.causeIn(List.of(
        "Error: Could not find or load main class a.B",
        "Caused by: java.lang.ClassNotFoundException: a.B")));
    assertEquals("its last words: bye", Instance.causeIn(List.of("hello", "bye")));
    assertEquals("it printed nothing", Instance.causeIn(List.of()));
  }
}
