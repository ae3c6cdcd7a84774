package io.parigot.plugin;

import com.google.protobuf.ExtensionRegistry;
import com.google.protobuf.compiler.PluginProtos.CodeGeneratorRequest;
import com.google.protobuf.compiler.PluginProtos.CodeGeneratorResponse;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;

/**
 * protoc-gen-parigot: a protoc plugin. protoc writes a CodeGeneratorRequest to its stdin; it
 * answers with a CodeGeneratorResponse on stdout, holding either every generated file or an
 * error and no file at all.
 */
public final class ProtocGenParigot {
  private ProtocGenParigot() {}

  public static void main(String[] args) throws IOException {
    InputStream in = System.in;
    CodeGeneratorRequest request =
        CodeGeneratorRequest.parseFrom(in.readAllBytes(), ExtensionRegistry.getEmptyRegistry());
    CodeGeneratorResponse response = new CodeGenerator().generate(request);
    OutputStream out = System.out;
    response.writeTo(out);
    out.flush();
  }
}
