package io.parigot.orchestrator.control;

import com.fasterxml.jackson.core.JsonEncoding;
import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.sun.security.auth.module.UnixSystem;
import io.parigot.control.ProcStat;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Iterator;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Stream;

/**
 * A deployment's state directory, {@code .parigot/} beside its deploy.yaml: how the CLI finds
 * the running orchestrator ({@code control.json}: its pid, port and bearer token, readable by
 * the owner only), where every service's output is kept ({@code logs/NAME.log}) and the trees
 * of the deploy.yaml files read before ({@code trees/FILE}).
 */
public final class StateDirectory {
  // the streaming parser and writer, not an ObjectMapper: building a mapper costs `parigot up`
  // about a tenth of a second of CPU before its first service starts
  private static final JsonFactory JSON = new JsonFactory();
  private final Path root;
  /** The state directories this JVM holds. */
  private static final Set<Path> CLAIMED_HERE = ConcurrentHashMap.newKeySet();
  /** Held from {@link #claim} to {@link #release}; null when this one did not claim. */
  private FileLock lock;
  /** Claimed on a file system that has no locks. */
  private boolean lockless;

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

  /** Where the trees of deploy.yaml files read before are kept (see DeployFile.load). */
  public Path trees() {
    return root.resolve("trees");
  }

  public Path logOf(String service) {
    return logs().resolve(service + ".log");
  }

  /** How the other verbs reach the running orchestrator: its pid, port and token. */
  public Path controlFile() {
    return root.resolve("control.json");
  }

  private Path lockFile() {
    return root.resolve("orchestrator.lock");
  }

  private Path exitCodeFile() {
    return root.resolve("exit_code");
  }

  /**
   * Records the code this orchestrator exits with, before it lets go of the directory: once an
   * {@code up -d}'s deployment has ended in the background, nothing else tells it (its process
   * is gone, and no control plane answers ps).
   */
  public void recordExitCode(int code) throws IOException {
    Files.writeString(exitCodeFile(), code + "\n");
  }

  /**
   * The code the orchestrator that ran here last exited with, when it recorded one: not when it
   * was killed, nor while the one that claimed the directory since runs (a claim forgets it).
   */
  public OptionalInt lastExitCode() {
    try {
      return OptionalInt.of(Integer.parseInt(Files.readString(exitCodeFile()).strip()));
    } catch (IOException | NumberFormatException e) {
      return OptionalInt.empty();
    }
  }

  /**
   * What a running orchestrator wrote about itself; {@code file} is its deploy.yaml (empty in
   * a control.json of a parigot that did not write it).
   */
  public record Running(String deployment, String file, long pid, int port, String token) {
    /** Whether its orchestrator still runs (see {@link StateDirectory#isRunning}). */
    public boolean isAlive() {
      return isRunning(pid);
    }
  }

