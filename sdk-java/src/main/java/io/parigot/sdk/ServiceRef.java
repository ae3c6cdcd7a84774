package io.parigot.sdk;

import com.google.protobuf.ProtocolMessageEnum;
import io.parigot.v1.ReservedError;
import java.util.function.IntFunction;

/**
 * Names a parigot service interface, e.g. {@code greeting.v1.Greeting}: what a service exports
 * and what a program or service requires. Generated code declares one per service, such as
 * {@code Greeting.SERVICE}.
 */
public final class ServiceRef {
  private final String fullName;
  private final IntFunction<? extends ProtocolMessageEnum> errors;

  private ServiceRef(String fullName, IntFunction<? extends ProtocolMessageEnum> errors) {
    this.fullName = fullName;
    this.errors = errors;
  }

  /**
   * A reference to the proto service {@code fullName} whose error enum is looked up by number
   * with {@code errors} (e.g. {@code GreetErr::forNumber}).
   */
  public static ServiceRef of(String fullName, IntFunction<? extends ProtocolMessageEnum> errors) {
    return new ServiceRef(fullName, errors);
  }

  /**
   * A reference to the proto service {@code fullName} that declares no error enum of its own:
   * its calls fail with the reserved values only ({@link ReservedError}).
   */
  public static ServiceRef of(String fullName) {
    return new ServiceRef(fullName, ReservedError::forNumber);
  }

  /** The fully qualified proto name, e.g. {@code greeting.v1.Greeting}. */
  public String fullName() {
    return fullName;
  }

  /** The error enum value with this number; {@code DISPATCH_ERROR} for an unknown number. */
  ProtocolMessageEnum error(int number) {
    ProtocolMessageEnum code = errors.apply(number);
    if (code == null) {
      code = errors.apply(ServiceError.DISPATCH_ERROR);
    }
    if (code == null) {
      // an error lookup that knows none of the numbers, not even the reserved ones
      code = number >= 0 && number <= ServiceError.MARSHAL_FAILED
          ? ReservedError.forNumber(number) : ReservedError.DISPATCH_ERROR;
    }
    return code;
  }

  /** The error enum value with this number, or null when the enum has none. */
  ProtocolMessageEnum knownError(int number) {
    return errors.apply(number);
  }

  /**
   * Whether {@code code} is a value of this service's error enum: what its callers read a
   * failure's number as. Another service's enum has values of the same numbers that mean other
   * things.
   */
  boolean owns(ProtocolMessageEnum code) {
    return errors.apply(code.getNumber()) == code;
  }

  /** The simple name of this service's error enum, e.g. {@code GreetErr}. */
  String errorEnumName() {
    return enumName(error(ServiceError.DISPATCH_ERROR));
  }

  static String enumName(ProtocolMessageEnum code) {
    return code.getDescriptorForType().getName();
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof ServiceRef other && other.fullName.equals(fullName);
  }

  @Override
  public int hashCode() {
    return fullName.hashCode();
  }

  @Override
  public String toString() {
    return fullName;
  }
}
