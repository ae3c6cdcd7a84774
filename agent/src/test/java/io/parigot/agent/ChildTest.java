package io.parigot.agent;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Locale;
import org.junit.jupiter.api.Test;

class ChildTest {
  @Test
  void aSignalIsNamedWithOrWithoutSigInAnyCaseOrByItsPosixNumber() {
    assertEquals("TERM", Child.signalName("SIGTERM"));
    assertEquals("TERM", Child.signalName("term"));
    assertEquals("TERM", Child.signalName("15"));
    assertEquals("KILL", Child.signalName("9"));
    assertEquals("HUP", Child.signalName("1"));
    assertEquals("USR1", Child.signalName("sigusr1"));
    assertEquals("10", Child.signalName("10"), "numbers that differ between systems stay");
  }

  @Test
  void aLowerCaseNameReadsTheSameInATurkishLocale() {
    Locale before = Locale.getDefault();
    Locale.setDefault(Locale.forLanguageTag("tr-TR"));
    try {
      assertEquals("INT", Child.signalName("sigint"));
    } finally {
      Locale.setDefault(before);
    }
  }
}
