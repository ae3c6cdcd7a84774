package io.parigot.sdk;

import com.google.protobuf.ProtocolMessageEnum;
import io.grpc.Metadata;
import io.grpc.Status;
import io.grpc.StatusException;
import io.grpc.StatusRuntimeException;
import java.nio.charset.StandardCharsets;

/** How a typed error travels between services: a gRPC status with the error's number in a trailer. */
final class Wire {
  static final Metadata.Key<String> ERROR_KEY =
      Metadata.Key.of("parigot-error", Metadata.ASCII_STRING_MARSHALLER);

  /** The detail of a typed error, UTF-8: a {@code -bin} key, since a detail may be any text. */
  static final Metadata.Key<byte[]> DETAIL_KEY =
      Metadata.Key.of("parigot-error-detail-bin", Metadata.BINARY_BYTE_MARSHALLER);

  private Wire() {}

  /** The status and trailers a method's failure is sent as. */
  static StatusException toStatus(Throwable failure) {
    Metadata trailers = new Metadata();
    if (failure instanceof ServiceError error) {
      trailers.put(ERROR_KEY, Integer.toString(error.number()));
      error.detail().ifPresent(detail ->
          trailers.put(DETAIL_KEY, cut(detail, DETAIL_LIMIT).getBytes(StandardCharsets.UTF_8)));
      return Status.UNKNOWN.withDescription(cut(error.getMessage(), DESCRIPTION_LIMIT))
          .asException(trailers);
    }
    trailers.put(ERROR_KEY, Integer.toString(ServiceError.DISPATCH_ERROR));
    return Status.INTERNAL
        .withDescription(cut("the method failed with " + failure, DESCRIPTION_LIMIT))
        .withCause(failure)
        .asException(trailers);
  }

  /**
   * The most of a status's description sent, in bytes of UTF-8. A call's trailers hold 8 KiB in
   * all (grpc-java's default), and a description is percent-encoded in them (up to three times
   * its size): past that, the caller gets a transport error (RST_STREAM) instead of the answer.
   */
  static final int DESCRIPTION_LIMIT = 1500;

  /** The most of a typed error's detail sent, in bytes of UTF-8: it also travels in base 64. */
  static final int DETAIL_LIMIT = 1000;

  /**
   * {@code text} cut to {@code limit} bytes of UTF-8, with a note that says so included (cut
   * again, it stays the same); null when null or empty.
   */
  static String cut(String text, int limit) {
    if (text == null || text.isEmpty()) {
      return null;
    }
    int length = text.getBytes(StandardCharsets.UTF_8).length;
    if (length <= limit) {
      return text;
    }
    String note = "... (cut from " + length + " bytes)";
    int bytes = 0;
    int end = 0;
    while (end < text.length()) {
      int point = text.codePointAt(end);
      bytes += point < 0x80 ? 1 : point < 0x800 ? 2 : point < 0x10000 ? 3 : 4;
      if (bytes > limit - note.length()) {
        break;
      }
      end += Character.charCount(point);
    }
    return text.substring(0, end) + note;
  }

  /** The answer to a call whose budget ran out before the method answered. */
  static StatusException budgetExceeded(String method, java.time.Duration budget,
      java.time.Duration methodBudget) {
    Metadata trailers = new Metadata();
    trailers.put(ERROR_KEY, Integer.toString(ServiceError.DISPATCH_ERROR));
    return Status.DEADLINE_EXCEEDED
        .withDescription(BUDGET_EXCEEDED + method + " did not answer within its "
            + BudgetWatchdog.budgetText(budget, methodBudget))
        .asException(trailers);
  }

  /** How the cause of every budget failure starts. */
  static final String BUDGET_EXCEEDED = "budget exceeded: ";

