package example.chain;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import example.chain.v1.AskRequest;
import example.chain.v1.AskResponse;
import example.chain.v1.Front;
import example.chain.v1.FrontClient;
import example.chain.v1.PingRequest;
import io.parigot.junit.DeployYaml;
import io.parigot.junit.ParigotExtension;
import java.nio.file.Path;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Chained calls in one JVM: Front asks Back and keeps serving while it waits. */
class ChainTogetherTest {
  @RegisterExtension
  static final ParigotExtension parigot = ParigotExtension.builder()
      .deployFile(Path.of("deploy.yaml"))
      .require(Front.SERVICE)
      .build();

  @Test
  void frontComposesBacksAnswerAndKeepsServingWhileItWaits() throws Exception {
    CompletableFuture<AskResponse> ask = parigot.submit(ctx -> FrontClient.locate(ctx)
        .ask(AskRequest.newBuilder().setQuestion("x").setDelayMillis(2000).build()));

    for (int i = 1; i <= 10; i++) {
      parigot.call(ctx -> FrontClient.locate(ctx).ping(PingRequest.getDefaultInstance()));
    }
    assertFalse(ask.isDone(), "Back answers after 2 s; the pings must not have waited for it");
    assertEquals("a(b(x))", ask.get(10, TimeUnit.SECONDS).getAnswer());
  }

  @Test
  void theWholeDeployFileRunsTogetherAndTheCheckPasses() throws Exception {
    assertEquals(0, DeployYaml.together(Path.of("deploy.yaml")).build().run());
  }
}
