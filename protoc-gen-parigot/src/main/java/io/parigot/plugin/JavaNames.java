package io.parigot.plugin;

import com.google.protobuf.DescriptorProtos.DescriptorProto;
import com.google.protobuf.DescriptorProtos.EnumDescriptorProto;
import com.google.protobuf.DescriptorProtos.FileDescriptorProto;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;

/**
 * The Java class protobuf-java generates for each proto message and enum, following its rules
 * for {@code java_package}, {@code java_multiple_files} and {@code java_outer_classname}.
 */
final class JavaNames {
  private static final Set<String> KEYWORDS = Set.of(
      "abstract", "assert", "boolean", "break", "byte", "case", "catch", "char", "class", "const",
      "continue", "default", "do", "double", "else", "enum", "extends", "final", "finally",
      "float", "for", "goto", "if", "implements", "import", "instanceof", "int", "interface",
      "long", "native", "new", "package", "private", "protected", "public", "return", "short",
      "static", "strictfp", "super", "switch", "synchronized", "this", "throw", "throws",
      "transient", "try", "void", "volatile", "while", "true", "false", "null", "var", "yield",
      "record", "sealed", "permits", "_");

  /** Proto full name with a leading dot (as in field types) to Java class name. */
  private final Map<String, String> classes = new HashMap<>();

  void add(FileDescriptorProto file) {
    String javaPackage = javaPackage(file);
    String prefix = javaPackage.isEmpty() ? "" : javaPackage + ".";
    if (!file.getOptions().getJavaMultipleFiles()) {
      prefix = prefix + outerClassName(file) + ".";
    }
    String protoPrefix = file.getPackage().isEmpty() ? "." : "." + file.getPackage() + ".";
    for (DescriptorProto message : file.getMessageTypeList()) {
      addMessage(protoPrefix, prefix, message);
    }
    for (EnumDescriptorProto e : file.getEnumTypeList()) {
      classes.put(protoPrefix + e.getName(), prefix + e.getName());
    }
  }

  private void addMessage(String protoPrefix, String javaPrefix, DescriptorProto message) {
    String protoName = protoPrefix + message.getName();
    String javaName = javaPrefix + message.getName();
    classes.put(protoName, javaName);
    for (DescriptorProto nested : message.getNestedTypeList()) {
      addMessage(protoName + ".", javaName + ".", nested);
    }
    for (EnumDescriptorProto e : message.getEnumTypeList()) {
      classes.put(protoName + "." + e.getName(), javaName + "." + e.getName());
    }
  }

  /** The Java class of a proto type named as in a field or method (".pkg.Name"). */
  String classOf(String protoTypeName) {
    String name = classes.get(protoTypeName);
    if (name == null) {
      throw new GenerationException("type " + protoTypeName + " is not defined in any file protoc sent");
    }
    return name;
  }

  static String javaPackage(FileDescriptorProto file) {
    return file.getOptions().hasJavaPackage() ? file.getOptions().getJavaPackage() : file.getPackage();
  }

  /** protobuf-java's outer class name for a file without java_multiple_files. */
  static String outerClassName(FileDescriptorProto file) {
    if (file.getOptions().hasJavaOuterClassname()) {
      return file.getOptions().getJavaOuterClassname();
    }
    String base = file.getName();
    base = base.substring(base.lastIndexOf('/') + 1);
    if (base.endsWith(".proto")) {
      base = base.substring(0, base.length() - ".proto".length());
    }
    String name = camel(base, true);
    boolean clash = file.getMessageTypeList().stream().anyMatch(m -> m.getName().equals(name))
        || file.getEnumTypeList().stream().anyMatch(e -> e.getName().equals(name))
        || file.getServiceList().stream().anyMatch(s -> s.getName().equals(name));
    return clash ? name + "OuterClass" : name;
  }

  /** protobuf-java's camel casing: letters after a non-letter are capitalized, the rest kept. */
  static String camel(String text, boolean capitalizeFirst) {
    StringBuilder out = new StringBuilder();
    boolean upper = capitalizeFirst;
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      if (Character.isLetter(c)) {
        out.append(upper ? Character.toUpperCase(c) : (i == 0 && !capitalizeFirst ? Character.toLowerCase(c) : c));
        upper = false;
      } else if (Character.isDigit(c)) {
        out.append(c);
        upper = true;
      } else {
        upper = true;
      }
    }
    return out.toString();
  }

  /** A Java method name for an rpc: lower camel case, never a keyword. */
  static String methodName(String rpcName) {
    String name = camel(rpcName, false);
    if (!name.isEmpty()) {
      name = Character.toLowerCase(name.charAt(0)) + name.substring(1);
    }
    return KEYWORDS.contains(name) ? name + "_" : name;
  }

  /** A Java constant name for an rpc, e.g. FetchGreeting to FETCH_GREETING. */
  static String constantName(String rpcName) {
    StringBuilder out = new StringBuilder();
    for (int i = 0; i < rpcName.length(); i++) {
      char c = rpcName.charAt(i);
      if (Character.isUpperCase(c) && i > 0 && Character.isLowerCase(rpcName.charAt(i - 1))) {
        out.append('_');
      }
      out.append(Character.isLetterOrDigit(c) ? Character.toUpperCase(c) : '_');
    }
    return out.toString();
  }
}
