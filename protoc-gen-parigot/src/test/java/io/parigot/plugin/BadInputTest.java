package io.parigot.plugin;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.protobuf.compiler.PluginProtos.CodeGeneratorResponse;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Bad input under src/test/proto/bad: protoc must fail with a message that names the file (with
 * line and column), the element, and the fix, and the response must hold no file at all.
 */
class BadInputTest {

  private static String errorFor(String... files) {
    CodeGeneratorResponse response = new CodeGenerator().generate(TestProtos.request(files));
    assertTrue(response.hasError(), "expected an error for " + String.join(", ", files));
    assertEquals(0, response.getFileCount(), "an error must come without any file");
    return response.getError();
  }

  @Test
  void reservedValuesOutOfOrder() {
    assertEquals("reserved_order.proto:7:3: enum GreetErr (bound by service Greeting's "
        + "error_id_name): value 1 must be DISPATCH_ERROR = 1, found FOO = 1; the first four "
        + "values are NO_ERROR = 0, DISPATCH_ERROR = 1, UNMARSHAL_FAILED = 2, MARSHAL_FAILED = 3, "
        + "in that order (NoError or GREET_ERR_NO_ERROR spellings also do); the service's own "
        + "errors follow from 4.", errorFor("reserved_order.proto"));
  }

  @Test
  void enumWithTooFewValues() {
    assertTrue(errorFor("short_enum.proto").startsWith("short_enum.proto:5:1: enum GreetErr "
        + "(bound by service Greeting's error_id_name): value 2 must be UNMARSHAL_FAILED = 2, "
        + "found nothing;"));
  }

  @Test
  void enumMarkedParigotErrorIsCheckedWithoutAService() {
    assertTrue(errorFor("marked_enum.proto").startsWith("marked_enum.proto:10:3: enum LooseErr "
        + "(marked parigot_error): value 2 must be UNMARSHAL_FAILED = 2, found MARSHAL_FAILED = 2;"));
  }

  @Test
  void errorIdNameNamesAMissingEnum() {
    assertEquals("missing_enum.proto:13:3: service Greeting: error_id_name names \"GreetError\", "
        + "but no enum of that name is defined in missing_enum.proto or the files it imports "
        + "(enums in missing_enum.proto: GreetErr). Fix the name, or define enum GreetError "
        + "beginning with NO_ERROR = 0; DISPATCH_ERROR = 1; UNMARSHAL_FAILED = 2; "
        + "MARSHAL_FAILED = 3;", errorFor("missing_enum.proto"));
  }

  @Test
  void serviceWithoutErrorEnum() {
    String error = errorFor("no_binding.proto");
    assertTrue(error.startsWith("no_binding.proto:4:1: service Greeting has no error enum. "
        + "Every parigot service fails with one; bind it:\n"), error);
    assertTrue(error.contains("option (parigot.v1.error_id_name) = \"GreetingErr\";"), error);
    assertTrue(error.contains("import \"parigot/v1/options.proto\";"), error);
  }

  @Test
  void streamingRpcsAreRefusedSayingWhichSideStreams() {
    String fix = ", but parigot methods are unary for now. Remove `stream`: page through results "
        + "with a unary rpc, or return an operation id and poll it.";
    assertEquals(String.join("\n",
        "streaming.proto:14:3: rpc Chat.Talk: both its request and its response stream" + fix,
        "streaming.proto:15:3: rpc Chat.Upload: its request streams" + fix,
        "streaming.proto:16:3: rpc Chat.Watch: its response streams" + fix),
        errorFor("streaming.proto"));
  }

  @Test
  void generatedClassClashesWithAMessage() {
    assertEquals("class_clash.proto:13:1: service Greeting generates bad.clash.GreetingClient, "
        + "but protobuf-java already writes a class of that name for class_clash.proto. Rename "
        + "the service or that message/enum, or set java_outer_classname (or java_package) so "
        + "they differ.", errorFor("class_clash.proto"));
  }

  /** protobuf-java writes the file's outer class with java_multiple_files too. */
  @Test
  void generatedClassClashesWithTheFilesOuterClass() {
    assertEquals("outer_clash_client.proto:15:1: service OuterClash generates "
        + "bad.outer.OuterClashClient, but protobuf-java already writes a class of that name: the "
        + "outer class of outer_clash_client.proto, which holds its descriptor even with "
        + "java_multiple_files. Set java_outer_classname in outer_clash_client.proto to another "
        + "name, or rename the service.", errorFor("outer_clash_client.proto"));
  }

  /** The common layout of a service apart from its messages: greeter.proto's outer class. */
  @Test
  void generatedInterfaceClashesWithTheOuterClassOfAnotherFile() {
    assertEquals("greeter_service.proto:7:1: service Greeter generates bad.greeter.Greeter, but "
        + "protobuf-java already writes a class of that name: the outer class of greeter.proto, "
        + "which holds its descriptor even with java_multiple_files. Set java_outer_classname in "
        + "greeter.proto to another name, or rename the service.",
        errorFor("greeter_service.proto"));
  }

  @Test
  void generatedInterfaceClashesWithAGenericService() {
    assertEquals("generic_services.proto:16:1: service Greeting generates bad.generic.Greeting, "
        + "but protobuf-java already writes a class of that name, as java_generic_services = "
        + "true in generic_services.proto asks (with java_multiple_files, one class per "
        + "service). Remove java_generic_services: the generated interface and client replace "
        + "those classes.", errorFor("generic_services.proto"));
  }

