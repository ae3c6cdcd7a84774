package io.parigot.plugin;

import com.google.protobuf.DescriptorProtos.FileDescriptorProto;
import com.google.protobuf.DescriptorProtos.MethodDescriptorProto;
import com.google.protobuf.DescriptorProtos.ServiceDescriptorProto;
import com.google.protobuf.compiler.PluginProtos.CodeGeneratorResponse;
import io.parigot.plugin.ErrorEnums.ErrorEnum;
import io.parigot.plugin.JavaNames.JavaClass;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Writes the three Java files of one service: the interface its author implements ({@code
 * Greeting}), the client callers use ({@code GreetingClient}) and the package-private binding that
 * carries the gRPC plumbing ({@code GreetingBinding}). Reading the service checks it: each problem
 * is added to the caller's list, every rpc checked, and the files are written only for input that
 * has none.
 */
final class ServiceWriter {
  /** Field number of the {@code parigot.v1.budget_millis} method option. */
  static final int BUDGET_MILLIS = 51103;
  /** Method names the generated types already use; an rpc of that name gets a trailing underscore. */
  private static final Set<String> TAKEN = Set.of("ready", "bind", "locate", "errorOf");
  /**
   * The rpcs the SDK adds to every service to answer polls of its operations (sdk-java's
   * Operations.GET and CANCEL): a service of its own by that name would not start.
   */
  private static final List<String> SDK_RPCS =
      List.of("ParigotGetOperation", "ParigotCancelOperation");
  private static final String SDK = "io.parigot.sdk.";

  /** One rpc as the generated Java sees it. */
  private record Rpc(MethodDescriptorProto proto, int index, String method, String constant,
      JavaClass input, JavaClass output, long budgetMillis) {}

  private final FileDescriptorProto file;
  private final int index;
  private final ServiceDescriptorProto service;
  private final SourceInfo source;
  /** Null when the service's error enum has problems: then nothing is written. */
  private final ErrorEnum errorEnum;
  private final Set<String> samePackage;
  private final String javaPackage;
  private final String fullName;
  private final String name;
  private final List<Rpc> rpcs = new ArrayList<>();

