package io.parigot.plugin;

import com.google.protobuf.DescriptorProtos.FileDescriptorProto;
import com.google.protobuf.DescriptorProtos.FileDescriptorSet;
import com.google.protobuf.compiler.PluginProtos.CodeGeneratorRequest;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * The .proto files under src/test/proto, compiled by the build into target/test-protos.pb (with
 * imports and source info), turned into the CodeGeneratorRequests protoc would send.
 */
final class TestProtos {
  private static final Path DESCRIPTORS = Path.of("target", "test-protos.pb");
  private static FileDescriptorSet set;

  private TestProtos() {}

  static synchronized FileDescriptorSet descriptors() {
    if (set == null) {
      try {
        set = FileDescriptorSet.parseFrom(Files.readAllBytes(DESCRIPTORS));
      } catch (IOException e) {
        throw new UncheckedIOException("run the build first: `./mvnw -B -o test -pl "
            + "protoc-gen-parigot -am` writes " + DESCRIPTORS.toAbsolutePath(), e);
      }
    }
    return set;
  }

  /** The request protoc sends to generate {@code files}: they and every file they import. */
  static CodeGeneratorRequest request(String... files) {
    return request(List.of(files));
  }

  static CodeGeneratorRequest request(List<String> files) {
    CodeGeneratorRequest.Builder request = CodeGeneratorRequest.newBuilder()
        .addAllFileToGenerate(files)
        .setParameter("");
    // the set is in dependency order already, as protoc sends it
    for (FileDescriptorProto file : descriptors().getFileList()) {
      request.addProtoFile(file);
    }
    return request.build();
  }
}