  /** Two services whose Java files are the same three: told once, not once for each file. */
  @Test
  void twoServicesGeneratingTheSameFilesAreToldOnce() {
    assertEquals("same_java_two.proto:15:1: service Greeting generates bad/same/Greeting.java, "
        + "which same_java_one.proto's service Greeting generates too. Give one of them another "
        + "name or java_package.", errorFor("same_java_one.proto", "same_java_two.proto"));
  }

  @Test
  void rpcsThatBecomeTheSameJavaMethod() {
    assertEquals("method_clash.proto:15:3: rpcs GetName and Get_Name of service Greeting both "
        + "become the Java method getName; rename one of them.", errorFor("method_clash.proto"));
  }

  @Test
  void rpcsThatBecomeTheSameConstantOfTheBinding() {
    assertEquals("constant_clash.proto:17:3: rpcs FOO and Foo of service Greeting both become "
        + "the constant FOO of the generated GreetingBinding; rename one of them.",
        errorFor("constant_clash.proto"));
  }

  @Test
  void rpcsWhoseNamesLeaveNoJavaMethodName() {
    String fix = " (underscores are dropped), which Java does not allow; give it a name that "
        + "begins with a letter, such as FetchGreeting.";
    assertEquals(String.join("\n",
        "no_method_name.proto:15:3: rpc Greeting._: its Java method name would be \"\"" + fix,
        "no_method_name.proto:16:3: rpc Greeting._1: its Java method name would be \"1\"" + fix),
        errorFor("no_method_name.proto"));
  }

  /** gRPC would refuse the second method of the name when the service starts. */
  @Test
  void rpcsNamedLikeTheSdksOperationRpcs() {
    String why = ": the SDK adds an rpc of that name to every service, to answer polls of its "
        + "operations (ParigotGetOperation and ParigotCancelOperation, "
        + "docs/sdk.md#long-running-work), and the service would not start; rename it.";
    assertEquals(String.join("\n",
        "sdk_rpc_names.proto:15:3: rpc Greeting.ParigotGetOperation" + why,
        "sdk_rpc_names.proto:16:3: rpc Greeting.ParigotCancelOperation" + why),
        errorFor("sdk_rpc_names.proto"));
  }

  @Test
  void everyProblemIsReportedAndNoFileIsWrittenEvenForGoodFiles() {
    String error = errorFor("greeting/v1/greeting.proto", "streaming.proto", "reserved_order.proto");
    assertEquals(List.of("streaming.proto:14:3", "streaming.proto:15:3", "streaming.proto:16:3",
        "reserved_order.proto:7:3"), positions(error), error);
  }

  @Test
  void everyKindOfProblemInOneFileIsReportedInOneRunInTheOrderOfTheFile() {
    String error = errorFor("every_problem.proto");
    assertEachLineStartsWith(List.of(
        "every_problem.proto:7:3: service Talk: error_id_name names \"TalkError\"",
        "every_problem.proto:8:3: rpc Talk.Chat: its request streams, but parigot methods are",
        "every_problem.proto:10:3: rpc Talk.Slow: budget_millis must be at least 1 ms;",
        "every_problem.proto:13:3: rpcs GetName and Get_Name of service Talk both become the Java "
            + "method getName; rename one of them.",
        "every_problem.proto:19:3: rpc Echo.Say: its response streams, but parigot methods are",
        // told once, though service Echo binds it too
        "every_problem.proto:26:3: enum TalkErr (marked parigot_error): value 2 must be"), error);
  }

  /** Names a later edition's file at its edition line, with what to write instead. */
  @Test
  void aFileOfAnEditionAfter2023IsToldWithWhatToWrite() {
    assertEquals("later_edition.proto:1:1: edition 2024 is not supported by protoc-gen-parigot "
        + "yet: it generates for proto2, proto3 and editions up to 2023 (from 2024 on, "
        + "protobuf-java names its classes by other rules). Write edition = \"2023\"; (or "
        + "syntax = \"proto3\";) in later_edition.proto.", errorFor("later_edition.proto"));
  }

  /**
   * A proto3 file whose rpc takes a message of an edition 2024 file: protoc lets it through, but
   * the class protobuf-java writes for it is not where proto3's rules put it.
   */
  @Test
  void anRpcTakingAMessageOfALaterEditionIsToldAtTheRpc() {
    assertEquals("uses_later_edition.proto:19:3: rpc Uses.Hit: its request type bad.later.Ping "
        + "is defined in later_edition.proto, whose edition 2024 is not supported by "
        + "protoc-gen-parigot yet: it generates for proto2, proto3 and editions up to 2023 (from "
        + "2024 on, protobuf-java names its classes by other rules). Write edition = \"2023\"; "
        + "(or syntax = \"proto3\";) in later_edition.proto.",
        errorFor("uses_later_edition.proto"));
  }

  /** The {@code file:line:col} each problem starts with, one a line. */
  private static List<String> positions(String error) {
    return error.lines().map(line -> line.substring(0, line.indexOf(": "))).toList();
  }

  private static void assertEachLineStartsWith(List<String> beginnings, String error) {
    List<String> lines = error.lines().toList();
    assertEquals(beginnings.size(), lines.size(), error);
    for (int i = 0; i < lines.size(); i++) {
      assertTrue(lines.get(i).startsWith(beginnings.get(i)), "line " + (i + 1) + " of:\n" + error);
    }
  }
}
