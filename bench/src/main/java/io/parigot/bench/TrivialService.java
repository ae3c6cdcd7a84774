package io.parigot.bench;

import io.parigot.sdk.Future;
import io.parigot.sdk.Parigot;
import io.parigot.sdk.ServiceBinding;
import io.parigot.sdk.ServiceRef;

/**
 * A parigot service that does nothing but echo: what "a trivial service" means in the start-up
 * benchmarks. {@code args[0]} is its index; it exports {@code bench.Svc<index>}.
 */
public final class TrivialService {
  /** A request with this text makes the method sleep 1 s on the loop: a wedge. */
  static final String WEDGE = "wedge";

  private TrivialService() {}

  private static void sleep() {
    try {
      Thread.sleep(1000);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  public static void main(String[] args) {
    int index = Integer.parseInt(args[0]);
    ServiceRef ref = ServiceRef.of(Echo.serviceName(index), BenchErr::forNumber);
    Parigot.service(ServiceBinding.builder(ref)
        .unary(Echo.method(index), request -> {
          if (request.getValue().equals(WEDGE)) {
            sleep(); // the budget-kill benchmark wedges the loop on purpose
          }
          return Future.succeeded(request);
        })
        .build()).run();
  }
}
