package io.parigot.sdk;

import io.grpc.MethodDescriptor;
import io.grpc.ServerServiceDefinition;
import io.grpc.stub.ServerCallStreamObserver;
import io.grpc.stub.ServerCalls;
import io.grpc.stub.StreamObserver;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;

/**
 * A service implementation bound to its generated gRPC plumbing, ready to be exported with
 * {@link Parigot#service(ServiceBinding)}. Generated code creates it (e.g. {@code
 * Greeting.bind(new GreetingService())}); service authors do not build one by hand.
 */
public final class ServiceBinding {
  private final ServiceRef service;
  private final List<MethodEntry<?, ?>> methods;
  private final Function<Context, Future<Void>> ready;

  private ServiceBinding(Builder builder) {
    this.service = builder.service;
    this.methods = List.copyOf(builder.methods);
    this.ready = builder.ready;
  }

  /** Starts a binding of {@code service}; for generated code. */
  public static Builder builder(ServiceRef service) {
    return new Builder(service);
  }

  /** The service interface this binding exports. */
  public ServiceRef service() {
    return service;
  }

  Future<Void> ready(Context context) {
    return ready.apply(context);
  }

  /**
   * The gRPC service whose every method body runs on {@code loop}, each call held to its budget
   * by {@code watchdog}; a method that fails other than with its service's error is logged to
   * {@code log}, with its stack.
   */
  ServerServiceDefinition bindTo(EventLoop loop, BudgetWatchdog watchdog, Operations operations,
      Log log) {
    ServerServiceDefinition.Builder definition = ServerServiceDefinition.builder(service.fullName());
    for (MethodEntry<?, ?> method : methods) {
      method.addTo(definition, service, loop, watchdog, log);
    }
    // every service answers polls of the operations it started (see Operations)
    new MethodEntry<>(Operations.method(service.fullName(), Operations.GET), null,
        request -> Future.succeeded(operations.state(request.getId(), service)))
        .addTo(definition, service, loop, watchdog, log);
    new MethodEntry<>(Operations.method(service.fullName(), Operations.CANCEL), null,
        request -> Future.succeeded(operations.cancel(request.getId(), service)))
        .addTo(definition, service, loop, watchdog, log);
    return definition.build();
  }

  /** Collects a binding's methods; for generated code. */
  public static final class Builder {
    private final ServiceRef service;
    private final List<MethodEntry<?, ?>> methods = new ArrayList<>();
    private Function<Context, Future<Void>> ready = context -> Future.done();

    private Builder(ServiceRef service) {
      this.service = service;
    }

    /** Adds a unary method whose body is {@code body}, with the service's budget. */
    public <Q, R> Builder unary(MethodDescriptor<Q, R> method, Function<Q, Future<R>> body) {
      methods.add(new MethodEntry<>(method, null, body));
      return this;
    }

    /**
     * Adds a unary method with a budget of its own (the {@code parigot.v1.budget_millis} method
     * option), which wins over the service's.
     */
    public <Q, R> Builder unary(MethodDescriptor<Q, R> method, Duration budget,
        Function<Q, Future<R>> body) {
      if (budget.isZero() || budget.isNegative()) {
        throw new IllegalArgumentException(method.getFullMethodName()
            + ": budget must be positive, not " + budget);
      }
      methods.add(new MethodEntry<>(method, budget, body));
      return this;
    }

    /** Sets the ready hook, run on the loop once every requirement is ready. */
    public Builder ready(Function<Context, Future<Void>> hook) {
      this.ready = hook;
      return this;
    }

    /** The finished binding. */
    public ServiceBinding build() {
      return new ServiceBinding(this);
    }
  }

  /** The budget of the method {@code fullMethodName} when it is not the default, else null. */
  Duration budget(String fullMethodName) {
    for (MethodEntry<?, ?> method : methods) {
      if (method.method().getFullMethodName().equals(fullMethodName)) {
        return method.budget();
      }
    }
    return null;
  }

  private record MethodEntry<Q, R>(MethodDescriptor<Q, R> method, Duration budget,
      Function<Q, Future<R>> body) {
    void addTo(ServerServiceDefinition.Builder definition, ServiceRef owner, EventLoop loop,
        BudgetWatchdog watchdog, Log log) {
      String name = method.getFullMethodName();
      Duration limit = watchdog.budgetOf(budget);
      definition.addMethod(method, ServerCalls.asyncUnaryCall((Q request, StreamObserver<R> response) -> {
        // a caller that gave up cancels the call; answering it then is a no-op, not an error
        ((ServerCallStreamObserver<R>) response).setOnCancelHandler(() -> { });
        Duration thisCall = BudgetWatchdog.served(limit);
        BudgetWatchdog.Call call = watchdog.arrive(name, thisCall, limit,
            () -> response.onError(Wire.budgetExceeded(name, thisCall, limit)));
        loop.execute(() -> invoke(request, response, call, owner, log));
      }));
    }

    private void invoke(Q request, StreamObserver<R> response, BudgetWatchdog.Call call,
        ServiceRef owner, Log log) {
      if (!call.begin()) {
        return;
      }
      Future<R> result;
      try {
        result = body.apply(request);
        if (result == null) {
          throw new NullPointerException(method.getFullMethodName() + " returned null instead of a Future");
        }
      } catch (RuntimeException | Error e) {
        // an Error too (an AssertionError, a StackOverflowError): a bug its caller hears of at
        // once, not the budget error once the watchdog gives up on an answer that never comes
        result = Future.failed(e);
      } finally {
        call.bodyReturned();
      }
      result.onComplete(done -> {
        boolean answering = call.answer(); // false: the budget answered the caller already
        Throwable failure = done.failed() ? done.cause() : null;
        if (failure instanceof ServiceError error && !owner.owns(error.code())) {
          failure = new Wire.ForeignError(error, owner);
          if (!error.isDispatchError()) {
            // a callee's typed error passed on unmapped: the callers would read its number as
            // another of their own errors; an outage passed on is told where it happened
            log.error("method " + method.getFullMethodName() + " failed with " + failure
                + ": its caller gets DISPATCH_ERROR. Map it to a value of "
                + owner.errorEnumName() + ", e.g. .recover(e -> Future.failed("
                + owner.errorEnumName() + ".SOME_ERROR)).", null);
          }
        } else if (done.failed() && !(done.cause() instanceof ServiceError)) {
          // a bug, not an answer: the caller gets DISPATCH_ERROR (or had the budget error), and
          // the service's own output says where it happened
          log.error("method " + method.getFullMethodName() + " failed (its caller "
              + (answering ? "gets DISPATCH_ERROR)" : "had the budget error already)"),
              done.cause());
        }
        if (!answering) {
          return;
        }
        if (done.succeeded()) {
          response.onNext(done.result());
          response.onCompleted();
        } else {
          response.onError(Wire.toStatus(failure));
        }
      });
    }
  }
}