  ServiceWriter(FileDescriptorProto file, int index, JavaNames names, ErrorEnum errorEnum,
      SourceInfo source, List<Problem> problems) {
    this.file = file;
    this.index = index;
    this.service = file.getService(index);
    this.source = source;
    this.errorEnum = errorEnum;
    this.name = service.getName();
    this.javaPackage = JavaNames.javaPackage(file);
    this.fullName = file.getPackage().isEmpty() ? name : file.getPackage() + "." + name;
    this.samePackage = names.topLevelClasses(javaPackage);
    for (String generated : classNames()) {
      JavaNames.TopLevel owner = names.ownerOfTopLevel(javaPackage, generated);
      if (owner != null) {
        problems.add(source.problem("service " + name + " generates " + qualified(generated)
            + ", but protobuf-java already writes a class of that name" + clashFix(owner),
            SourceInfo.SERVICE, index));
      }
      samePackage.add(generated);
    }
    Map<String, String> methods = new HashMap<>();
    Map<String, String> constants = new HashMap<>();
    for (int m = 0; m < service.getMethodCount(); m++) {
      MethodDescriptorProto method = service.getMethod(m);
      int[] where = {SourceInfo.SERVICE, index, SourceInfo.METHOD, m};
      if (method.getClientStreaming() || method.getServerStreaming()) {
        String streams = !method.getServerStreaming() ? "its request streams"
            : !method.getClientStreaming() ? "its response streams"
            : "both its request and its response stream";
        problems.add(source.problem("rpc " + name + "." + method.getName() + ": " + streams
            + ", but parigot methods are unary for now. Remove `stream`: page through results "
            + "with a unary rpc, or return an operation id and poll it.", where));
      }
      if (SDK_RPCS.contains(method.getName())) {
        problems.add(source.problem("rpc " + name + "." + method.getName() + ": the SDK adds an "
            + "rpc of that name to every service, to answer polls of its operations ("
            + String.join(" and ", SDK_RPCS) + ", docs/sdk.md#long-running-work), and the "
            + "service would not start; rename it.", where));
      }
      String methodName = JavaNames.methodName(method.getName());
      if (TAKEN.contains(methodName)) {
        methodName = methodName + "_";
      }
      String constant = JavaNames.constantName(method.getName());
      String clash = methods.putIfAbsent(methodName, method.getName());
      String constantClash = constants.putIfAbsent(constant, method.getName());
      if (methodName.isEmpty() || !Character.isJavaIdentifierStart(methodName.charAt(0))) {
        // protoc takes names such as _ or _1, which leave no letter to begin a method with
        problems.add(source.problem("rpc " + name + "." + method.getName() + ": its Java method "
            + "name would be \"" + methodName + "\" (underscores are dropped), which Java does not "
            + "allow; give it a name that begins with a letter, such as FetchGreeting.", where));
      } else if (clash != null) {
        problems.add(source.problem("rpcs " + clash + " and " + method.getName() + " of service "
            + name + " both become the Java method " + methodName + "; rename one of them.", where));
      } else if (constantClash != null) {
        problems.add(source.problem("rpcs " + constantClash + " and " + method.getName()
            + " of service " + name + " both become the constant " + constant + " of the "
            + "generated " + name + "Binding; rename one of them.", where));
      }
      long budget = 0;
      var option = method.getOptions().getUnknownFields().getField(BUDGET_MILLIS);
      if (!option.getVarintList().isEmpty()) {
        budget = option.getVarintList().get(option.getVarintList().size() - 1) & 0xffffffffL;
        if (budget == 0) {
          problems.add(source.problem("rpc " + name + "." + method.getName() + ": budget_millis "
              + "must be at least 1 ms; remove the option for the default 50 ms.", where));
        }
      }
      for (String type : new java.util.LinkedHashSet<>(
          List.of(method.getInputType(), method.getOutputType()))) {
        FileDescriptorProto later = names.laterEditionFileOf(type);
        if (later != null) {
          problems.add(source.problem("rpc " + name + "." + method.getName() + ": "
              + (type.equals(method.getInputType()) ? "its request" : "its response")
              + " type " + type.substring(1) + " is defined in " + later.getName() + ", whose "
              + CodeGenerator.laterEdition(later), where));
        }
      }
      rpcs.add(new Rpc(method, m, methodName, constant,
          names.classOf(method.getInputType()), names.classOf(method.getOutputType()), budget));
    }
  }

  /** The end of the problem of a class protobuf-java writes too: what it is, and the fix. */
  private static String clashFix(JavaNames.TopLevel owner) {
    return switch (owner.kind()) {
      case OUTER_CLASS -> ": the outer class of " + owner.file() + ", which holds its descriptor "
          + "even with java_multiple_files. Set java_outer_classname in " + owner.file()
          + " to another name, or rename the service.";
      case GENERIC_SERVICE -> ", as java_generic_services = true in " + owner.file() + " asks "
          + "(with java_multiple_files, one class per service). Remove java_generic_services: "
          + "the generated interface and client replace those classes.";
      case TYPE -> " for " + owner.file() + ". Rename the service or that message/enum, or set "
          + "java_outer_classname (or java_package) so they differ.";
    };
  }

  /** The simple names of the classes this service generates. */
  List<String> classNames() {
    return List.of(name, name + "Client", name + "Binding");
  }

  private String qualified(String simpleName) {
    return javaPackage.isEmpty() ? simpleName : javaPackage + "." + simpleName;
  }

  /** The paths of the files {@link #write} writes, in the same order. */
  List<String> fileNames() {
    return classNames().stream().map(this::fileName).toList();
  }

  private String fileName(String className) {
    String dir = javaPackage.isEmpty() ? "" : javaPackage.replace('.', '/') + "/";
    return dir + className + ".java";
  }

  /** The three files; only for a service read without problems. */
  List<CodeGeneratorResponse.File> write() {
    if (errorEnum == null) {
      throw new IllegalStateException("service " + fullName + " has problems: nothing to write");
    }
    return List.of(file(name, serviceInterface()),
        file(name + "Client", client()),
        file(name + "Binding", binding()));
  }

