package io.parigot.plugin;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.protobuf.DescriptorProtos.Edition;
import com.google.protobuf.compiler.PluginProtos.CodeGeneratorResponse;
import com.google.protobuf.compiler.PluginProtos.CodeGeneratorResponse.Feature;
import org.junit.jupiter.api.Test;

/**
 * An edition 2023 file generates as a proto3 one does, and the response tells protoc so (without
 * it, protoc refuses every editions file, naming neither line nor fix).
 */
class EditionsTest {
  @Test
  void anEdition2023FileGeneratesWithProto3sNames() {
    CodeGeneratorResponse response =
        new CodeGenerator().generate(TestProtos.request("editions/v1/editions.proto"));

    assertFalse(response.hasError(), response.getError());
    assertTrue((response.getSupportedFeatures() & Feature.FEATURE_SUPPORTS_EDITIONS_VALUE) != 0);
    assertEquals(Edition.EDITION_2023_VALUE, response.getMinimumEdition());
    assertEquals(Edition.EDITION_2023_VALUE, response.getMaximumEdition());
    String stamper = response.getFileList().stream()
        .filter(f -> f.getName().equals("io/parigot/codegen/editions/v1/Stamper.java"))
        .findFirst().orElseThrow().getContent();
    // no java_multiple_files: the messages are nested in the file's outer class
    assertTrue(stamper.contains("Future<Editions.StampResponse> stamp(Editions.StampRequest "
        + "request);"), stamper);
  }
}
