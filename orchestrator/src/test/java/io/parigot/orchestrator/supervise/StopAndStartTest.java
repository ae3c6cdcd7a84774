package io.parigot.orchestrator.supervise;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.grpc.Status;
import io.parigot.agent.LocalAgent;
import io.parigot.control.v1.Endpoint;
import io.parigot.control.v1.RegisterRequest;
import io.parigot.deploy.Deployment;
import io.parigot.deploy.JavaRuntime;
import io.parigot.deploy.RestartPolicy;
import io.parigot.deploy.ServiceSpec;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code parigot stop} and {@code start} as the supervisor does them (and a program's end), on a
 * deployment whose "JVMs" are shell scripts: each prints the one-time token it was given and
 * sleeps, and the test registers it and says it is ready as its SDK would.
 */
class StopAndStartTest {
  private static final Duration LIMIT = Duration.ofSeconds(10);
  /** Longer than the default policy's first backoff (100 ms), in which a restart would come. */
  private static final Duration PAST_THE_BACKOFF = Duration.ofMillis(600);

  @TempDir
  Path dir;

  private final LocalAgent agent = new LocalAgent();
  /** The token each service's current process printed, by service. */
  private final Map<String, String> tokens = new ConcurrentHashMap<>();
  private final List<String> said = Collections.synchronizedList(new ArrayList<>());
  private Supervisor supervisor;
  private CompletableFuture<Integer> outcome;

  @AfterEach
  void stopEverything() throws Exception {
    if (supervisor != null) {
      supervisor.stop(0);
      outcome.get(LIMIT.toSeconds(), TimeUnit.SECONDS);
      supervisor.close();
    }
    agent.close();
  }

  @Test
  void aStoppedServiceStaysStoppedAndIsNotLocatedUntilItIsStarted() throws Exception {
    start(service("store", false, RestartPolicy.DEFAULT), service("cart", false,
        RestartPolicy.DEFAULT));
    long before = status("store").pid();

    List<Stopped> stopped = supervisor.stopServices(List.of("store")).get();

    assertEquals(before, stopped.get(0).stoppedPid());
    assertTrue(waitFor(() -> status("store").state() == ServiceState.STOPPED),
        () -> "" + status("store"));
    assertEquals(0, status("store").pid());
    assertFalse(ProcessHandle.of(before).map(ProcessHandle::isAlive).orElse(false));
    assertEquals(Optional.empty(), supervisor.locate(tokens.get("cart"), "shop.v1.Store").get());
    // its exit (143, a failure) is not restarted by its policy, however long one waits
    assertFalse(waitFor(PAST_THE_BACKOFF, () -> status("store").state() != ServiceState.STOPPED));
    assertEquals(0, status("store").restarts());
    assertTrue(said.contains("service \"store\" exited with code 143; it stays stopped until "
        + "parigot start store"), "" + said);

    List<Started> started = supervisor.startServices(List.of("store")).get();

    assertFalse(started.get(0).wasRunning());
    assertEquals(ServiceState.STARTING, status("store").state());
    becomeReady("store");
    assertNotEquals(before, status("store").pid());
    assertEquals(0, status("store").restarts(), "not a restart of its policy");
    assertTrue(supervisor.locate(tokens.get("cart"), "shop.v1.Store").get().isPresent());
  }

  /**
   * A JVM parigot sent SIGTERM to is shown stopping while it ends (this one takes 0.3 s), by
   * stop, restart and the deployment's own stop alike; not ready, as if it still answered.
   */
  @Test
  void aServiceIsShownStoppingWhileItsJvmEnds() throws Exception {
    start(service("store", false, RestartPolicy.DEFAULT), service("cart", false,
        RestartPolicy.DEFAULT), service("catalog", false, RestartPolicy.DEFAULT));
    long store = status("store").pid();
    long cart = status("cart").pid();

    supervisor.stopServices(List.of("store")).get();
    assertEquals(ServiceState.STOPPING, status("store").state());
    assertEquals(store, status("store").pid());
    assertTrue(waitFor(() -> status("store").state() == ServiceState.STOPPED),
        () -> "" + status("store"));

    supervisor.restart("cart").get();
    assertEquals(ServiceState.STOPPING, status("cart").state());
    assertTrue(waitFor(() -> status("cart").pid() != cart), () -> "" + status("cart"));
    assertEquals(ServiceState.STARTING, status("cart").state());
    becomeReady("cart");

    supervisor.stop(0);
    assertEquals(ServiceState.STOPPING, status("catalog").state());
    assertEquals(ServiceState.STOPPING, status("cart").state());
  }

  @Test
  void killOfAServiceWithNoJvmSaysSoAndWhatToDoInstead() throws Exception {
    start(service("store", false, RestartPolicy.DEFAULT));
    supervisor.stopServices(List.of("store")).get();
    assertTrue(waitFor(() -> status("store").state() == ServiceState.STOPPED));

    Status refused = refused(supervisor.kill("store", "KILL"));

    assertEquals(Status.Code.FAILED_PRECONDITION, refused.getCode());
    assertEquals("service \"store\" is not running (stopped); no signal was sent. parigot start "
        + "store starts it again", refused.getDescription());
  }

  /**
   * A service suspended by SIGSTOP acts on the SIGTERM that stops it, as it is also sent SIGCONT:
   * its trap ends it with 143, where it would sit out its 2 s grace period until SIGKILL (137).
   */
  @Test
  void aSuspendedServiceIsContinuedToActOnItsSigterm() throws Exception {
    start(service("store", false, RestartPolicy.DEFAULT));
    supervisor.kill("store", "STOP").get();
    assertTrue(waitFor(() -> status("store").state() == ServiceState.SUSPENDED));

    supervisor.stopServices(List.of("store")).get();

    assertTrue(waitFor(() -> status("store").state() == ServiceState.STOPPED),
        () -> "" + status("store"));
    assertEquals(143, status("store").exitCode(), "killed at the end of its grace period");
  }

  /** While the deployment stops, stop, start and restart are refused, saying what to do. */
  @Test
  void stopStartAndRestartWhileTheDeploymentStopsAreRefused() throws Exception {
    start(service("store", false, RestartPolicy.DEFAULT));
    supervisor.stop(0);

    for (CompletableFuture<?> call : List.of(supervisor.stopServices(List.of("store")),
        supervisor.startServices(List.of("store")), supervisor.restart("store"))) {
      Status refused = refused(call);
      assertEquals(Status.Code.FAILED_PRECONDITION, refused.getCode());
      assertEquals("deployment \"shop\" is stopping: every service stops with it, and none "
          + "starts again. Once it has stopped, parigot up starts it anew",
          refused.getDescription());
    }
  }

  /** A killed program ends the deployment with its code, and ps shows it failed, not exited. */
  @Test
  void aKilledProgramIsShownFailedWithItsCode() throws Exception {
    start(service("store", false, RestartPolicy.DEFAULT), service("shopper", true,
        new RestartPolicy(RestartPolicy.Mode.NO, 0, Duration.ofSeconds(60), Duration.ZERO,
            Duration.ZERO)));
    assertTrue(waitFor(() -> status("shopper").pid() != 0));

    supervisor.kill("shopper", "KILL").get();

    assertEquals(137, outcome.get(LIMIT.toSeconds(), TimeUnit.SECONDS));
    assertEquals(ServiceState.FAILED, status("shopper").state());
    assertEquals(137, status("shopper").exitCode());
  }

  /** A signal that comes as the orchestrator exits, its supervisor closed, stops nothing more. */
  @Test
  void stopOnceTheSupervisorIsClosedDoesNothing() throws Exception {
    start(service("store", false, RestartPolicy.DEFAULT));
    supervisor.stop(143);
    assertEquals(143, outcome.get(LIMIT.toSeconds(), TimeUnit.SECONDS));
    supervisor.close();

    supervisor.stop(143);
    supervisor.stop(129);
    supervisor = null; // stopped and closed: nothing left for stopEverything
  }

  @Test
  void theDeploymentGoesOnWhileEveryServiceIsStoppedAndEndsWithDown() throws Exception {
    start(service("store", false, RestartPolicy.DEFAULT));

    supervisor.stopServices(List.of("store")).get();
    assertTrue(waitFor(() -> status("store").state() == ServiceState.STOPPED));

    assertFalse(waitFor(PAST_THE_BACKOFF, outcome::isDone), "nothing runs, and it goes on");
    supervisor.startServices(List.of("store")).get();
    becomeReady("store");
    supervisor.stop(0);
    assertEquals(0, outcome.get(LIMIT.toSeconds(), TimeUnit.SECONDS));
  }

  @Test
  void aServiceNotRunningIsSaidSoAndLeftAsItIs() throws Exception {
    start(service("store", false, RestartPolicy.DEFAULT));
    supervisor.stopServices(List.of("store")).get();
    assertTrue(waitFor(() -> status("store").state() == ServiceState.STOPPED));

    Stopped again = supervisor.stopServices(List.of("store")).get().get(0);
    assertEquals(0, again.stoppedPid());
    assertEquals(ServiceState.STOPPED, again.state());

    supervisor.startServices(List.of("store")).get();
    becomeReady("store");
    Started running = supervisor.startServices(List.of("store")).get().get(0);
    assertTrue(running.wasRunning());
    assertEquals(status("store").pid(), running.pid());
  }

  @Test
  void startWhileAStopEndsTheJvmStartsItAgainOnceItHasExited() throws Exception {
    start(service("store", false, RestartPolicy.DEFAULT));
    long before = status("store").pid();
    supervisor.stopServices(List.of("store")).get();

    Started started = supervisor.startServices(List.of("store")).get().get(0);

    assertFalse(started.wasRunning());
    assertEquals(before, started.pid(), "the JVM still ending, whose successor is waited for");
    assertTrue(waitFor(() -> status("store").state() == ServiceState.STARTING
        && status("store").pid() != before), () -> "" + status("store"));
    assertTrue(said.contains("service \"store\" exited with code 143; starting it again "
        + "(parigot start)"), "" + said);
    becomeReady("store");
    assertEquals(0, status("store").restarts());
  }

  @Test
  void stoppingCancelsARestartThatWasDueAfterItsBackoff() throws Exception {
    RestartPolicy slow = new RestartPolicy(RestartPolicy.Mode.ON_FAILURE, 5,
        Duration.ofSeconds(60), Duration.ofSeconds(30), Duration.ofSeconds(30));
    start(service("store", false, slow));
    supervisor.kill("store", "KILL").get();
    assertTrue(waitFor(() -> status("store").state() == ServiceState.RESTARTING));

    Stopped stopped = supervisor.stopServices(List.of("store")).get().get(0);

    assertEquals(0, stopped.stoppedPid());
    assertEquals(ServiceState.RESTARTING, stopped.state());
    assertEquals(ServiceState.STOPPED, status("store").state());
    supervisor.startServices(List.of("store")).get();
    becomeReady("store");
  }

  @Test
  void everyNameIsCheckedBeforeAnythingIsDoneAndTheProgramIsRefused() throws Exception {
    start(service("store", false, RestartPolicy.DEFAULT), service("shopper", true,
        new RestartPolicy(RestartPolicy.Mode.NO, 0, Duration.ofSeconds(60), Duration.ZERO,
            Duration.ZERO)));

    Status one = refused(supervisor.stopServices(List.of("store", "nope")));
    assertEquals(Status.Code.NOT_FOUND, one.getCode());
    assertEquals("no service \"nope\" in deployment \"shop\" (services: store, shopper)",
        one.getDescription());
    Status two = refused(supervisor.startServices(List.of("nope", "store", "gone", "nope")));
    assertEquals("no services \"nope\" and \"gone\" in deployment \"shop\" (services: store, "
        + "shopper)", two.getDescription());
    // a slip of a service's name is told that service, as up tells it
    assertEquals("no service \"stroe\" (did you mean store?) in deployment \"shop\" (services: "
        + "store, shopper)", refused(supervisor.kill("stroe", "KILL")).getDescription());
    assertEquals("no services \"shoper\" (did you mean shopper?) and \"nope\" in deployment "
        + "\"shop\" (services: store, shopper)",
        refused(supervisor.startServices(List.of("shoper", "nope"))).getDescription());
    Status program = refused(supervisor.stopServices(List.of("store", "shopper")));
    assertEquals(Status.Code.FAILED_PRECONDITION, program.getCode());
    assertEquals("\"shopper\" is the program: its end ends the deployment, so it is not stopped "
        + "alone; stop the deployment with parigot down", program.getDescription());
    assertEquals(ServiceState.READY, status("store").state(), "nothing was stopped");
  }

  @Test
  void aProgramThatEndsWithAFailureIsShownFailedWithItsCodeAsTheDeploymentStops()
      throws Exception {
    start(service("store", false, RestartPolicy.DEFAULT), service("shopper", true,
        RestartPolicy.DEFAULT));
    becomeReady("shopper");

    supervisor.kill("shopper", "KILL").get();

    // its end ends the deployment with its code; ps shows it as a service that failed is shown
    assertEquals(137, outcome.get(LIMIT.toSeconds(), TimeUnit.SECONDS));
    assertEquals(ServiceState.FAILED, status("shopper").state(), () -> "" + status("shopper"));
    assertEquals(137, status("shopper").exitCode());
  }

  private static Status refused(CompletableFuture<?> call) {
    ExecutionException e = assertThrows(ExecutionException.class, call::get);
    return Status.fromThrowable(e.getCause());
  }

  /** Starts the deployment and has each of its services (but a program) become ready. */
  private void start(ServiceSpec... services) throws Exception {
    Deployment deployment = new Deployment("shop", dir.resolve("deploy.yaml"), List.of(services));
    supervisor = new Supervisor(deployment, agent, output(), "127.0.0.1:1",
        dir.resolve(".parigot"), false);
    outcome = supervisor.start();
    for (ServiceSpec spec : services) {
      if (!spec.isProgram()) {
        becomeReady(spec.name());
      }
    }
  }

  /** The service's current process registers, as its SDK would, and says it is ready. */
  private void becomeReady(String name) throws Exception {
    long pid = status(name).pid();
    assertTrue(waitFor(() -> tokens.containsKey(name + pid)), "no token from " + name);
    String token = tokens.get(name + pid);
    tokens.put(name, token);
    supervisor.register(token, RegisterRequest.newBuilder().setPid(pid)
        .addExports("shop.v1." + Character.toUpperCase(name.charAt(0)) + name.substring(1))
        .setEndpoint(Endpoint.newBuilder().setHost("127.0.0.1").setPort(1)).build()).get();
    supervisor.ready(token).get();
    assertEquals(ServiceState.READY, status(name).state());
  }

  private DeploymentOutput output() {
    return new DeploymentOutput() {
      @Override
      public void serviceLine(String service, String line, boolean error) {
        // "token T PID": the script's first line
        String[] words = line.split(" ");
        if (words.length == 3 && words[0].equals("token")) {
          tokens.put(service + words[2], words[1]);
        }
      }

      @Override
      public void say(String message) {
        said.add(message);
      }

      @Override
      public void warn(String message) {
        said.add(message);
      }
    };
  }

  private ServiceStatus status(String name) {
    try {
      return supervisor.status().get().stream().filter(s -> s.name().equals(name)).findFirst()
          .orElseThrow();
    } catch (InterruptedException | ExecutionException e) {
      throw new AssertionError(e);
    }
  }

  /**
   * A service whose "java" is a script that prints its token and pid, and sleeps; SIGTERM ends
   * it 0.3 s later, with code 143.
   */
  private ServiceSpec service(String name, boolean program, RestartPolicy restart)
      throws IOException {
    Path java = dir.resolve("java");
    if (!Files.exists(java)) {
      // SIGTERM: it takes a moment to end, as a JVM running its exit hooks does
      Files.writeString(java, "#!/bin/sh\necho \"token $PARIGOT_TOKEN $$\"\n"
          + "trap 'sleep 0.3; exit 143' TERM\nwhile :; do sleep 0.05; done\n");
      Files.setPosixFilePermissions(java, PosixFilePermissions.fromString("rwx------"));
    }
    return new ServiceSpec(name, Optional.of(dir.resolve(name + ".jar")), List.of(),
        Optional.empty(), List.of(), Map.of(), List.of(),
        new JavaRuntime(java, dir, "17.0.15", 17), program, List.of(), Optional.empty(),
        List.of(), Optional.empty(), restart, Duration.ofSeconds(30), Duration.ofSeconds(2),
        Optional.empty(), false, 1, 1);
  }

  private boolean waitFor(BooleanSupplier condition) throws InterruptedException {
    return waitFor(LIMIT, condition);
  }

  /** Whether {@code condition} holds within {@code limit}, looked at every 10 ms. */
  private static boolean waitFor(Duration limit, BooleanSupplier condition)
      throws InterruptedException {
    long deadline = System.nanoTime() + limit.toNanos();
    while (System.nanoTime() - deadline < 0) {
      if (condition.getAsBoolean()) {
        return true;
      }
      Thread.sleep(10);
    }
    return condition.getAsBoolean();
  }
}
