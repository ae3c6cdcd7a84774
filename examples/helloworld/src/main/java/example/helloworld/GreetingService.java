package example.helloworld;

import example.helloworld.greeting.v1.FetchGreetingRequest;
import example.helloworld.greeting.v1.FetchGreetingResponse;
import example.helloworld.greeting.v1.GreetErr;
import example.helloworld.greeting.v1.Greeting;
import example.helloworld.greeting.v1.Tongue;
import io.parigot.sdk.Future;
import io.parigot.sdk.Parigot;
import java.util.Map;

/** The greeting service: knows the word of greeting in a few tongues. */
public final class GreetingService implements Greeting {
  private static final Map<Tongue, String> WORDS =
      Map.of(Tongue.ENGLISH, "hello", Tongue.FRENCH, "bonjour", Tongue.GERMAN, "guten Tag");

  @Override
  public Future<FetchGreetingResponse> fetchGreeting(FetchGreetingRequest request) {
    String word = WORDS.get(request.getTongue());
    return word == null
        ? Future.failed(GreetErr.UNKNOWN_LANG)
        : Future.succeeded(FetchGreetingResponse.newBuilder().setGreeting(word).build());
  }

  public static void main(String[] args) {
    Parigot.service(Greeting.bind(new GreetingService())).run();
  }
}
