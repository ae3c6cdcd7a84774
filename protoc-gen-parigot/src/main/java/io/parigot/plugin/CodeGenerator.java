package io.parigot.plugin;

import com.google.protobuf.DescriptorProtos.Edition;
import com.google.protobuf.DescriptorProtos.FileDescriptorProto;
import com.google.protobuf.compiler.PluginProtos.CodeGeneratorRequest;
import com.google.protobuf.compiler.PluginProtos.CodeGeneratorResponse;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Turns a CodeGeneratorRequest into the Java of every service in the files to generate. Every
 * check runs on every file, so bad input is reported all at once: one problem a line, ordered by
 * file (the files to generate as protoc lists them, then the files they import) and position. The
 * response then holds no file at all.
 */
final class CodeGenerator {

  CodeGeneratorResponse generate(CodeGeneratorRequest request) {
    // editions up to 2023 name Java classes as proto3 does; a later one is told in our words
    // (below) before protoc would refuse it in its own, which name neither the file's line nor
    // what to write instead
    CodeGeneratorResponse.Builder response = CodeGeneratorResponse.newBuilder()
        .setSupportedFeatures(CodeGeneratorResponse.Feature.FEATURE_PROTO3_OPTIONAL_VALUE
            | CodeGeneratorResponse.Feature.FEATURE_SUPPORTS_EDITIONS_VALUE)
        .setMinimumEdition(Edition.EDITION_2023_VALUE)
        .setMaximumEdition(JavaNames.MAXIMUM_EDITION.getNumber());
    JavaNames names = new JavaNames();
    Map<String, FileDescriptorProto> files = new HashMap<>();
    Map<String, SourceInfo> sources = new HashMap<>();
    for (FileDescriptorProto file : request.getProtoFileList()) {
      names.add(file);
      files.put(file.getName(), file);
      sources.put(file.getName(), new SourceInfo(file));
    }
    ErrorEnums errorEnums = new ErrorEnums(request.getProtoFileList(), names, sources);
    List<Problem> problems = new ArrayList<>();
    List<ServiceWriter> writers = new ArrayList<>();
    Map<String, String> writtenBy = new HashMap<>();
    for (String fileName : request.getFileToGenerateList()) {
      FileDescriptorProto file = files.get(fileName);
      if (file == null) {
        problems.add(Problem.in(fileName, "protoc asked for this file but did not send it"));
        continue;
      }
      SourceInfo source = sources.get(fileName);
      if (!JavaNames.isSupported(file)) {
        problems.add(source.problem(laterEdition(file), EDITION));
        continue;
      }
      errorEnums.checkMarked(file, problems);
      for (int i = 0; i < file.getServiceCount(); i++) {
        ErrorEnums.ErrorEnum errorEnum = errorEnums.of(file, i, problems);
        ServiceWriter writer;
        try {
          writer = new ServiceWriter(file, i, names, errorEnum, source, problems);
        } catch (GenerationException e) {
          problems.add(source.problem(e.getMessage(), SourceInfo.SERVICE, i));
          continue;
        }
        String service = fileName + "'s service " + file.getService(i).getName();
        for (String generated : writer.fileNames()) {
          String earlier = writtenBy.putIfAbsent(generated, service);
          if (earlier != null) {
            // its other files clash the same way: told once, for the first
            problems.add(source.problem("service " + file.getService(i).getName() + " generates "
                + generated + ", which " + earlier + " generates too. Give one of them another "
                + "name or java_package.", SourceInfo.SERVICE, i));
            break;
          }
        }
        writers.add(writer);
      }
    }
    if (!problems.isEmpty()) {
      // protoc prints this and fails; no file is written, not even the good ones
      problems.sort(byFileAndPosition(request));
      return response.setError(String.join("\n", problems.stream().map(Problem::toString).toList()))
          .build();
    }
    for (ServiceWriter writer : writers) {
      response.addAllFile(writer.write());
    }
    return response.build();
  }

  /**
   * Source path of the file's {@code edition = "...";} statement: protoc records it under the
   * {@code syntax} field's number (12), not under {@code edition}'s.
   */
  private static final int EDITION = 12;

  /** What to say of a file of an edition later than the plugin knows. */
  static String laterEdition(FileDescriptorProto file) {
    String edition = JavaNames.editionName(file.getEdition());
    String supported = JavaNames.editionName(JavaNames.MAXIMUM_EDITION);
    return "edition " + edition + " is not supported by protoc-gen-parigot yet: it generates for "
        + "proto2, proto3 and editions up to " + supported + " (from 2024 on, protobuf-java names "
        + "its classes by other rules). Write edition = \"" + supported + "\"; (or syntax = "
        + "\"proto3\";) in " + file.getName() + ".";
  }

  /** The files to generate in protoc's order, then the imported ones; in a file, line and column. */
  private static Comparator<Problem> byFileAndPosition(CodeGeneratorRequest request) {
    Map<String, Integer> rank = new HashMap<>();
    for (String name : request.getFileToGenerateList()) {
      rank.putIfAbsent(name, rank.size());
    }
    for (FileDescriptorProto file : request.getProtoFileList()) {
      rank.putIfAbsent(file.getName(), rank.size());
    }
    return Comparator.comparingInt((Problem p) -> rank.getOrDefault(p.file(), rank.size()))
        .thenComparing(Problem::file)
        .thenComparingInt(Problem::line)
        .thenComparingInt(Problem::column);
  }
}