  private CodeGeneratorResponse.File file(String className, JavaSource source) {
    return CodeGeneratorResponse.File.newBuilder()
        .setName(fileName(className))
        .setContent(source.render())
        .build();
  }

  private JavaSource newSource() {
    return new JavaSource(file.getName(), javaPackage, samePackage);
  }

  private String doc(String fallback, int... path) {
    String comment = source.javadoc(path);
    return comment == null ? fallback : comment;
  }

  private JavaSource serviceInterface() {
    JavaSource out = newSource();
    String future = out.ref(SDK + "Future");
    String errors = out.ref(errorEnum.javaClass());
    out.javadoc("", doc("The " + fullName + " service.", SourceInfo.SERVICE, index)
        + "\n\n<p>Implement this interface and export it with {@code Parigot.service(" + name
        + ".bind(impl))};\ncall it through {@link " + name + "Client}. Every method runs on the "
        + "service's event loop\nand fails with {@link " + errors + "}.");
    out.append("public interface ").append(name).append(" {\n");
    out.javadoc("  ", fullName + ", to require this service or locate it.");
    String ref = out.ref(SDK + "ServiceRef");
    String declaration = "  " + ref + " SERVICE = " + ref + ".of(\"" + fullName + "\", " + errors
        + "::forNumber);\n";
    out.append(declaration.length() <= 101 ? declaration
        : declaration.replace(" SERVICE = ", " SERVICE =\n      "));
    for (Rpc rpc : rpcs) {
      out.append("\n");
      out.javadoc("  ", methodDoc(rpc, "Answers " + rpc.proto().getName() + "."));
      out.append("  " + future + "<" + out.ref(rpc.output()) + "> " + rpc.method() + "("
          + out.ref(rpc.input()) + " request);\n");
    }
    out.append("\n");
    out.javadoc("  ", "Runs on the event loop once every required service is ready, before this "
        + "one\nbecomes locatable: locate dependencies here.");
    out.append("  default " + future + "<" + out.ref("java.lang.Void") + "> ready("
        + out.ref(SDK + "Context") + " context) {\n");
    out.append("    return " + future + ".done();\n");
    out.append("  }\n\n");
    out.javadoc("  ", "Binds {@code impl}, to export it with {@code Parigot.service(...)}.");
    out.append("  static " + out.ref(SDK + "ServiceBinding") + " bind(" + name + " impl) {\n");
    out.append("    return " + name + "Binding.bind(impl);\n");
    out.append("  }\n");
    out.append("}\n");
    return out;
  }

  private String methodDoc(Rpc rpc, String fallback) {
    String text = doc(fallback, SourceInfo.SERVICE, index, SourceInfo.METHOD, rpc.index());
    if (rpc.budgetMillis() > 0) {
      text += "\n\n<p>Budget: " + rpc.budgetMillis() + " ms (parigot.v1.budget_millis).";
    }
    return text;
  }

  private JavaSource client() {
    JavaSource out = newSource();
    String future = out.ref(SDK + "Future");
    String remote = out.ref(SDK + "Remote");
    String serviceError = out.ref(SDK + "ServiceError");
    String errors = out.ref(errorEnum.javaClass());
    out.javadoc("", "Calls " + fullName + ". Every call returns a future that completes on the "
        + "caller's\nevent loop; a failed call carries a {@link " + serviceError + "} typed with {@link "
        + errors + "}\n(see {@link #errorOf}).");
    out.append("public final class " + name + "Client {\n");
    out.append("  private final " + remote + " remote;\n\n");
    out.append("  private " + name + "Client(" + remote + " remote) {\n");
    out.append("    this.remote = remote;\n");
    out.append("  }\n\n");
    out.javadoc("  ", "Locates " + fullName + "; the caller must have required {@link " + name
        + "#SERVICE}.");
    out.append("  public static " + name + "Client locate(" + out.ref(SDK + "Context")
        + " context) {\n");
    out.append("    return new " + name + "Client(context.locate(" + name + ".SERVICE));\n");
    out.append("  }\n\n");
    out.javadoc("  ", "The {@link " + errors + "} a call failed with: the service's own error, or "
        + "{@code\n" + errorEnum.dispatchError() + "} when the call could not be carried out (the "
        + "service was unreachable,\ncrashed or ran past its budget; the {@link " + serviceError
        + "}'s cause says which).");
    out.append("  public static " + errors + " errorOf(" + out.ref("java.lang.Throwable")
        + " failure) {\n");
    out.append("    if (failure instanceof " + serviceError + " error && error.code() instanceof "
        + errors + " code) {\n");
    out.append("      return code;\n");
    out.append("    }\n");
    out.append("    return " + errors + "." + errorEnum.dispatchError() + ";\n");
    out.append("  }\n");
    for (Rpc rpc : rpcs) {
      out.append("\n");
      out.javadoc("  ", methodDoc(rpc, "Calls " + rpc.proto().getName() + "."));
      out.append("  public " + future + "<" + out.ref(rpc.output()) + "> " + rpc.method() + "("
          + out.ref(rpc.input()) + " request) {\n");
      String budget = rpc.budgetMillis() == 0 ? ""
          : ", " + out.ref("java.time.Duration") + ".ofMillis(" + literal(rpc.budgetMillis()) + ")";
      out.append("    return remote.unary(" + name + "Binding." + rpc.constant() + ", request" + budget
          + ");\n");
      out.append("  }\n");
    }
    out.append("}\n");
    return out;
  }