  /** The caller's view of a failed call: the callee's typed error, or DISPATCH_ERROR. */
  static ServiceError toServiceError(ServiceRef service, String method, java.time.Duration budget,
      java.time.Duration methodBudget, Throwable failure) {
    Status status = Status.fromThrowable(failure);
    Metadata trailers = Status.trailersFromThrowable(failure);
    String number = trailers == null ? null : trailers.get(ERROR_KEY);
    Integer typed = null;
    if (number != null && status.getCode() == Status.Code.UNKNOWN) {
      try {
        typed = Integer.parseInt(number);
        ProtocolMessageEnum code = service.knownError(typed);
        if (code != null) {
          byte[] detail = trailers.get(DETAIL_KEY);
          return new ServiceError(code, method,
              detail == null ? null : new String(detail, StandardCharsets.UTF_8), null);
        }
      } catch (IllegalArgumentException e) {
        // not one of ours (not a number, or 0, which is no error): a dispatch error
      }
    }
    Throwable cause = failure instanceof StatusRuntimeException || failure instanceof StatusException
        ? new CallFailedException(status)
        : failure;
    if (typed != null && typed > 0) {
      // a value the callee's enum has and the caller's does not: the caller was built from an
      // older .proto than the service
      cause = new CallFailedException(Status.UNKNOWN.withDescription(service.fullName()
          + " failed with its error number " + typed
          + (status.getDescription() == null ? "" : " (" + status.getDescription() + ")")
          + ", which " + service.errorEnumName() + " as this caller was built does not have: "
          + "build the caller from the service's current .proto"));
    } else if (status.getCode() == Status.Code.UNAVAILABLE) {
      // gRPC's own words ("io exception") say nothing of the service: say what it means
      cause = new CallFailedException(Status.UNAVAILABLE.withCause(status.getCause())
          .withDescription(service.fullName() + " did not answer: it is not running (it exited "
              + "or was stopped, or is restarting) or cannot be reached"
              + (status.getDescription() == null ? "" : " (" + status.getDescription() + ")")));
    } else if (status.getCode() == Status.Code.DEADLINE_EXCEEDED
        && (status.getDescription() == null
        || !status.getDescription().startsWith(BUDGET_EXCEEDED))) {
      // the caller's own deadline: no answer came at all, not even the callee's budget error
      cause = new CallFailedException(Status.DEADLINE_EXCEEDED.withDescription(BUDGET_EXCEEDED
          + method + " did not answer within its "
          + BudgetWatchdog.budgetText(budget, methodBudget) + " (no answer came; the caller "
          + "gave up " + BudgetWatchdog.CALLER_MARGIN.toMillis()
          + " ms after it)"));
    }
    return new ServiceError(service.error(ServiceError.DISPATCH_ERROR), method, cause);
  }

  /**
   * A method's failure with a {@link ServiceError} of another service's enum (a callee's error
   * passed on, unmapped): its number means something else in the enum its callers read, so it
   * travels as a dispatch error that names it.
   */
  static final class ForeignError extends RuntimeException {
    ForeignError(ServiceError error, ServiceRef owner) {
      super("another service's error, " + error.getMessage() + " (of "
          + ServiceRef.enumName(error.code()) + ", where " + owner.fullName() + " fails with "
          + owner.errorEnumName() + ")", error);
    }

    @Override
    public String toString() {
      return getMessage();
    }
  }

  /**
   * Whether a call that failed this way may well succeed if made again, as gRPC's retry policies
   * see {@code UNAVAILABLE}: the callee could not be reached, or did not answer within the
   * budget. A typed error, a callee that failed to carry the call out, a cancelled call: the
   * same call fails the same way.
   */
  static boolean isTransient(Throwable failure) {
    return failure instanceof ServiceError error && error.isDispatchError()
        && (error.isBudgetExceeded() || error.getCause() instanceof CallFailedException call
        && call.code == Status.Code.UNAVAILABLE);
  }

  /** The transport-level cause of a DISPATCH_ERROR: the gRPC status, without its stack noise. */
  static final class CallFailedException extends RuntimeException {
    private final Status.Code code;

    CallFailedException(Status status) {
      super(status.getCode() == Status.Code.DEADLINE_EXCEEDED && status.getDescription() != null
              ? status.getDescription()
              : status.getCode() + (status.getDescription() == null ? ""
                  : ": " + status.getDescription()),
          status.getCause());
      this.code = status.getCode();
    }
  }
}
