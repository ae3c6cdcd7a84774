package io.parigot.orchestrator.control;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;

class SecretsTest {
  @Test
  void tokensAreFortyEightHexDigitsAndNeverRepeat() {
    Set<String> seen = new HashSet<>();
    for (int i = 0; i < 1000; i++) {
      String token = Secrets.token();
      assertTrue(token.matches("[0-9a-f]{48}"), token);
      seen.add(token);
    }
    assertEquals(1000, seen.size());
  }
}
