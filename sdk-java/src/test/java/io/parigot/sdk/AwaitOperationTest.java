package io.parigot.sdk;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.protobuf.ByteString;
import com.google.protobuf.StringValue;
import io.grpc.ManagedChannel;
import io.grpc.MethodDescriptor;
import io.grpc.Server;
import io.grpc.ServerServiceDefinition;
import io.grpc.Status;
import io.grpc.inprocess.InProcessChannelBuilder;
import io.grpc.inprocess.InProcessServerBuilder;
import io.grpc.stub.ServerCalls;
import io.grpc.stub.StreamObserver;
import io.parigot.v1.OperationRequest;
import io.parigot.v1.OperationState;
import io.parigot.v1.OperationState.State;
import io.parigot.v1.ReservedError;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * {@link Remote#awaitOperation} against a service whose answers to the polls are scripted, on
 * grpc's in-process transport: which failed polls it polls through, and for how long.
 */
class AwaitOperationTest {
  private static final ServiceRef RENDER = ServiceRef.of("test.v1.Render");
  private static final MethodDescriptor<OperationRequest, OperationState> GET =
      Operations.method(RENDER.fullName(), Operations.GET);
  private static final String ID = "op-5f3a09c1-1";
  /** Short, so that a poll left unanswered is given up on quickly. */
  private static final Duration POLL_BUDGET = Duration.ofMillis(20);
  private static final StringValue REPORT = StringValue.of("the report");

  /** One answer of the service to a poll. */
  private interface Answer extends Consumer<StreamObserver<OperationState>> {}

  private static final Answer PENDING = state(OperationState.newBuilder().setState(State.PENDING));
  private static final Answer DONE = state(OperationState.newBuilder().setState(State.DONE)
      .setResponse(REPORT.toByteString()));
  /** The service cannot be reached: what gRPC fails a call with then. */
  private static final Answer UNREACHABLE = poll -> poll.onError(Status.UNAVAILABLE
      .withDescription("io exception").asRuntimeException());
  /** The poll ran past its budget: what the service's budget watchdog answers then. */
  private static final Answer OVER_BUDGET = poll -> poll.onError(
      Wire.budgetExceeded(GET.getFullMethodName(), POLL_BUDGET, POLL_BUDGET));
  /** No answer at all: the caller gives up on its own at the end of the budget. */
  private static final Answer SILENT = poll -> { };

  private static Answer state(OperationState.Builder state) {
    return poll -> {
      poll.onNext(state.setId(ID).build());
      poll.onCompleted();
    };
  }

  /**
   * A poll that fails transiently (the service unreachable for a moment, a poll over its budget,
   * answered or not) says nothing of the operation: the await polls on and gets the result.
   */
  @Test
  void aPollThatFailsTransientlyIsPolledAgain() throws Exception {
    Awaited awaited = await(List.of(UNREACHABLE, PENDING, OVER_BUDGET, SILENT), DONE);

    assertEquals(REPORT, awaited.result(), String.valueOf(awaited.failure()));
    assertEquals(5, awaited.polls());
  }

  /**
   * Five quick failures early in a wait (the backoff starts at 10 ms: a third of a second) do not
   * end it: the bound is also 2 s with no answer.
   */
  @Test
  void quickFailuresEarlyInAWaitDoNotEndIt() throws Exception {
    Awaited awaited = await(List.of(UNREACHABLE, UNREACHABLE, UNREACHABLE, UNREACHABLE,
        UNREACHABLE, UNREACHABLE, UNREACHABLE), DONE);

    assertEquals(REPORT, awaited.result(), String.valueOf(awaited.failure()));
    assertEquals(8, awaited.polls());
  }

  /**
   * The bound is on failures in a row: an answer between them starts the count (and the time)
   * again. Here 12 polls fail over about 3 s, 4 in a row at most.
   */
  @Test
  void anAnswerStartsTheCountOfFailedPollsAgain() throws Exception {
    List<Answer> script = new ArrayList<>();
    for (int i = 0; i < 3; i++) {
      script.addAll(List.of(UNREACHABLE, OVER_BUDGET, UNREACHABLE, SILENT, PENDING));
    }
    Awaited awaited = await(script, DONE);

    assertEquals(REPORT, awaited.result(), String.valueOf(awaited.failure()));
    assertEquals(16, awaited.polls());
  }

  /**
   * Polls that keep failing end the await once 5 have failed in a row and 2 s have passed with
   * no answer, saying so, with the last poll's failure as the cause.
   */
  @Test
  void pollsThatKeepFailingEndTheAwait() throws Exception {
    Awaited awaited = await(List.of(PENDING), UNREACHABLE);

    ServiceError error = assertInstanceOf(ServiceError.class, awaited.failure());
    assertEquals(ReservedError.DISPATCH_ERROR, error.code());
    assertTrue(error.getMessage().matches("test\\.v1\\.Render operation " + ID + " failed: "
        + "DISPATCH_ERROR \\(\\d+ polls in a row failed, over \\d+\\.\\d s, the last with "
        + "test\\.v1\\.Render/ParigotGetOperation failed: DISPATCH_ERROR \\(UNAVAILABLE: "
        + "test\\.v1\\.Render did not answer.*"), error.getMessage());
    assertTrue(error.getMessage().endsWith("; the operation may still be running: await or "
        + "poll " + ID + " again once test.v1.Render answers)"), error.getMessage());
    ServiceError last = assertInstanceOf(ServiceError.class, error.getCause().getCause());
    assertTrue(Wire.isTransient(last), last.getMessage());
    assertTrue(awaited.polls() > Remote.POLLS_FAILED_IN_A_ROW, "polls: " + awaited.polls());
    assertTrue(awaited.took().compareTo(Remote.UNANSWERED_FOR) >= 0, "took " + awaited.took());
  }

  static Stream<Arguments> finalAnswers() {
    return Stream.of(
        Arguments.of("the operation failed with a typed error",
            state(OperationState.newBuilder().setState(State.FAILED)
                .setErrorNumber(ServiceError.MARSHAL_FAILED).setErrorMessage("MARSHAL_FAILED")),
            ReservedError.MARSHAL_FAILED, "test.v1.Render operation " + ID
                + " failed: MARSHAL_FAILED"),
        Arguments.of("the operation was cancelled",
            state(OperationState.newBuilder().setState(State.CANCELLED)),
            ReservedError.DISPATCH_ERROR, "(the operation was cancelled)"),
        Arguments.of("the service does not know the id",
            state(OperationState.newBuilder().setState(State.UNKNOWN)),
            ReservedError.DISPATCH_ERROR, "(unknown operation: "),
        Arguments.of("the result does not parse",
            state(OperationState.newBuilder().setState(State.DONE)
                .setResponse(ByteString.copyFrom(new byte[] {(byte) 0xff}))),
            ReservedError.UNMARSHAL_FAILED, "failed: UNMARSHAL_FAILED"),
        Arguments.of("the poll failed with a typed error",
            (Answer) poll -> poll.onError(
                Wire.toStatus(new ServiceError(ReservedError.MARSHAL_FAILED, null, null))),
            ReservedError.MARSHAL_FAILED, "ParigotGetOperation failed: MARSHAL_FAILED"),
        Arguments.of("the service failed to carry the poll out",
            (Answer) poll -> poll.onError(Wire.toStatus(new IllegalStateException("a bug"))),
            ReservedError.DISPATCH_ERROR, "(INTERNAL: the method failed with "),
        Arguments.of("the poll was cancelled",
            (Answer) poll -> poll.onError(Status.CANCELLED.asRuntimeException()),
            ReservedError.DISPATCH_ERROR, "(CANCELLED)"));
  }

  /**
   * An answer that is not pending, or a poll's failure that is not transient, ends the await at
   * once: a second poll would have got the result.
   */
  @ParameterizedTest(name = "{0}")
  @MethodSource("finalAnswers")
  void aFinalAnswerEndsTheAwaitAtOnce(String what, Answer answer, ReservedError code,
      String saying) throws Exception {
    Awaited awaited = await(List.of(answer), DONE);

    ServiceError error = assertInstanceOf(ServiceError.class, awaited.failure(),
        "the await polled again and got " + awaited.result());
    assertEquals(code, error.code());
    assertTrue(error.getMessage().contains(saying), error.getMessage());
    assertEquals(1, awaited.polls());
  }

  private record Awaited(StringValue result, Throwable failure, int polls, Duration took) {}

  /**
   * Awaits operation {@link #ID} of a service that answers its polls with {@code first}, then
   * with {@code then} for good.
   */
  private static Awaited await(List<Answer> first, Answer then) throws Exception {
    Queue<Answer> script = new ConcurrentLinkedQueue<>(first);
    AtomicInteger polls = new AtomicInteger();
    String name = InProcessServerBuilder.generateName();
    Server server = InProcessServerBuilder.forName(name).directExecutor()
        .addService(ServerServiceDefinition.builder(RENDER.fullName())
            .addMethod(GET, ServerCalls.asyncUnaryCall((request, poll) -> {
              polls.incrementAndGet();
              Answer next = script.poll();
              (next == null ? then : next).accept(poll);
            }))
            .build())
        .build()
        .start();
    ManagedChannel channel = InProcessChannelBuilder.forName(name).directExecutor().build();
    EventLoop loop = new EventLoop(() -> "caller");
    Thread thread = new Thread(loop::run, "caller-loop");
    thread.start();
    try {
      CompletableFuture<StringValue> awaited = new CompletableFuture<>();
      Remote render = new Remote(RENDER, channel, loop, POLL_BUDGET);
      long start = System.nanoTime(); // before the await starts: took is never short
      loop.execute(() -> render.awaitOperation(ID, StringValue.parser()).onComplete(done -> {
        if (done.succeeded()) {
          awaited.complete(done.result());
        } else {
          awaited.completeExceptionally(done.cause());
        }
      }));
      try {
        StringValue result = awaited.get(10, TimeUnit.SECONDS);
        return new Awaited(result, null, polls.get(), Duration.ofNanos(System.nanoTime() - start));
      } catch (ExecutionException e) {
        return new Awaited(null, e.getCause(), polls.get(),
            Duration.ofNanos(System.nanoTime() - start));
      }
    } finally {
      loop.stop();
      thread.join(5_000);
      channel.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
      server.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
    }
  }
}
