package io.parigot.sdk;

import com.google.protobuf.ProtocolMessageEnum;
import java.util.Optional;

/**
 * A failed parigot call, carrying the callee's typed error: a value of the service's error enum
 * (bound with the {@code parigot.v1.error_id_name} service option).
 *
 * <p>The first four values of every error enum are reserved: {@code NO_ERROR} (0), {@code
 * DISPATCH_ERROR} (1), {@code UNMARSHAL_FAILED} (2) and {@code MARSHAL_FAILED} (3). Transport
 * failures, a callee that crashed and calls past their budget all arrive as {@code
 * DISPATCH_ERROR}, with what happened as the {@linkplain #getCause() cause}.
 *
 * <p>A typed error may carry a {@linkplain #detail() detail}, the callee's own words on this
 * failure ({@code Future.failed(ShopErr.UNKNOWN_SKU, "no product \"" + sku + "\"")}), which
 * reaches its callers with the error.
 */
public final class ServiceError extends RuntimeException {
  /** The number of the reserved {@code DISPATCH_ERROR} value of every error enum. */
  public static final int DISPATCH_ERROR = 1;
  /** The number of the reserved {@code UNMARSHAL_FAILED} value of every error enum. */
  public static final int UNMARSHAL_FAILED = 2;
  /** The number of the reserved {@code MARSHAL_FAILED} value of every error enum. */
  public static final int MARSHAL_FAILED = 3;

  private final ProtocolMessageEnum code;
  private final String detail;

  /**
   * A typed error; {@code where} (e.g. {@code greeting.v1.Greeting/FetchGreeting}) and {@code
   * cause} may be null. The cause's message, when it has one, is the error's {@linkplain
   * #detail() detail}. {@code NO_ERROR} (0) is refused: it is no error, and a call that failed
   * with it would tell its caller nothing.
   */
  public ServiceError(ProtocolMessageEnum code, String where, Throwable cause) {
    this(code, where, cause == null ? null : cause.getMessage(), cause);
  }

  /**
   * A typed error with a detail, the callee's words on this failure (e.g. {@code no product
   * "teapot"}), which its callers read with the error: {@code new ServiceError(ShopErr.UNKNOWN_SKU,
   * "no product \"teapot\"")}, or {@link Future#failed(ProtocolMessageEnum, String)}. Callers
   * get the first 1,000 bytes (UTF-8) of a longer one, and a note that says it was cut.
   */
  public ServiceError(ProtocolMessageEnum code, String detail) {
    this(code, null, detail, null);
  }

  ServiceError(ProtocolMessageEnum code, String where, String detail, Throwable cause) {
    super(describe(check(code), where, emptyAsNull(detail)), cause);
    this.code = code;
    this.detail = emptyAsNull(detail);
  }

  private static String emptyAsNull(String detail) {
    return detail == null || detail.isEmpty() ? null : detail;
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

  private static String describe(ProtocolMessageEnum code, String where, String detail) {
    String name = code instanceof Enum<?> e ? e.name() : String.valueOf(code.getNumber());
    StringBuilder text = new StringBuilder();
    if (where != null) {
      text.append(where).append(" failed: ");
    }
    text.append(name);
    if (detail != null) {
      text.append(" (").append(detail).append(')');
    }
    return text.toString();
  }

  /** The error enum value, e.g. {@code GreetErr.UNKNOWN_LANG}. */
  public ProtocolMessageEnum code() {
    return code;
  }

  /**
   * What the error says beyond its name: the detail its service gave (a callee's, for a failed
   * call), or its cause's message; empty when there is neither.
   */
  public Optional<String> detail() {
    return Optional.ofNullable(detail);
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
