package io.parigot.sdk;

import java.util.List;

/**
 * Where a parigot service or program starts.
 *
 * <pre>{@code
 * public static void main(String[] args) {                       // a service
 *   Parigot.service(Greeting.bind(new GreetingService())).run();
 * }
 *
 * public static void main(String[] args) {                       // a program
 *   Context hello = Parigot.program("hello").require(Greeting.SERVICE);
 *   hello.launch().onSuccess(ready -> ...);
 *   hello.run();
 * }
 * }</pre>
 */
public final class Parigot {
  private Parigot() {}

  /** A service that exports {@code binding} (and, optionally, more bindings). */
  public static Context service(ServiceBinding binding, ServiceBinding... more) {
    List<ServiceBinding> all = new java.util.ArrayList<>();
    all.add(binding);
    all.addAll(List.of(more));
    return new Context(binding.service().fullName(), all, null);
  }

  /**
   * A program: code that exports nothing and runs to completion, like parigot's {@code
   * Main=true}. Its exit code becomes the deployment's.
   */
  public static Context program(String name) {
    return new Context(name, List.of(), null);
  }
}
