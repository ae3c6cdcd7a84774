package io.parigot.junit;

import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.parigot.sdk.Future;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

class ParigotExtensionTest {
  @RegisterExtension
  static final ParigotExtension parigot = ParigotExtension.builder().build();

  /**
   * A failed assertion inside the function given to call, or inside a callback of the future
   * it returns, fails the call with it, at once: not "did not finish within 10 s".
   */
  @Test
  void anAssertionThatFailsOnTheClientsLoopFailsTheCallWithIt() {
    AssertionError failed = new AssertionError("expected: <2> but was: <1>");

    assertSame(failed, assertThrows(AssertionError.class, () -> parigot.call(ctx -> {
      throw failed;
    })));
    assertSame(failed, assertThrows(AssertionError.class, () -> parigot.call(ctx ->
        Future.succeeded(1).map(n -> {
          throw failed;
        }))));
  }

  @Test
  void aFunctionThatReturnsNoFutureFailsTheCallSayingSo() {
    NullPointerException failed = assertThrows(NullPointerException.class,
        () -> parigot.call(ctx -> null));

    assertTrue(failed.getMessage().startsWith("the function given to call(...) or submit(...) "
        + "returned null instead of a future"), failed.getMessage());
  }
}
