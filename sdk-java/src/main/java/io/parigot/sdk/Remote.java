package io.parigot.sdk;

import io.grpc.CallOptions;
import io.grpc.Channel;
import io.grpc.MethodDescriptor;
import io.grpc.stub.ClientCalls;
import io.grpc.stub.StreamObserver;

/**
 * A located service: the channel to it and the caller's event loop that answers arrive on.
 * Generated clients (e.g. {@code GreetingClient}) call through it; service authors use the
 * generated client instead.
 */
public final class Remote {
  private final ServiceRef service;
  private final Channel channel;
  private final EventLoop loop;

  Remote(ServiceRef service, Channel channel, EventLoop loop) {
    this.service = service;
    this.channel = channel;
    this.loop = loop;
  }

  /** The located service. */
  public ServiceRef service() {
    return service;
  }

  /**
   * Calls a unary method; the future completes on the caller's event loop, with the response or
   * with a {@link ServiceError} typed by the callee's error enum.
   */
  public <Q, R> Future<R> unary(MethodDescriptor<Q, R> method, Q request) {
    Promise<R> promise = Promise.promise();
    ClientCalls.asyncUnaryCall(channel.newCall(method, CallOptions.DEFAULT), request,
        new StreamObserver<R>() {
          private R value;

          @Override
          public void onNext(R response) {
            value = response;
          }

          @Override
          public void onError(Throwable failure) {
            ServiceError error = Wire.toServiceError(service, method.getFullMethodName(), failure);
            loop.execute(() -> promise.tryFail(error));
          }

          @Override
          public void onCompleted() {
            R response = value;
            loop.execute(() -> promise.tryComplete(response));
          }
        });
    return promise.future();
  }
}
