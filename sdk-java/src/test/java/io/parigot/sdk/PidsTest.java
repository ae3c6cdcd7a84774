package io.parigot.sdk;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

class PidsTest {
  @Test
  void theyAreTheIdsProcessHandleGives() {
    assertEquals(ProcessHandle.current().pid(), Pids.self());
    assertEquals(ProcessHandle.current().parent().orElseThrow().pid(), Pids.parent());
  }
}
