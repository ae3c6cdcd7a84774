package com.example;

import com.example.greeting.v1.FetchGreetingRequest;
import com.example.greeting.v1.FetchGreetingResponse;
import com.example.greeting.v1.GreetErr;
import com.example.greeting.v1.Greeting;
import io.parigot.sdk.Future;
import io.parigot.sdk.Parigot;

/** The service, implementing the generated interface. */
public final class GreetingService implements Greeting {
  @Override
  public Future<FetchGreetingResponse> fetchGreeting(FetchGreetingRequest request) {
    return request.getTongue().equals("fr")
        ? Future.succeeded(FetchGreetingResponse.newBuilder().setGreeting("bonjour").build())
        : Future.failed(GreetErr.UNKNOWN_LANG);
  }

  public static void main(String[] args) {
    Parigot.service(Greeting.bind(new GreetingService())).run();
  }
}
