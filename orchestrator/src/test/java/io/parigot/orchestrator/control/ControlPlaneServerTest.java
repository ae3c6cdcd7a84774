package io.parigot.orchestrator.control;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.grpc.ManagedChannel;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import io.parigot.control.v1.ControlGrpc;
import io.parigot.control.v1.StatusRequest;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * When the CLI's gRPC server of the control plane starts: at once when the deployment is ready
 * within a second, otherwise at the first command that connects, which it answers.
 */
class ControlPlaneServerTest {
  @Test
  void aSlowStartServesTheCliFromItsFirstCommandOn() throws Exception {
    try (ControlPlaneServer plane = ControlPlaneServer.open()) {
      Thread.sleep(1500);
      assertFalse(plane.started().isDone(), "the CLI's server started with nobody asking");
      ManagedChannel channel = NettyChannelBuilder.forAddress("127.0.0.1", plane.port())
          .usePlaintext().build();
      try {
        // no token: refused, which only the started server can say
        StatusRuntimeException refused = assertThrows(StatusRuntimeException.class,
            () -> ControlGrpc.newBlockingStub(channel).withDeadlineAfter(20, TimeUnit.SECONDS)
                .status(StatusRequest.getDefaultInstance()));
        assertEquals(Status.Code.PERMISSION_DENIED, refused.getStatus().getCode(),
            refused.toString());
        plane.started().get(5, TimeUnit.SECONDS);
      } finally {
        channel.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
      }
    }
  }

  @Test
  void aDeploymentReadyStartsItWithNoCommand() throws Exception {
    try (ControlPlaneServer plane = ControlPlaneServer.open()) {
      Thread.sleep(1200); // past the first second: it waits for a command, or for ready
      plane.deploymentReady();
      plane.started().get(20, TimeUnit.SECONDS);
    }
  }

  @Test
  void closedWhileItWaitsItNeverStarts() throws Exception {
    ControlPlaneServer plane = ControlPlaneServer.open();
    Thread.sleep(1200);
    plane.close();
    Thread.sleep(300);
    assertFalse(plane.started().isDone());
  }
}
