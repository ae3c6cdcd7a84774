package io.parigot.bench;

import com.google.protobuf.StringValue;
import io.grpc.MethodDescriptor;
import io.grpc.protobuf.ProtoUtils;

/** The one method every benchmark service has: {@code bench.SvcN/Echo}, a string in and out. */
final class Echo {
  private Echo() {}

  /** The proto service name of benchmark service {@code index}. */
  static String serviceName(int index) {
    return "bench.Svc" + index;
  }

  static MethodDescriptor<StringValue, StringValue> method(int index) {
    return MethodDescriptor.<StringValue, StringValue>newBuilder()
        .setType(MethodDescriptor.MethodType.UNARY)
        .setFullMethodName(MethodDescriptor.generateFullMethodName(serviceName(index), "Echo"))
        .setRequestMarshaller(ProtoUtils.marshaller(StringValue.getDefaultInstance()))
        .setResponseMarshaller(ProtoUtils.marshaller(StringValue.getDefaultInstance()))
        .build();
  }
}
