package io.parigot.sdk;

import io.parigot.control.naming.NameServer;
import io.parigot.control.naming.Resolution;
import io.parigot.control.v1.Endpoint;
import io.parigot.control.v1.Location;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * The name server of services running {@link Together}: the orchestrator's own {@link
 * NameServer} (requirements answered once ready; NOT_IN_DEPLOYMENT, CRASHED and CYCLE decided once
 * every service has registered or is gone), shared by the threads of one JVM under a lock.
 * Answers are delivered outside the lock, on the thread whose call decided them.
 */
final class TogetherNames {
  /** The answer to a service waiting for its requirements. */
  record Answer(List<Location> locations, LaunchFailure failure) {}

  private final NameServer names;
  /** The services' default budget, which Locate hands their callers; 0: parigot's 50 ms. */
  private final long budgetMillis;
  /** Answers decided under the lock, handed out after it. */
  private final List<Runnable> decided = new ArrayList<>();

  TogetherNames(List<String> serviceNames, long budgetMillis) {
    this.names = new NameServer(serviceNames);
    this.budgetMillis = budgetMillis;
  }

  /**
   * Registers {@code service}, unless another service exports one of its interfaces already: a
   * deployment runs one service per interface, since Locate must name one. Returns the refusal
   * then, in parigot up's words.
   */
  Optional<String> registered(String service, List<String> exports, List<String> requires,
      Endpoint endpoint) {
    List<String> refused = new ArrayList<>(1);
    deliver(() -> names.secondExporter(service, exports, other -> "").ifPresentOrElse(
        refused::add, () -> names.registered(service, exports, requires, endpoint, budgetMillis)));
    return refused.stream().findFirst();
  }

  void ready(String service) {
    deliver(() -> names.ready(service));
  }

  /**
   * The service ended (exited, or its main threw) with {@code exitCode} and will not come back;
   * those that require it fail their launch with CRASHED, told {@code cause}.
   */
  void gone(String service, int exitCode, String cause) {
    deliver(() -> {
      if (names.isReady(service)) {
        names.gone(service, true, "it exited with code " + exitCode
            + (cause == null ? "" : ": " + cause));
      } else {
        names.crashedAtStart(service, exitCode, cause);
      }
    });
  }

  /** The service's loop is wedged: it is marked failed, as a killed JVM would be. */
  void wedged(String service, String why) {
    deliver(() -> names.gone(service, true, why));
  }

  void await(String service, Consumer<Answer> answer) {
    deliver(() -> names.await(service, resolution ->
        decided.add(() -> answer.accept(answer(resolution)))));
  }

  /** Fails the wait of {@code service}, if it still waits, with NOT_READY_IN_TIME. */
  void notReadyInTime(String service, String limit) {
    deliver(() -> names.waitedTooLong(service, limit));
  }

  /** Applies {@code change} under the lock, then hands out the answers it decided. */
  private void deliver(Runnable change) {
    List<Runnable> answers;
    synchronized (this) {
      change.run();
      answers = List.copyOf(decided);
      decided.clear();
    }
    answers.forEach(Runnable::run);
  }

  private static Answer answer(Resolution resolution) {
    if (resolution.succeeded()) {
      return new Answer(resolution.locations(), null);
    }
    return new Answer(List.of(), new LaunchFailure(
        LaunchFailure.Reason.valueOf(resolution.reason()), resolution.message(), null));
  }
}
