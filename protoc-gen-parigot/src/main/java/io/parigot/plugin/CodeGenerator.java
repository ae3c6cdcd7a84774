package io.parigot.plugin;

import com.google.protobuf.DescriptorProtos.FileDescriptorProto;
import com.google.protobuf.compiler.PluginProtos.CodeGeneratorRequest;
import com.google.protobuf.compiler.PluginProtos.CodeGeneratorResponse;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Turns a CodeGeneratorRequest into the Java of every service in the files to generate. Bad input
 * is reported all at once, one problem a line, and then the response holds no file at all.
 */
final class CodeGenerator {

  CodeGeneratorResponse generate(CodeGeneratorRequest request) {
    CodeGeneratorResponse.Builder response = CodeGeneratorResponse.newBuilder()
        .setSupportedFeatures(CodeGeneratorResponse.Feature.FEATURE_PROTO3_OPTIONAL_VALUE);
    JavaNames names = new JavaNames();
    Map<String, FileDescriptorProto> files = new HashMap<>();
    Map<String, SourceInfo> sources = new HashMap<>();
    for (FileDescriptorProto file : request.getProtoFileList()) {
      names.add(file);
      files.put(file.getName(), file);
      sources.put(file.getName(), new SourceInfo(file));
    }
    ErrorEnums errorEnums = new ErrorEnums(request.getProtoFileList(), names, sources);
    List<String> problems = new ArrayList<>();
    Map<String, CodeGeneratorResponse.File> out = new LinkedHashMap<>();
    Map<String, String> writtenBy = new HashMap<>();
    for (String fileName : request.getFileToGenerateList()) {
      FileDescriptorProto file = files.get(fileName);
      if (file == null) {
        problems.add(fileName + ": protoc asked for this file but did not send it");
        continue;
      }
      try {
        errorEnums.checkMarked(file);
      } catch (GenerationException e) {
        problems.add(e.getMessage());
      }
      for (int i = 0; i < file.getServiceCount(); i++) {
        try {
          ServiceWriter writer = new ServiceWriter(file, i, names, errorEnums.of(file, i),
              sources.get(fileName));
          String service = fileName + "'s service " + file.getService(i).getName();
          for (CodeGeneratorResponse.File generated : writer.write()) {
            String earlier = writtenBy.putIfAbsent(generated.getName(), service);
            if (earlier != null) {
              throw new GenerationException(sources.get(fileName).where(SourceInfo.SERVICE, i)
                  + ": service " + file.getService(i).getName() + " generates "
                  + generated.getName() + ", which " + earlier + " generates too. Give one of "
                  + "them another name or java_package.");
            }
            out.put(generated.getName(), generated);
          }
        } catch (GenerationException e) {
          problems.add(e.getMessage());
        }
      }
    }
    if (!problems.isEmpty()) {
      // protoc prints this and fails; no file is written, not even the good ones
      return response.setError(String.join("\n", problems)).build();
    }
    return response.addAllFile(out.values()).build();
  }
}
