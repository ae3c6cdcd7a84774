package io.parigot.control;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.grpc.Status;
import io.parigot.control.v1.LocateRequest;
import io.parigot.control.v1.LocateResponse;
import io.parigot.control.v1.Location;
import io.parigot.control.v1.ReadyRequest;
import io.parigot.control.v1.Refusal;
import io.parigot.control.v1.RegistryAnswer;
import io.parigot.control.v1.RegistryCall;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The service JVM's side of the registry wire, against a registry played by the test. */
class RegistryConnectionTest {
  private ServerSocket registry;

  @BeforeEach
  void listen() throws IOException {
    registry = new ServerSocket(0, 8, InetAddress.getLoopbackAddress());
  }

  @AfterEach
  void close() throws IOException {
    registry.close();
  }

  private String address() {
    return "127.0.0.1:" + registry.getLocalPort();
  }

  @Test
  void answersInAnyOrderReachTheirCallsAndEveryCallCarriesTheToken() throws Exception {
    try (RegistryConnection connection = RegistryConnection.open(address(), "t0ken");
        Socket peer = registry.accept()) {
      CompletableFuture<RegistryAnswer> ready =
          connection.call(RegistryCall.newBuilder().setReady(ReadyRequest.getDefaultInstance()));
      CompletableFuture<RegistryAnswer> locate = connection.call(RegistryCall.newBuilder()
          .setLocate(LocateRequest.newBuilder().setInterfaceName("greeting.v1.Greeting")));
      InputStream in = peer.getInputStream();
      RegistryCall first = RegistryCall.parseDelimitedFrom(in);
      RegistryCall second = RegistryCall.parseDelimitedFrom(in);
      assertEquals("t0ken", first.getToken());
      assertEquals("t0ken", second.getToken());
      assertEquals(RegistryCall.CallCase.LOCATE, second.getCallCase());

      OutputStream out = peer.getOutputStream();
      RegistryAnswer.newBuilder().setId(second.getId()).setLocate(LocateResponse.newBuilder()
          .setLocation(Location.newBuilder().setServiceName("greeting"))).build()
          .writeDelimitedTo(out);
      RegistryAnswer.newBuilder().setId(first.getId()).setRefusal(Refusal.newBuilder()
          .setCode(Status.Code.PERMISSION_DENIED.value()).setDescription("not yours"))
          .build().writeDelimitedTo(out);
      out.flush();

      assertEquals("greeting",
          locate.get(5, TimeUnit.SECONDS).getLocate().getLocation().getServiceName());
      ExecutionException refused =
          assertThrows(ExecutionException.class, () -> ready.get(5, TimeUnit.SECONDS));
      Status status = Status.fromThrowable(refused.getCause());
      assertEquals(Status.Code.PERMISSION_DENIED, status.getCode());
      assertEquals("not yours", status.getDescription());
    }
  }

  @Test
  void callsStillWaitingFailWhenTheRegistryGoesAway() throws Exception {
    try (RegistryConnection connection = RegistryConnection.open(address(), "t0ken")) {
      CompletableFuture<RegistryAnswer> waiting;
      try (Socket peer = registry.accept()) {
        waiting = connection.call(RegistryCall.newBuilder()
            .setReady(ReadyRequest.getDefaultInstance()));
        RegistryCall.parseDelimitedFrom(peer.getInputStream());
      }
      ExecutionException gone =
          assertThrows(ExecutionException.class, () -> waiting.get(5, TimeUnit.SECONDS));
      assertEquals(Status.Code.UNAVAILABLE, Status.fromThrowable(gone.getCause()).getCode());

      // and so does any call made after
      CompletableFuture<RegistryAnswer> after =
          connection.call(RegistryCall.newBuilder().setReady(ReadyRequest.getDefaultInstance()));
      ExecutionException late =
          assertThrows(ExecutionException.class, () -> after.get(5, TimeUnit.SECONDS));
      assertEquals(Status.Code.UNAVAILABLE, Status.fromThrowable(late.getCause()).getCode());
    }
  }

  @Test
  void anAddressThatIsNotHostAndPortIsRefusedWithWhatItShouldBe() {
    IllegalArgumentException bad = assertThrows(IllegalArgumentException.class,
        () -> RegistryConnection.open("localhost", "t"));
    assertEquals("PARIGOT_CONTROL must be HOST:PORT, not 'localhost'", bad.getMessage());
  }
}
