package example.helloworld;

import example.helloworld.greeting.v1.FetchGreetingRequest;
import example.helloworld.greeting.v1.Greeting;
import example.helloworld.greeting.v1.GreetingClient;
import example.helloworld.greeting.v1.Tongue;
import io.parigot.sdk.Context;
import io.parigot.sdk.Parigot;

/** The hello program: asks Greeting for the French word and prints "bonjour, world". */
public final class Hello {
  private Hello() {}

  public static void main(String[] args) {
    Context hello = Parigot.program("hello").require(Greeting.SERVICE);
    hello.launch()
        .compose(launched -> GreetingClient.locate(hello).fetchGreeting(
            FetchGreetingRequest.newBuilder().setTongue(Tongue.FRENCH).build()))
        .onSuccess(response -> {
          System.out.println(response.getGreeting() + ", world");
          hello.exit(0);
        })
        .onFailure(error -> {
          System.out.println("hello: " + error.getMessage());
          hello.exit(1);
        });
    hello.run();
  }
}
