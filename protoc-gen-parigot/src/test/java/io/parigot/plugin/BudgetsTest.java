package io.parigot.plugin;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.protobuf.compiler.PluginProtos.CodeGeneratorResponse;
import org.junit.jupiter.api.Test;

/**
 * A budget_millis past a Java int (it is a uint32) is written as a long literal: as an int
 * literal the generated client and binding did not compile ("integer number too large").
 */
class BudgetsTest {
  @Test
  void aBudgetPastAnIntIsALongLiteral() {
    CodeGeneratorResponse response =
        new CodeGenerator().generate(TestProtos.request("budgets/v1/budgets.proto"));

    assertFalse(response.hasError(), response.getError());
    for (String file : new String[] {"BudgetsClient", "BudgetsBinding"}) {
      String content = response.getFileList().stream()
          .filter(f -> f.getName().equals("io/parigot/codegen/budgets/v1/" + file + ".java"))
          .findFirst().orElseThrow().getContent();
      assertTrue(content.contains("Duration.ofMillis(4294967295L)"), content);
      assertTrue(content.contains("Duration.ofMillis(1)"), content);
    }
  }
}
