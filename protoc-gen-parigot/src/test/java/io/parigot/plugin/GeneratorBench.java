package io.parigot.plugin;

import com.google.protobuf.ByteString;
import com.google.protobuf.DescriptorProtos.DescriptorProto;
import com.google.protobuf.DescriptorProtos.EnumDescriptorProto;
import com.google.protobuf.DescriptorProtos.EnumValueDescriptorProto;
import com.google.protobuf.DescriptorProtos.FieldDescriptorProto;
import com.google.protobuf.DescriptorProtos.FileDescriptorProto;
import com.google.protobuf.DescriptorProtos.FileOptions;
import com.google.protobuf.DescriptorProtos.MethodDescriptorProto;
import com.google.protobuf.DescriptorProtos.ServiceDescriptorProto;
import com.google.protobuf.DescriptorProtos.ServiceOptions;
import com.google.protobuf.DescriptorProtos.SourceCodeInfo;
import com.google.protobuf.UnknownFieldSet;
import com.google.protobuf.compiler.PluginProtos.CodeGeneratorRequest;
import com.google.protobuf.compiler.PluginProtos.CodeGeneratorResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The code generator's benchmark (not a test): a CodeGeneratorRequest of 50 services with 10
 * methods each (500 methods, 1000 messages, comments on everything) in 10 files, generated
 *
 * <ol>
 *   <li>in-process, cold: the first generation in this JVM (protobuf is loaded already);
 *   <li>in-process, warm: the median of 20 generations after 20 to warm up;
 *   <li>as protoc runs it: {@code java -jar protoc-gen-parigot-*-standalone.jar} with the request
 *       on stdin, wall time from start to exit (JVM start included), best and median of 5.
 * </ol>
 *
 * <p>Run it with {@code bench/codegen.sh}. The bar (issue 3): under 2 s of plugin time.
 */
public final class GeneratorBench {
  static final int FILES = 10;
  static final int SERVICES_PER_FILE = 5;
  static final int METHODS_PER_SERVICE = 10;

  private GeneratorBench() {}

