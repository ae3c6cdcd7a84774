package io.parigot.plugin;

import com.google.protobuf.DescriptorProtos.EnumDescriptorProto;
import com.google.protobuf.DescriptorProtos.EnumValueDescriptorProto;
import com.google.protobuf.DescriptorProtos.FileDescriptorProto;
import com.google.protobuf.DescriptorProtos.ServiceDescriptorProto;
import com.google.protobuf.DescriptorProtos.SourceCodeInfo;
import com.google.protobuf.UnknownFieldSet;
import com.google.protobuf.compiler.PluginProtos.CodeGeneratorRequest;
import com.google.protobuf.compiler.PluginProtos.CodeGeneratorResponse;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** Turns a CodeGeneratorRequest into the Java of every service in the files to generate. */
final class CodeGenerator {
  /** Field number of the {@code parigot.v1.error_id_name} service option. */
  static final int ERROR_ID_NAME = 51101;
  private static final String[] RESERVED_ERRORS = {
      "NO_ERROR", "DISPATCH_ERROR", "UNMARSHAL_FAILED", "MARSHAL_FAILED"};

  CodeGeneratorResponse generate(CodeGeneratorRequest request) {
    CodeGeneratorResponse.Builder response = CodeGeneratorResponse.newBuilder()
        .setSupportedFeatures(CodeGeneratorResponse.Feature.FEATURE_PROTO3_OPTIONAL_VALUE);
    try {
      JavaNames names = new JavaNames();
      Map<String, FileDescriptorProto> files = new HashMap<>();
      for (FileDescriptorProto file : request.getProtoFileList()) {
        names.add(file);
        files.put(file.getName(), file);
      }
      List<CodeGeneratorResponse.File> out = new ArrayList<>();
      for (String fileName : request.getFileToGenerateList()) {
        FileDescriptorProto file = files.get(fileName);
        for (int i = 0; i < file.getServiceCount(); i++) {
          out.addAll(new ServiceWriter(file, i, names, errorEnum(file, file.getService(i), names),
              comments(file)).write());
        }
      }
      response.addAllFile(out);
    } catch (GenerationException e) {
      // protoc shows this and fails; no file is written
      response.clearFile().setError(e.getMessage());
    }
    return response.build();
  }

  /** The Java class of the service's error enum, checked for parigot's reserved values. */
  private static String errorEnum(FileDescriptorProto file, ServiceDescriptorProto service,
      JavaNames names) {
    UnknownFieldSet.Field option =
        service.getOptions().getUnknownFields().getField(ERROR_ID_NAME);
    String where = file.getName() + ": service " + service.getName();
    if (option.getLengthDelimitedList().isEmpty()) {
      throw new GenerationException(where + " has no error enum. Bind one with\n"
          + "  option (parigot.v1.error_id_name) = \"" + service.getName() + "Err\";\n"
          + "and define enum " + service.getName() + "Err { NO_ERROR = 0; DISPATCH_ERROR = 1; "
          + "UNMARSHAL_FAILED = 2; MARSHAL_FAILED = 3; ... } (import \"parigot/v1/options.proto\").");
    }
    String enumName = option.getLengthDelimitedList().get(0).toStringUtf8();
    EnumDescriptorProto found = null;
    for (EnumDescriptorProto e : file.getEnumTypeList()) {
      String full = file.getPackage().isEmpty() ? e.getName() : file.getPackage() + "." + e.getName();
      if (e.getName().equals(enumName) || full.equals(enumName)) {
        found = e;
      }
    }
    if (found == null) {
      throw new GenerationException(where + ": error_id_name names \"" + enumName
          + "\", but " + file.getName() + " defines no top-level enum of that name. Define it "
          + "beside the service, or fix the name.");
    }
    checkReservedValues(file, found);
    String protoName = "." + (file.getPackage().isEmpty() ? "" : file.getPackage() + ".")
        + found.getName();
    return names.classOf(protoName);
  }

  private static void checkReservedValues(FileDescriptorProto file, EnumDescriptorProto e) {
    for (int i = 0; i < RESERVED_ERRORS.length; i++) {
      EnumValueDescriptorProto value = i < e.getValueCount() ? e.getValue(i) : null;
      if (value == null || value.getNumber() != i
          || !normalized(value.getName(), e.getName()).equals(normalized(RESERVED_ERRORS[i], ""))) {
        throw new GenerationException(file.getName() + ": error enum " + e.getName()
            + " must begin with NO_ERROR = 0, DISPATCH_ERROR = 1, UNMARSHAL_FAILED = 2, "
            + "MARSHAL_FAILED = 3 (in that order; NoError or " + prefix(e.getName())
            + "NO_ERROR spellings also do), but value " + i + " is "
            + (value == null ? "missing" : value.getName() + " = " + value.getNumber()) + ".");
      }
    }
  }

  /** Value name without the enum-name prefix, case and underscores: GREET_ERR_NO_ERROR to noerror. */
  private static String normalized(String valueName, String enumName) {
    String flat = valueName.replace("_", "").toLowerCase();
    String enumFlat = enumName.replace("_", "").toLowerCase();
    if (!enumFlat.isEmpty() && flat.startsWith(enumFlat) && flat.length() > enumFlat.length()) {
      flat = flat.substring(enumFlat.length());
    }
    return flat;
  }

  private static String prefix(String enumName) {
    return JavaNames.constantName(enumName) + "_";
  }

  /** Leading comments by source path ("6,0" is the first service, "6,0,2,1" its second rpc). */
  private static Map<String, String> comments(FileDescriptorProto file) {
    Map<String, String> byPath = new HashMap<>();
    for (SourceCodeInfo.Location location : file.getSourceCodeInfo().getLocationList()) {
      if (location.hasLeadingComments()) {
        StringBuilder path = new StringBuilder();
        for (int p : location.getPathList()) {
          if (path.length() > 0) {
            path.append(',');
          }
          path.append(p);
        }
        byPath.put(path.toString(), location.getLeadingComments().strip());
      }
    }
    return byPath;
  }
}