  /** A budget as a Java literal: budget_millis is a uint32, and past 2^31 - 1 an int is not. */
  private static String literal(long millis) {
    return millis > Integer.MAX_VALUE ? millis + "L" : Long.toString(millis);
  }

  private JavaSource binding() {
    JavaSource out = newSource().fields(rpcs.stream().map(Rpc::constant).toList());
    String descriptor = out.ref("io.grpc.MethodDescriptor");
    out.javadoc("", "The gRPC plumbing of {@link " + name + "}: one method descriptor per rpc, and "
        + "the binding\nthat runs every method on the service's event loop.");
    out.append("final class " + name + "Binding {\n");
    for (Rpc rpc : rpcs) {
      String in = out.ref(rpc.input());
      String result = out.ref(rpc.output());
      out.append("  static final " + descriptor + "<" + in + ", " + result + "> " + rpc.constant()
          + " =\n");
      String call = "      unary(\"" + rpc.proto().getName() + "\", " + in + ".getDefaultInstance(), "
          + result + ".getDefaultInstance());\n";
      out.append(call.length() <= 101 ? call
          : call.replace(".getDefaultInstance(), ", ".getDefaultInstance(),\n          "));
    }
    if (!rpcs.isEmpty()) {
      out.append("\n");
    }
    out.append("  private " + name + "Binding() {}\n\n");
    out.append("  static " + out.ref(SDK + "ServiceBinding") + " bind(" + name + " impl) {\n");
    out.append("    return " + out.ref(SDK + "ServiceBinding") + ".builder(" + name + ".SERVICE)\n");
    for (Rpc rpc : rpcs) {
      String budget = rpc.budgetMillis() == 0 ? ""
          : out.ref("java.time.Duration") + ".ofMillis(" + literal(rpc.budgetMillis()) + "), ";
      out.append("        .unary(" + rpc.constant() + ", " + budget + "impl::" + rpc.method() + ")\n");
    }
    out.append("        .ready(impl::ready)\n");
    out.append("        .build();\n");
    out.append("  }\n\n");
    String message = out.ref("com.google.protobuf.Message");
    String marshaller = out.ref("io.grpc.protobuf.ProtoUtils");
    out.append("  private static <Q extends " + message + ", R extends " + message + "> "
        + descriptor + "<Q, R> unary(\n");
    out.append("      " + out.ref("java.lang.String") + " method, Q request, R response) {\n");
    out.append("    return " + descriptor + ".<Q, R>newBuilder()\n");
    out.append("        .setType(" + descriptor + ".MethodType.UNARY)\n");
    out.append("        .setFullMethodName(" + descriptor + ".generateFullMethodName(\"" + fullName
        + "\", method))\n");
    out.append("        .setRequestMarshaller(" + marshaller + ".marshaller(request))\n");
    out.append("        .setResponseMarshaller(" + marshaller + ".marshaller(response))\n");
    out.append("        .build();\n");
    out.append("  }\n");
    out.append("}\n");
    return out;
  }
}
