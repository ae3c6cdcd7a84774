package io.parigot.bench;

import com.google.protobuf.Descriptors;
import com.google.protobuf.ProtocolMessageEnum;

/**
 * The error enum of the benchmark's echo services: parigot's four reserved values only. The
 * benchmarks have no .proto of their own (their methods are built by hand, see {@link Echo}), so
 * this enum has no descriptor; the SDK needs only its numbers and names.
 */
enum BenchErr implements ProtocolMessageEnum {
  NO_ERROR(0), DISPATCH_ERROR(1), UNMARSHAL_FAILED(2), MARSHAL_FAILED(3);

  private final int number;

  BenchErr(int number) {
    this.number = number;
  }

  /** The value of this number; {@code DISPATCH_ERROR} for any other. */
  static BenchErr forNumber(int number) {
    for (BenchErr err : values()) {
      if (err.number == number) {
        return err;
      }
    }
    return DISPATCH_ERROR;
  }

  @Override
  public int getNumber() {
    return number;
  }

  @Override
  public Descriptors.EnumValueDescriptor getValueDescriptor() {
    throw new UnsupportedOperationException("the benchmark's errors have no .proto");
  }

  @Override
  public Descriptors.EnumDescriptor getDescriptorForType() {
    throw new UnsupportedOperationException("the benchmark's errors have no .proto");
  }
}
