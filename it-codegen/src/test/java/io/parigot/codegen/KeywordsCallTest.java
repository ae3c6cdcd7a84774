package io.parigot.codegen;

import static io.parigot.codegen.Calls.call;
import static io.parigot.codegen.Calls.result;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.parigot.sdk.InProcessDeployment;
import keywords.v1.Context;
import keywords.v1.Future;
import keywords.v1.Keywords;
import keywords.v1.KeywordsClient;
import keywords.v1.Message;
import keywords.v1.PING;
import keywords.v1.ServiceRef;
import keywords.v1.Void;
import org.junit.jupiter.api.Test;

/**
 * keywords.proto: rpcs named like Java keywords and like the generated code's own methods,
 * messages named like the SDK and java.lang types the generated code uses, and one named like
 * the binding's constant of an rpc.
 */
class KeywordsCallTest {

  static final class KeywordsService implements Keywords {
    volatile boolean readyRan;

    @Override
    public io.parigot.sdk.Future<Context> class_(Future request) {
      return io.parigot.sdk.Future.succeeded(
          Context.newBuilder().setPublic(request.getClass_().equals("java")).build());
    }

    @Override
    public io.parigot.sdk.Future<Future> import_(Context request) {
      return io.parigot.sdk.Future.succeeded(Future.newBuilder().setDefault(7).build());
    }

    @Override
    public io.parigot.sdk.Future<keywords.v1.String> ready_(keywords.v1.String request) {
      return io.parigot.sdk.Future.succeeded(request);
    }

    @Override
    public io.parigot.sdk.Future<Message> bind_(Message request) {
      return io.parigot.sdk.Future.succeeded(request);
    }

    @Override
    public io.parigot.sdk.Future<ServiceRef> locate_(ServiceRef request) {
      return io.parigot.sdk.Future.succeeded(request);
    }

    @Override
    public io.parigot.sdk.Future<Void> errorOf_(Void request) {
      return io.parigot.sdk.Future.succeeded(request);
    }

    @Override
    public io.parigot.sdk.Future<Future> default_(Future request) {
      return io.parigot.sdk.Future.succeeded(request);
    }

    @Override
    public io.parigot.sdk.Future<PING> ping(PING request) {
      return io.parigot.sdk.Future.succeeded(
          PING.newBuilder().setWord(request.getWord() + " pong").build());
    }

    @Override
    public io.parigot.sdk.Future<java.lang.Void> ready(io.parigot.sdk.Context context) {
      readyRan = true;
      return io.parigot.sdk.Future.done();
    }
  }

  @Test
  void clashingNamesStillCallThrough() throws Exception {
    KeywordsService impl = new KeywordsService();
    try (InProcessDeployment deployment = new InProcessDeployment()) {
      deployment.service("keywords", Keywords.bind(impl));
      Context answer = result(call(deployment, Keywords.SERVICE, caller ->
          KeywordsClient.locate(caller).class_(Future.newBuilder().setClass_("java").build())));
      assertTrue(answer.getPublic());
      assertEquals(7, result(call(deployment, Keywords.SERVICE, caller ->
          KeywordsClient.locate(caller).import_(Context.getDefaultInstance()))).getDefault());
      assertEquals("r", result(call(deployment, Keywords.SERVICE, caller ->
          KeywordsClient.locate(caller).ready_(keywords.v1.String.newBuilder().setValue("r").build())))
          .getValue());
      assertEquals("ping pong", result(call(deployment, Keywords.SERVICE, caller ->
          KeywordsClient.locate(caller).ping(PING.newBuilder().setWord("ping").build())))
          .getWord());
      assertTrue(impl.readyRan, "ready(Context) is the hook, ready_ the rpc");
    }
  }
}