  public static void main(String[] args) throws Exception {
    CodeGeneratorRequest request = request();
    long start = System.nanoTime();
    CodeGeneratorResponse cold = new CodeGenerator().generate(request);
    double coldMs = (System.nanoTime() - start) / 1e6;
    if (cold.hasError()) {
      throw new IllegalStateException(cold.getError());
    }
    long bytes = cold.getFileList().stream().mapToLong(f -> f.getContent().length()).sum();
    System.out.printf("request: %d files, %d services, %d methods, %d KiB; response: %d Java files, %d KiB%n",
        FILES, FILES * SERVICES_PER_FILE, FILES * SERVICES_PER_FILE * METHODS_PER_SERVICE,
        request.getSerializedSize() / 1024, cold.getFileCount(), bytes / 1024);
    System.out.printf("in-process, cold (first run, generator classes loading):%8.1f ms%n", coldMs);

    for (int i = 0; i < 20; i++) {
      new CodeGenerator().generate(request);
    }
    double[] warm = new double[20];
    for (int i = 0; i < warm.length; i++) {
      long t = System.nanoTime();
      new CodeGenerator().generate(request);
      warm[i] = (System.nanoTime() - t) / 1e6;
    }
    Arrays.sort(warm);
    System.out.printf("in-process, warm (median of 20):                      %8.1f ms%n", warm[10]);

    if (args.length > 0) {
      Path jar = Path.of(args[0]);
      Path input = Files.createTempFile("codegen-bench", ".pb");
      Files.write(input, request.toByteArray());
      double[] runs = new double[5];
      for (int i = 0; i < runs.length; i++) {
        Path output = Files.createTempFile("codegen-bench", ".out");
        long t = System.nanoTime();
        Process p = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
            "-jar", jar.toString())
            .redirectInput(input.toFile()).redirectOutput(output.toFile())
            .redirectError(ProcessBuilder.Redirect.INHERIT).start();
        int code = p.waitFor();
        runs[i] = (System.nanoTime() - t) / 1e6;
        CodeGeneratorResponse response = CodeGeneratorResponse.parseFrom(Files.readAllBytes(output));
        Files.delete(output);
        if (code != 0 || response.hasError() || response.getFileCount() != cold.getFileCount()) {
          throw new IllegalStateException("java -jar failed: exit " + code + " " + response.getError());
        }
      }
      Files.delete(input);
      Arrays.sort(runs);
      System.out.printf("java -jar via stdin, as protoc runs it (best / median of 5): %.1f / %.1f ms%n",
          runs[0], runs[2]);
    }
  }

  /** 10 files, each with a GreetErr-style error enum, 5 services and their 100 messages. */
  static CodeGeneratorRequest request() {
    CodeGeneratorRequest.Builder request = CodeGeneratorRequest.newBuilder();
    for (int f = 0; f < FILES; f++) {
      String pkg = "bench.f" + f + ".v1";
      String name = "bench/f" + f + "/v1/bench.proto";
      FileDescriptorProto.Builder file = FileDescriptorProto.newBuilder()
          .setName(name).setPackage(pkg).setSyntax("proto3")
          .setOptions(FileOptions.newBuilder().setJavaPackage("io.bench.f" + f + ".v1")
              .setJavaMultipleFiles(f % 2 == 0));
      EnumDescriptorProto.Builder errors = EnumDescriptorProto.newBuilder().setName("BenchErr");
      List<String> values = new ArrayList<>(ErrorEnums.RESERVED);
      values.add("SOMETHING_WRONG");
      for (int v = 0; v < values.size(); v++) {
        errors.addValue(EnumValueDescriptorProto.newBuilder().setName(values.get(v)).setNumber(v));
      }
      file.addEnumType(errors);
      SourceCodeInfo.Builder info = SourceCodeInfo.newBuilder();
      for (int s = 0; s < SERVICES_PER_FILE; s++) {
        String service = "Service" + s;
        ServiceDescriptorProto.Builder svc = ServiceDescriptorProto.newBuilder().setName(service)
            .setOptions(ServiceOptions.newBuilder().setUnknownFields(UnknownFieldSet.newBuilder()
                .addField(ErrorEnums.ERROR_ID_NAME, UnknownFieldSet.Field.newBuilder()
                    .addLengthDelimited(ByteString.copyFromUtf8("BenchErr")).build())
                .build()));
        comment(info, "The benchmark's service number " + s + ".\nIt does nothing.", 6, s);
        for (int m = 0; m < METHODS_PER_SERVICE; m++) {
          String method = "DoThing" + m;
          String in = service + method + "Request";
          String out = service + method + "Response";
          file.addMessageType(message(in));
          file.addMessageType(message(out));
          svc.addMethod(MethodDescriptorProto.newBuilder().setName(method)
              .setInputType("." + pkg + "." + in).setOutputType("." + pkg + "." + out));
          comment(info, "Does thing " + m + " of service " + s + ", quickly.", 6, s, 2, m);
        }
        file.addService(svc);
      }
      file.setSourceCodeInfo(info);
      request.addProtoFile(file).addFileToGenerate(name);
    }
    return request.build();
  }

  private static DescriptorProto message(String name) {
    return DescriptorProto.newBuilder().setName(name)
        .addField(FieldDescriptorProto.newBuilder().setName("id").setNumber(1)
            .setType(FieldDescriptorProto.Type.TYPE_STRING)
            .setLabel(FieldDescriptorProto.Label.LABEL_OPTIONAL))
        .build();
  }

  private static void comment(SourceCodeInfo.Builder info, String text, int... path) {
    SourceCodeInfo.Location.Builder location = SourceCodeInfo.Location.newBuilder()
        .setLeadingComments(" " + text.replace("\n", "\n ") + "\n")
        .addSpan(path.length * 3).addSpan(2).addSpan(40);
    for (int p : path) {
      location.addPath(p);
    }
    info.addLocation(location);
  }
}
