package example.helloworld;

import example.helloworld.greeting.v1.FetchGreetingRequest;
import example.helloworld.greeting.v1.FetchGreetingResponse;
import example.helloworld.greeting.v1.GreetErr;
import example.helloworld.greeting.v1.Greeting;
import example.helloworld.greeting.v1.Tongue;
import io.parigot.sdk.Context;
import io.parigot.sdk.Future;
import io.parigot.sdk.Parigot;
import java.util.Map;

/**
 * The greeting service: knows the word of greeting in a few tongues, and says how many it gave
 * when it stops (an exit hook: it runs on {@code parigot down}, Ctrl-C or when the program ends).
 */
public final class GreetingService implements Greeting {
  private static final Map<Tongue, String> WORDS =
      Map.of(Tongue.ENGLISH, "hello", Tongue.FRENCH, "bonjour", Tongue.GERMAN, "guten Tag");

  private long greeted;

  @Override
  public Future<FetchGreetingResponse> fetchGreeting(FetchGreetingRequest request) {
    String word = WORDS.get(request.getTongue());
    if (word == null) {
      // the error's name is for the caller's code; the detail, for the person reading it
      return Future.failed(GreetErr.UNKNOWN_LANG, "no greeting in " + request.getTongue());
    }
    greeted++;
    return Future.succeeded(FetchGreetingResponse.newBuilder().setGreeting(word).build());
  }

  public static void main(String[] args) {
    GreetingService service = new GreetingService();
    Context greeting = Parigot.service(Greeting.bind(service));
    greeting.onExit(() -> greeting.log().info("stopping after " + service.greeted
        + (service.greeted == 1 ? " greeting" : " greetings")));
    greeting.run();
  }
}
