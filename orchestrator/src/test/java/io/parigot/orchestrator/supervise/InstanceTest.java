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

  /** A main class whose dependencies are not on the classpath (the SDK's jar, say). */
  @Test
  void aMainClassThatCannotBeInitializedSaysWhichClassIsMissing() {
    assertEquals("Error: Unable to initialize main class com.acme.CounterService; caused by "
            + "java.lang.NoClassDefFoundError: com/google/protobuf/ProtocolMessageEnum (a class "
            + "its classpath does not have: is a jar missing?)",
        Instance.causeIn(List.of("Error: Unable to initialize main class com.acme.CounterService",
            "Caused by: java.lang.NoClassDefFoundError: com/google/protobuf/ProtocolMessageEnum")));
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
    assertEquals("Exception in thread \"main\" java.lang.IllegalStateException: no config; "
        + "caused by java.io.IOException: disk full", Instance.causeIn(List.of(
        "Exception in thread \"main\" java.lang.IllegalStateException: no config",
        "\tat Main.main(Main.java:3)", "Caused by: java.lang.RuntimeException: wrapped",
        "Caused by: java.io.IOException: disk full", "\t... 1 more")));
    // a cause inside a Suppressed: block is not the trace's
    assertEquals("Exception in thread \"main\" java.lang.IllegalStateException: no config; "
        + "caused by java.io.IOException: disk full", Instance.causeIn(List.of(
        "Exception in thread \"main\" java.lang.IllegalStateException: no config",
        "\tat Main.main(Main.java:3)", "Caused by: java.io.IOException: disk full",
        "\tSuppressed: java.lang.RuntimeException: closing", "\t\tat Main.close(Main.java:9)",
        "\tCaused by: java.lang.Error: inner")));
    assertEquals("it printed nothing", Instance.causeIn(List.of()));
  }
}