  /**
   * Whether {@code pid} runs. Not {@link ProcessHandle#isAlive} alone: it counts a process
   * that has ended and that its parent has not reaped yet (a zombie), and an orchestrator stays
   * one for as long as what started it does not wait for it (a script's child it never waits
   * for, a container's first process that reaps nothing).
   */
  public static boolean isRunning(long pid) {
    if (!ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false)) {
      return false;
    }
    // no /proc here (not Linux), or gone since: ProcessHandle has the last word
    return ProcStat.of(pid).map(ProcStat::state).map(state -> state != 'Z').orElse(true);
  }

  /** Another orchestrator holds this state directory; {@code running} is what it wrote so far. */
  public static final class AlreadyClaimedException extends IOException {
    private final transient Optional<Running> running;

    AlreadyClaimedException(Path root, Optional<Running> running) {
      super("another orchestrator holds " + root);
      this.running = running;
    }

    /** Empty while the other one is still starting (it has the lock, not yet control.json). */
    public Optional<Running> running() {
      return running;
    }
  }

  /**
   * The state directory, or something in it, belongs to another user: {@code found} is what,
   * {@code owner} whose.
   */
  public static final class ForeignOwnerException extends IOException {
    private final Path root;
    private final Path found;
    private final String owner;
    private final String user;

    ForeignOwnerException(Path root, Path found, String owner, String user) {
      super(found + " belongs to user " + owner + ", not to " + user);
      this.root = root;
      this.found = found;
      this.owner = owner;
      this.user = user;
    }

    /** The state directory. */
    public Path root() {
      return root;
    }

    /** The state directory itself, or what in it belongs to another user. */
    public Path found() {
      return found;
    }

    public String owner() {
      return owner;
    }

    /** The user parigot runs as. */
    public String user() {
      return user;
    }
  }

  /**
   * Refuses a state directory another user could have put something in. parigot writes its
   * files there as this user, following links: a link another user left as {@code
   * logs/NAME.log} has a service's output overwrite a file of this user's, and {@code native/}
   * holds the libraries the services load. {@code .parigot/} must be this user's (a link to it
   * too); while it is open to others' writes (until a claim makes it owner-only) so must be
   * everything in it. Nothing to refuse when there is none yet.
   *
   * @throws ForeignOwnerException naming what belongs to another user
   */
  public void checkOwner() throws IOException {
    if (!Files.exists(root, LinkOption.NOFOLLOW_LINKS)) {
      return;
    }
    long user = currentUser();
    ownedBy(user, root, LinkOption.NOFOLLOW_LINKS);
    ownedBy(user, root);
    Set<PosixFilePermission> mode = Files.getPosixFilePermissions(root);
    if (mode.contains(PosixFilePermission.GROUP_WRITE)
        || mode.contains(PosixFilePermission.OTHERS_WRITE)) {
      try (Stream<Path> all = Files.walk(root.toRealPath())) {
        for (Iterator<Path> each = all.iterator(); each.hasNext(); ) {
          ownedBy(user, each.next(), LinkOption.NOFOLLOW_LINKS);
        }
      } catch (UncheckedIOException e) {
        throw e.getCause(); // the walk's own (a directory it cannot read), as an IOException
      }
    }
  }

  /** This process's user id, read once. */
  private static volatile long currentUser = -1;

  /**
   * The number of the user parigot runs as: a number, not a name, which is a look-up in the user
   * database (LDAP on some machines). On Linux the owner of {@code /proc/self}, read with the
   * file attributes the check reads anyway; elsewhere the JDK's Unix login module's.
   */
  private static long currentUser() throws IOException {
    if (currentUser < 0) {
      Path self = Path.of("/proc/self");
      currentUser = Files.isDirectory(self)
          ? ((Number) Files.getAttribute(self, "unix:uid")).longValue()
          : new UnixSystem().getUid();
    }
    return currentUser;
  }

  private void ownedBy(long user, Path path, LinkOption... options) throws IOException {
    if (((Number) Files.getAttribute(path, "unix:uid", options)).longValue() != user) {
      throw new ForeignOwnerException(root, path, Files.getOwner(path, options).getName(),
          System.getProperty("user.name"));
    }
  }

  /**
   * The orchestrator running here, if one is: its pid runs, and is not another process's since
   * (see {@link PidReuse}).
   */
  public Optional<Running> running() {
    Path file = controlFile();
    if (!Files.isRegularFile(file)) {
      return Optional.empty();
    }
    Running running;
    try {
      running = read(file);
    } catch (IOException e) {
      return Optional.empty();
    }
    return running.isAlive() && !PidReuse.isReused(running.pid(), file, lockFile(),
        CLAIMED_HERE.contains(root)) ? Optional.of(running) : Optional.empty();
  }

  /**
   * Whether the orchestrator that ran here last ended without letting go of the directory: its
   * control.json is still there, and its pid runs no longer (or is another process's). One that ends lets go of it
   * however its deployment ended; one killed (SIGKILL, the OOM killer) or crashed cannot.
   */
  public boolean endedWithoutReleasing() {
    return Files.isRegularFile(controlFile()) && running().isEmpty();
  }

  /**
   * Records this orchestrator as the one running here, in owner-only files: the CLI's port and
   * token, and the registry's port (which only the services, with their own tokens, may use).
   * At most one orchestrator holds a state directory: the claim takes a lock on
   * {@code orchestrator.lock}, which the operating system lets go when the JVM ends, however
   * it ends, so two {@code up}s started at the same moment cannot both run.
   *
   * @throws AlreadyClaimedException when another orchestrator holds it
   * @throws ForeignOwnerException when it, or something in it, belongs to another user
   */
  public void claim(String deployment, Path file, int port, String token, int registryPort)
      throws IOException {
    checkOwner();
    Files.createDirectories(root);
    Files.setPosixFilePermissions(root, PosixFilePermissions.fromString("rwx------"));
    Files.createDirectories(logs());
    lock();
    Files.deleteIfExists(exitCodeFile()); // the run before's: this one has not ended
    // not Files.createTempFile: its random name seeds a SecureRandom (security providers, SHA)
    // on the way to the first service; the pid is unique among live orchestrators
    Path temp = root.resolve("control." + ProcessHandle.current().pid() + ".json.part");
    Files.deleteIfExists(temp);
    Files.createFile(temp, PosixFilePermissions.asFileAttribute(
        PosixFilePermissions.fromString("rw-------")));
    try (JsonGenerator out = JSON.createGenerator(temp.toFile(), JsonEncoding.UTF8)) {
      out.writeStartObject();
      out.writeStringField("deployment", deployment);
      out.writeStringField("file", file.toString());
      out.writeNumberField("pid", ProcessHandle.current().pid());
      out.writeNumberField("port", port);
      out.writeStringField("token", token);
      out.writeNumberField("registry_port", registryPort);
      out.writeEndObject();
    }
    Files.move(temp, controlFile(), StandardCopyOption.REPLACE_EXISTING,
        StandardCopyOption.ATOMIC_MOVE);
  }

  /** Reads control.json; a file that is not one this class wrote is an IOException. */
  private static Running read(Path file) throws IOException {
    String deployment = null;
    String deployFile = "";
    String token = null;
    long pid = -1;
    int port = -1;
    try (JsonParser in = JSON.createParser(file.toFile())) {
      if (in.nextToken() != JsonToken.START_OBJECT) {
        throw new IOException(file + ": not a JSON object");
      }
      while (in.nextToken() == JsonToken.FIELD_NAME) {
        String field = in.getCurrentName();
        in.nextToken();
        switch (field) {
          case "deployment" -> deployment = in.getValueAsString();
          case "file" -> deployFile = in.getValueAsString("");
          case "pid" -> pid = in.getValueAsLong(-1);
          case "port" -> port = in.getValueAsInt(-1);
          case "token" -> token = in.getValueAsString();
          default -> in.skipChildren();
        }
      }
    }
    if (deployment == null || token == null || pid < 0 || port < 0) {
      throw new IOException(file + ": deployment, pid, port or token missing");
    }
    return new Running(deployment, deployFile, pid, port, token);
  }

  private void lock() throws IOException {
    // this JVM's own claims first: opening and closing the lock file again would let go of the
    // lock this JVM holds on it (a POSIX lock belongs to the process, and any close drops it)
    if (!CLAIMED_HERE.add(root)) {
      throw new AlreadyClaimedException(root, running());
    }
    FileChannel channel = null;
    FileLock held;
    try {
      channel = FileChannel.open(lockFile(), StandardOpenOption.CREATE,
          StandardOpenOption.WRITE);
      held = channel.tryLock();
    } catch (IOException e) {
      // a file system without locks (some NFS and FUSE mounts): the claim goes on without one,
      // as before there was a lock, and only the check of control.json keeps a second up out
      if (channel != null) {
        channel.close();
      }
      lockless = true;
      return;
    }
    if (held == null) {
      channel.close();
      CLAIMED_HERE.remove(root);
      throw new AlreadyClaimedException(root, running());
    }
    lock = held; // its channel stays open: closing it would let go of the lock
  }

  /**
   * Removes the record of this orchestrator and lets go of the directory (the logs stay); does
   * nothing when it did not claim it.
   */
  public void release() {
    if (lock == null && !lockless) {
      return;
    }
    try {
      // only this orchestrator's record: after a `rm -rf .parigot` another may have claimed anew
      Path control = controlFile();
      if (Files.isRegularFile(control) && read(control).pid() == ProcessHandle.current().pid()) {
        Files.delete(control);
      }
    } catch (IOException e) {
      // a stale file is harmless: running() checks that its pid is alive
    }
    if (lock != null) {
      try {
        lock.channel().close(); // the lock goes with it
      } catch (IOException e) {
        // the JVM's exit lets go of it all the same
      }
    }
    lock = null;
    lockless = false;
    CLAIMED_HERE.remove(root);
  }
}
