package example.helloworld;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import example.helloworld.greeting.v1.FetchGreetingRequest;
import example.helloworld.greeting.v1.Greeting;
import example.helloworld.greeting.v1.GreetingClient;
import example.helloworld.greeting.v1.Tongue;
import io.parigot.junit.ParigotExtension;
import io.parigot.sdk.Future;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * A test that keeps a client and calls it on its own thread, off the loop its futures belong to:
 * told at once, with the way to hand the call in.
 */
class OffTheLoopTogetherTest {
  @RegisterExtension
  static final ParigotExtension parigot = ParigotExtension.builder()
      .service("greeting", GreetingService::main)
      .require(Greeting.SERVICE)
      .build();

  private static final FetchGreetingRequest FRENCH =
      FetchGreetingRequest.newBuilder().setTongue(Tongue.FRENCH).build();

  @Test
  void aClientCalledOnTheTestsThreadSaysHowToHandTheCallIn() {
    GreetingClient client = parigot.call(ctx -> Future.succeeded(GreetingClient.locate(ctx)));

    IllegalStateException e = assertThrows(IllegalStateException.class,
        () -> client.fetchGreeting(FRENCH));

    assertEquals("junit: greeting.v1.Greeting/FetchGreeting was called on thread \""
        + Thread.currentThread().getName() + "\", not on junit's event loop: a client, and the "
        + "futures of its calls, belong to the loop of the context that located it. Call it "
        + "from a method body, a callback, ready or a timer; from another thread, hand the call "
        + "in with context.execute(...) (in a test: parigot.call(ctx -> ...) or "
        + "parigot.submit(ctx -> ...)).", e.getMessage());
    // handed in, the same client works
    assertEquals("bonjour", parigot.call(ctx -> client.fetchGreeting(FRENCH)).getGreeting());
  }
}
