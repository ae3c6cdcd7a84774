package io.parigot.sdk;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import org.junit.jupiter.api.Test;

class PidsTest {
  @Test
  void theyAreTheIdsProcessHandleGives() {
    assertEquals(ProcessHandle.current().pid(), Pids.self());
    assertEquals(ProcessHandle.current().parent().orElseThrow().pid(), Pids.parent());
  }

  @Test
  void aCommandNameWithSpacesAndParenthesesIsSkipped() {
    assertArrayEquals(new long[] {4242, 4200},
        Pids.parse("4242 (a (weird) name) S 4200 4242 4200 0 -1 4194560 1 0 0 0"));
    assertArrayEquals(new long[] {7, 1}, Pids.parse("7 (java) R 1 7 7 0 -1"));
  }

  @Test
  void whatDoesNotReadAsAStatLineIsNothing() {
    assertNull(Pids.parse(""));
    assertNull(Pids.parse("java) S 1 2"));
    assertNull(Pids.parse("12 (java) S"));
    assertNull(Pids.parse("x (java) S 1 2"));
  }
}
