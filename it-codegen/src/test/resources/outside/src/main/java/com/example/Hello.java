package com.example;

import com.example.greeting.v1.FetchGreetingRequest;
import com.example.greeting.v1.GreetErr;
import com.example.greeting.v1.Greeting;
import com.example.greeting.v1.GreetingClient;
import io.parigot.sdk.Context;
import io.parigot.sdk.Parigot;

/** A program calling the service through the generated client. */
public final class Hello {
  private Hello() {}

  public static void main(String[] args) {
    Context hello = Parigot.program("hello").require(Greeting.SERVICE);
    hello.launch()
        .compose(launched -> GreetingClient.locate(hello)
            .fetchGreeting(FetchGreetingRequest.newBuilder().setTongue("fr").build()))
        .onSuccess(response -> {
          System.out.println(response.getGreeting() + ", world");
          hello.exit(0);
        })
        .onFailure(failure -> {
          GreetErr error = GreetingClient.errorOf(failure);
          System.out.println("hello: " + error + ": " + failure.getMessage());
          hello.exit(1);
        });
    hello.run();
  }
}
