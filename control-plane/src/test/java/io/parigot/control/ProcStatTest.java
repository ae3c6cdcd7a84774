package io.parigot.control;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Optional;
import org.junit.jupiter.api.Test;

class ProcStatTest {
  @Test
  void thisJvmIsWhatProcessHandleSays() {
    ProcStat self = ProcStat.self().orElseThrow();
    assertEquals(ProcessHandle.current().pid(), self.pid());
    assertEquals(ProcessHandle.current().parent().orElseThrow().pid(), self.parentPid());
    assertTrue(self.state() != 'Z' && self.state() != 'T', "state " + self.state());
    assertEquals(Optional.of(self.pid()), ProcStat.of(self.pid()).map(ProcStat::pid));
  }

  @Test
  void aCommandNameWithSpacesAndParenthesesIsSkipped() {
    assertEquals(Optional.of(new ProcStat(4242, 'S', 4200)),
        ProcStat.parse("4242 (a (weird) name) S 4200 4242 4200 0 -1 4194560 1 0 0 0"));
    assertEquals(Optional.of(new ProcStat(7, 'R', 1)), ProcStat.parse("7 (java) R 1 7 7 0 -1"));
  }

  @Test
  void whatDoesNotReadAsAStatLineIsNothing() {
    assertTrue(ProcStat.parse("").isEmpty());
    assertTrue(ProcStat.parse("java) S 1 2").isEmpty());
    assertTrue(ProcStat.parse("12 (java) S").isEmpty());
    assertTrue(ProcStat.parse("x (java) S 1 2").isEmpty());
  }

  @Test
  void aProcessThatIsGoneIsNothing() {
    assertTrue(ProcStat.of(Long.MAX_VALUE).isEmpty());
  }
}
