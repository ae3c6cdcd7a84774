package io.parigot.plugin;

import com.google.protobuf.DescriptorProtos.DescriptorProto;
import com.google.protobuf.DescriptorProtos.Edition;
import com.google.protobuf.DescriptorProtos.EnumDescriptorProto;
import com.google.protobuf.DescriptorProtos.FileDescriptorProto;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;

/**
 * The Java class protobuf-java generates for each proto message and enum, following its rules
 * for {@code java_package}, {@code java_multiple_files} and {@code java_outer_classname}: those
 * of proto2, proto3 and edition 2023. From edition 2024 on, protobuf-java names classes by
 * other rules (the {@code nest_in_file_class} feature, a {@code Proto} suffix on outer
 * classes); such files are told, not guessed at (see {@link #isSupported}).
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

  /** A Java class: its package and its name inside the package ({@code Outer.Inner} if nested). */
  record JavaClass(String javaPackage, String name) {
    String topLevel() {
      int dot = name.indexOf('.');
      return dot < 0 ? name : name.substring(0, dot);
    }

    String qualified() {
      return javaPackage.isEmpty() ? name : javaPackage + "." + name;
    }
  }

  /** Proto full name with a leading dot (as in field types) to Java class. */
  private final Map<String, JavaClass> classes = new HashMap<>();
  /** Proto full name (".pkg.Name") of a type defined in a file of a later edition, to the file. */
  private final Map<String, FileDescriptorProto> laterEdition = new HashMap<>();
  /** A top-level class protobuf-java writes: for which .proto file, and as what. */
  record TopLevel(String file, Kind kind) {
    enum Kind { TYPE, OUTER_CLASS, GENERIC_SERVICE }
  }

  /** Java package to the top-level classes protobuf-java writes there, by simple name. */
  private final Map<String, Map<String, TopLevel>> topLevel = new HashMap<>();

  void add(FileDescriptorProto file) {
    String javaPackage = javaPackage(file);
    String outer = file.getOptions().getJavaMultipleFiles() ? "" : outerClassName(file) + ".";
    Map<String, TopLevel> tops = topLevel.computeIfAbsent(javaPackage, p -> new HashMap<>());
    // written with java_multiple_files too: it holds the file's descriptor
    tops.putIfAbsent(outerClassName(file), new TopLevel(file.getName(), TopLevel.Kind.OUTER_CLASS));
    TopLevel type = new TopLevel(file.getName(), TopLevel.Kind.TYPE);
    if (outer.isEmpty() && file.getOptions().getJavaGenericServices()) {
      for (var service : file.getServiceList()) {
        tops.putIfAbsent(service.getName(),
            new TopLevel(file.getName(), TopLevel.Kind.GENERIC_SERVICE));
      }
    }
    String protoPrefix = file.getPackage().isEmpty() ? "." : "." + file.getPackage() + ".";
    for (DescriptorProto message : file.getMessageTypeList()) {
      addMessage(protoPrefix, javaPackage, outer, message);
      if (!isSupported(file)) {
        laterEdition.put(protoPrefix + message.getName(), file);
      }
      if (outer.isEmpty()) {
        tops.putIfAbsent(message.getName(), type);
        tops.putIfAbsent(message.getName() + "OrBuilder", type);
      }
    }
    for (EnumDescriptorProto e : file.getEnumTypeList()) {
      classes.put(protoPrefix + e.getName(), new JavaClass(javaPackage, outer + e.getName()));
      if (outer.isEmpty()) {
        tops.putIfAbsent(e.getName(), type);
      }
    }
  }

  private void addMessage(String protoPrefix, String javaPackage, String javaPrefix,
      DescriptorProto message) {
    String protoName = protoPrefix + message.getName();
    String javaName = javaPrefix + message.getName();
    classes.put(protoName, new JavaClass(javaPackage, javaName));
    for (DescriptorProto nested : message.getNestedTypeList()) {
      addMessage(protoName + ".", javaPackage, javaName + ".", nested);
    }
    for (EnumDescriptorProto e : message.getEnumTypeList()) {
      classes.put(protoName + "." + e.getName(), new JavaClass(javaPackage, javaName + "." + e.getName()));
    }
  }

  /** The Java class of a proto type named as in a field or method (".pkg.Name"). */
  JavaClass classOf(String protoTypeName) {
    JavaClass name = classes.get(protoTypeName);
    if (name == null) {
      throw new GenerationException("type " + protoTypeName + " is not defined in any file protoc sent");
    }
    return name;
  }

  /**
   * The file of a later edition than this plugin knows that defines the (top-level) message
   * {@code protoTypeName}, or null.
   */
  FileDescriptorProto laterEditionFileOf(String protoTypeName) {
    FileDescriptorProto file = laterEdition.get(protoTypeName);
    if (file != null) {
      return file;
    }
    int dot = protoTypeName.lastIndexOf('.');
    return dot <= 0 ? null : laterEditionFileOf(protoTypeName.substring(0, dot));
  }

  /** Editions the plugin generates for: those whose naming rules {@link JavaNames} follows. */
  static final Edition MAXIMUM_EDITION = Edition.EDITION_2023;

  /** Whether the file is proto2, proto3, or an edition up to {@link #MAXIMUM_EDITION}. */
  static boolean isSupported(FileDescriptorProto file) {
    return !"editions".equals(file.getSyntax())
        || file.getEdition().getNumber() <= MAXIMUM_EDITION.getNumber();
  }

  /** An edition as the .proto file writes it: {@code 2024} for EDITION_2024. */
  static String editionName(Edition edition) {
    return edition.name().startsWith("EDITION_") ? edition.name().substring("EDITION_".length())
        : edition.name();
  }

  /** The top-level classes protobuf-java writes into {@code javaPackage}, by simple name. */
  Set<String> topLevelClasses(String javaPackage) {
    return new HashSet<>(topLevel.getOrDefault(javaPackage, Map.of()).keySet());
  }

  /** What protobuf-java writes the top-level class {@code simpleName} for, or null. */
  TopLevel ownerOfTopLevel(String javaPackage, String simpleName) {
    return topLevel.getOrDefault(javaPackage, Map.of()).get(simpleName);
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
    // protobuf-java's rule: any type of the file, nested ones included, or a service
    boolean clash = file.getMessageTypeList().stream().anyMatch(m -> declares(m, name))
        || file.getEnumTypeList().stream().anyMatch(e -> e.getName().equals(name))
        || file.getServiceList().stream().anyMatch(s -> s.getName().equals(name));
    return clash ? name + "OuterClass" : name;
  }

  /** Whether {@code message}, or a message or enum nested in it at any depth, is {@code name}. */
  private static boolean declares(DescriptorProto message, String name) {
    return message.getName().equals(name)
        || message.getEnumTypeList().stream().anyMatch(e -> e.getName().equals(name))
        || message.getNestedTypeList().stream().anyMatch(nested -> declares(nested, name));
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
    return isKeyword(name) ? name + "_" : name;
  }

  static boolean isKeyword(String name) {
    return KEYWORDS.contains(name);
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
