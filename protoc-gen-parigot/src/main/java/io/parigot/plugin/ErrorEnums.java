package io.parigot.plugin;

import com.google.protobuf.DescriptorProtos.DescriptorProto;
import com.google.protobuf.DescriptorProtos.EnumDescriptorProto;
import com.google.protobuf.DescriptorProtos.EnumValueDescriptorProto;
import com.google.protobuf.DescriptorProtos.FileDescriptorProto;
import com.google.protobuf.DescriptorProtos.ServiceDescriptorProto;
import com.google.protobuf.UnknownFieldSet;
import io.parigot.plugin.JavaNames.JavaClass;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Binds each service to its error enum (the {@code parigot.v1.error_id_name} service option) and
 * checks every error enum: its first four values are parigot's reserved errors. What is wrong is
 * added to the caller's problems; nothing is thrown.
 */
final class ErrorEnums {
  /** Field number of the {@code parigot.v1.error_id_name} service option. */
  static final int ERROR_ID_NAME = 51101;
  /** Field number of the {@code parigot.v1.parigot_error} enum option. */
  static final int PARIGOT_ERROR = 51102;
  static final List<String> RESERVED =
      List.of("NO_ERROR", "DISPATCH_ERROR", "UNMARSHAL_FAILED", "MARSHAL_FAILED");

  /** A service's error enum: its Java class and the Java name of its DISPATCH_ERROR value. */
  record ErrorEnum(String protoName, JavaClass javaClass, String dispatchError) {}

  private record Declared(
      String fullName, FileDescriptorProto file, EnumDescriptorProto type, int[] path) {}

  private final JavaNames names;
  private final Map<String, SourceInfo> sources;
  /** Every enum protoc sent, by full proto name without a leading dot. */
  private final Map<String, Declared> enums = new LinkedHashMap<>();
  /**
   * Whether each enum checked so far is well formed, by full name: a bad enum is told once, for
   * the first reason it was checked (marked, or bound by a service), however many bind it.
   */
  private final Map<String, Boolean> checked = new HashMap<>();

  ErrorEnums(List<FileDescriptorProto> files, JavaNames names, Map<String, SourceInfo> sources) {
    this.names = names;
    this.sources = sources;
    for (FileDescriptorProto file : files) {
      String prefix = file.getPackage().isEmpty() ? "" : file.getPackage() + ".";
      for (int i = 0; i < file.getEnumTypeCount(); i++) {
        EnumDescriptorProto e = file.getEnumType(i);
        enums.put(prefix + e.getName(),
            new Declared(prefix + e.getName(), file, e, new int[] {SourceInfo.ENUM, i}));
      }
      for (int i = 0; i < file.getMessageTypeCount(); i++) {
        addNested(file, prefix, file.getMessageType(i), new int[] {SourceInfo.MESSAGE, i});
      }
    }
  }

  private void addNested(FileDescriptorProto file, String prefix, DescriptorProto message, int[] path) {
    String name = prefix + message.getName() + ".";
    for (int i = 0; i < message.getEnumTypeCount(); i++) {
      String fullName = name + message.getEnumType(i).getName();
      enums.put(fullName, new Declared(fullName, file, message.getEnumType(i), append(path, 4, i)));
    }
    for (int i = 0; i < message.getNestedTypeCount(); i++) {
      addNested(file, name, message.getNestedType(i), append(path, 3, i));
    }
  }

  private static int[] append(int[] path, int... more) {
    int[] out = new int[path.length + more.length];
    System.arraycopy(path, 0, out, 0, path.length);
    System.arraycopy(more, 0, out, path.length, more.length);
    return out;
  }

