package io.parigot.sdk;

import com.google.protobuf.ProtocolMessageEnum;

/**
 * A failed parigot call, carrying the callee's typed error: a value of the service's error enum
 * (bound with the {@code parigot.v1.error_id_name} service option).
 *
 * <p>The first four values of every error enum are reserved: {@code NO_ERROR} (0), {@code
 * DISPATCH_ERROR} (1), {@code UNMARSHAL_FAILED} (2) and {@code MARSHAL_FAILED} (3). Transport
 * failures, a callee that crashed and calls past their budget all arrive as {@code
 * DISPATCH_ERROR}, with what happened as the {@linkplain #getCause() cause}.
 */
public final class ServiceError extends RuntimeException {
  /** The number of the reserved {@code DISPATCH_ERROR} value of every error enum. */
  public static final int DISPATCH_ERROR = 1;
  /** The number of the reserved {@code UNMARSHAL_FAILED} value of every error enum. */
  public static final int UNMARSHAL_FAILED = 2;
  /** The number of the reserved {@code MARSHAL_FAILED} value of every error enum. */
  public static final int MARSHAL_FAILED = 3;

  private final ProtocolMessageEnum code;

  /**
   * A typed error; {@code where} (e.g. {@code greeting.v1.Greeting/FetchGreeting}) and {@code
   * cause} may be null. {@code NO_ERROR} (0) is refused: it is no error, and a call that failed
   * with it would tell its caller nothing.
   */
  public ServiceError(ProtocolMessageEnum code, String where, Throwable cause) {
    super(describe(check(code), where, cause), cause);
    this.code = code;
  }

  private static ProtocolMessageEnum check(ProtocolMessageEnum code) {
    if (code == null) {
      throw new NullPointerException("code");
    }
    if (code.getNumber() == 0) {
      throw new IllegalArgumentException((code instanceof Enum<?> e ? e.name() : "0")
          + " (0) is no error: a method that succeeded answers with its response "
          + "(Future.succeeded(response)); one that failed, with one of its own errors (4 and up) "
          + "or DISPATCH_ERROR");
    }
    return code;
  }

  private static String describe(ProtocolMessageEnum code, String where, Throwable cause) {
    String name = code instanceof Enum<?> e ? e.name() : String.valueOf(code.getNumber());
    StringBuilder text = new StringBuilder();
    if (where != null) {
      text.append(where).append(" failed: ");
    }
    text.append(name);
    if (cause != null && cause.getMessage() != null) {
      text.append(" (").append(cause.getMessage()).append(')');
    }
    return text.toString();
  }

  /** The error enum value, e.g. {@code GreetErr.UNKNOWN_LANG}. */
  public ProtocolMessageEnum code() {
    return code;
  }

  /** The error's number in its enum. */
  public int number() {
    return code.getNumber();
  }

  /**
   * Whether the call ran past its budget: a {@code DISPATCH_ERROR} whose cause says {@code
   * budget exceeded}, naming the method and its budget.
   */
  public boolean isBudgetExceeded() {
    return isDispatchError() && getCause() != null && getCause().getMessage() != null
        && getCause().getMessage().startsWith(Wire.BUDGET_EXCEEDED);
  }

  /** Whether this is the reserved {@code DISPATCH_ERROR}: the call could not be carried out. */
  public boolean isDispatchError() {
    return code.getNumber() == DISPATCH_ERROR;
  }
}
