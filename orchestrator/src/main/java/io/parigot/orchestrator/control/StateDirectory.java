package io.parigot.orchestrator.control;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Optional;

/**
 * A deployment's state directory, {@code .parigot/} beside its deploy.yaml: how the CLI finds
 * the running orchestrator ({@code control.json}: its pid, port and bearer token, readable by
 * the owner only) and where every service's output is kept ({@code logs/NAME.log}).
 */
public final class StateDirectory {
  private static final ObjectMapper JSON = new ObjectMapper();
  private final Path root;

  private StateDirectory(Path root) {
    this.root = root;
  }

  /** The state directory of the deployment whose deploy.yaml is in {@code deploymentDirectory}. */
  public static StateDirectory of(Path deploymentDirectory) {
    return new StateDirectory(deploymentDirectory.toAbsolutePath().normalize().resolve(".parigot"));
  }

  public Path root() {
    return root;
  }

  public Path logs() {
    return root.resolve("logs");
  }

  public Path logOf(String service) {
    return logs().resolve(service + ".log");
  }

  private Path controlFile() {
    return root.resolve("control.json");
  }

  /** What a running orchestrator wrote about itself. */
  public record Running(String deployment, long pid, int port, String token) {}

  /** The orchestrator running here, if one is (its pid is alive). */
  public Optional<Running> running() {
    Path file = controlFile();
    if (!Files.isRegularFile(file)) {
      return Optional.empty();
    }
    Running running;
    try {
      running = JSON.readValue(file.toFile(), Running.class);
    } catch (IOException e) {
      return Optional.empty();
    }
    boolean alive = ProcessHandle.of(running.pid()).map(ProcessHandle::isAlive).orElse(false);
    return alive ? Optional.of(running) : Optional.empty();
  }

  /** Records this orchestrator as the one running here, in owner-only files. */
  public void claim(String deployment, int port, String token) throws IOException {
    Files.createDirectories(root);
    Files.setPosixFilePermissions(root, PosixFilePermissions.fromString("rwx------"));
    Files.createDirectories(logs());
    Path temp = Files.createTempFile(root, "control", ".json");
    Files.setPosixFilePermissions(temp, PosixFilePermissions.fromString("rw-------"));
    JSON.writeValue(temp.toFile(),
        new Running(deployment, ProcessHandle.current().pid(), port, token));
    Files.move(temp, controlFile(), StandardCopyOption.REPLACE_EXISTING,
        StandardCopyOption.ATOMIC_MOVE);
  }

  /** Removes the record of this orchestrator (the logs stay). */
  public void release() {
    try {
      Files.deleteIfExists(controlFile());
    } catch (IOException e) {
      // a stale file is harmless: running() checks that its pid is alive
    }
  }
}