  /**
   * The error enum of service number {@code index} in {@code file}, checked; null, with what is
   * wrong added to {@code problems}, when it has none, names none that exists, or names a bad one.
   */
  ErrorEnum of(FileDescriptorProto file, int index, List<Problem> problems) {
    ServiceDescriptorProto service = file.getService(index);
    SourceInfo source = sources.get(file.getName());
    UnknownFieldSet.Field option = service.getOptions().getUnknownFields().getField(ERROR_ID_NAME);
    if (option.getLengthDelimitedList().isEmpty()) {
      String suggested = service.getName() + "Err";
      problems.add(source.problem("service " + service.getName() + " has no error enum. "
          + "Every parigot service fails with one; bind it:\n"
          + "  import \"parigot/v1/options.proto\";\n"
          + "  enum " + suggested + " {\n"
          + "    NO_ERROR = 0; DISPATCH_ERROR = 1; UNMARSHAL_FAILED = 2; MARSHAL_FAILED = 3;\n"
          + "    // the service's own errors follow\n"
          + "  }\n"
          + "  service " + service.getName() + " {\n"
          + "    option (parigot.v1.error_id_name) = \"" + suggested + "\";\n"
          + "    ...", SourceInfo.SERVICE, index));
      return null;
    }
    String wanted = option.getLengthDelimitedList().get(0).toStringUtf8();
    Declared found = resolve(file.getPackage(), wanted);
    if (found == null) {
      List<String> candidates = new ArrayList<>();
      for (EnumDescriptorProto e : file.getEnumTypeList()) {
        candidates.add(e.getName());
      }
      problems.add(source.problem("service " + service.getName() + ": error_id_name names \""
          + wanted + "\", but no enum of that name is defined in " + file.getName()
          + " or the files it imports"
          + (candidates.isEmpty() ? "" : " (enums in " + file.getName() + ": "
              + String.join(", ", candidates) + ")")
          + ". Fix the name, or define enum " + wanted + " beginning with NO_ERROR = 0; "
          + "DISPATCH_ERROR = 1; UNMARSHAL_FAILED = 2; MARSHAL_FAILED = 3;",
          SourceInfo.SERVICE, index, SourceInfo.OPTIONS, ERROR_ID_NAME));
      return null;
    }
    if (!check(found, "bound by service " + service.getName() + "'s error_id_name", problems)) {
      return null;
    }
    return new ErrorEnum(found.fullName(), names.classOf("." + found.fullName()),
        found.type().getValue(1).getName());
  }

  /** protoc's scoping, simplified: a dotted name is absolute; otherwise the package, then up. */
  private Declared resolve(String protoPackage, String name) {
    if (name.startsWith(".")) {
      return enums.get(name.substring(1));
    }
    String scope = protoPackage;
    while (true) {
      Declared found = enums.get(scope.isEmpty() ? name : scope + "." + name);
      if (found != null || scope.isEmpty()) {
        return found;
      }
      int dot = scope.lastIndexOf('.');
      scope = dot < 0 ? "" : scope.substring(0, dot);
    }
  }

  /** Checks every enum of {@code file} marked {@code (parigot.v1.parigot_error) = true}. */
  void checkMarked(FileDescriptorProto file, List<Problem> problems) {
    for (Declared declared : enums.values()) {
      if (declared.file() == file
          && declared.type().getOptions().getUnknownFields().getField(PARIGOT_ERROR)
              .getVarintList().stream().anyMatch(v -> v != 0)) {
        check(declared, "marked parigot_error", problems);
      }
    }
  }

  /**
   * Whether the enum's first four values are the reserved ones; if not, adds one problem, at the
   * first value out of place (its message gives all four).
   */
  private boolean check(Declared declared, String why, List<Problem> problems) {
    return checked.computeIfAbsent(declared.fullName(),
        key -> checkReserved(declared, why, problems));
  }

  private boolean checkReserved(Declared declared, String why, List<Problem> problems) {
    EnumDescriptorProto e = declared.type();
    SourceInfo source = sources.get(declared.file().getName());
    for (int i = 0; i < RESERVED.size(); i++) {
      EnumValueDescriptorProto value = i < e.getValueCount() ? e.getValue(i) : null;
      if (value != null && value.getNumber() == i && isReserved(value.getName(), e.getName(), i)) {
        continue;
      }
      int[] where = value == null ? declared.path()
          : append(declared.path(), SourceInfo.ENUM_VALUE, i);
      problems.add(source.problem("enum " + e.getName() + " (" + why + "): value "
          + i + " must be " + RESERVED.get(i) + " = " + i + ", found "
          + (value == null ? "nothing" : value.getName() + " = " + value.getNumber())
          + "; the first four values are NO_ERROR = 0, DISPATCH_ERROR = 1, UNMARSHAL_FAILED = 2, "
          + "MARSHAL_FAILED = 3, in that order (NoError or " + JavaNames.constantName(e.getName())
          + "_NO_ERROR spellings also do); the service's own errors follow from 4.", where));
      return false;
    }
    return true;
  }

  /** Whether {@code valueName} spells reserved value {@code i}: NO_ERROR, NoError, GREET_ERR_NO_ERROR. */
  private static boolean isReserved(String valueName, String enumName, int i) {
    String flat = valueName.replace("_", "").toLowerCase();
    String reserved = RESERVED.get(i).replace("_", "").toLowerCase();
    String prefix = enumName.replace("_", "").toLowerCase();
    return flat.equals(reserved) || flat.equals(prefix + reserved);
  }
}
