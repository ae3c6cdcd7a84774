package io.parigot.orchestrator.cli;

import io.parigot.orchestrator.control.StateDirectory;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.LocalTime;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import picocli.CommandLine.Option;

/** The {@code -f FILE} option of the verbs that act on a running deployment. */
final class DeploymentOption {
  private static final DateTimeFormatter ENDED_AT = DateTimeFormatter.ofPattern("HH:mm:ss");
  /** What every verb says of an empty FILE or --file. */
  static final String EMPTY_FILE = "the file name is empty. Give the path of a deploy.yaml, or "
      + "of the directory that holds it.";

  @Option(names = "--file", paramLabel = "FILE",
      description = "The deployment's deploy.yaml, or its directory (default: deploy.yaml in "
          + "the current directory); the running orchestrator is found in the .parigot/ "
          + "directory beside it.")
  Path file;

  private Path file() {
    return file == null ? Path.of("deploy.yaml") : file;
  }

  StateDirectory state() {
    if (file != null && file.toString().isEmpty()) {
      // a script's --file "$DEPLOY" with DEPLOY unset: not the current directory (Path.of("")),
      // which would act on whatever runs there
      throw new NoSuchFileException(EMPTY_FILE);
    }
    Path absolute = file().toAbsolutePath().normalize();
    Path directory = Files.isDirectory(absolute) ? absolute : absolute.getParent();
    return StateDirectory.of(directory);
  }

  /**
   * The running orchestrator, or a usage error saying none runs here. A {@code --file} naming
   * another deploy.yaml than the one running in its directory is such an error too: the verb
   * would act on a deployment the user did not name.
   */
  StateDirectory.Running running() {
    StateDirectory state = state();
    Optional<StateDirectory.Running> found = awaitClaim(state);
    if (found.isEmpty()) {
      requireFile(false);
      throw new NotRunningException("no deployment is running for " + file() + " (nothing "
          + "alive in " + state.root() + lastDetached(state) + "). " + noDeployFileHere()
              .orElse("Start one with: parigot up " + Shell.quote(file())));
    }
    StateDirectory.Running running = found.get();
    Path named = file == null ? null : file.toAbsolutePath().normalize();
    if (named != null && !Files.isDirectory(named) && !running.file().isEmpty()
        && !sameFile(Path.of(running.file()), named)) {
      Path runs = Path.of(running.file());
      throw new NotRunningException("no deployment of " + file + " is running; the one running "
          + "in " + named.getParent() + " is \"" + running.deployment() + "\", from "
          + runs.getFileName() + ". Name it with --file " + Shell.quote(runs)
          + " (one directory runs one deployment at a time)");
    }
    return running;
  }

  /**
   * {@code message} with every parigot command it suggests ({@code parigot start cart}) carrying
   * the {@code --file} the user gave ({@code parigot start --file shop/deploy.yaml cart}), as
   * docker compose's hints carry its {@code -f}: the orchestrator that wrote it cannot tell where
   * the user stands, and without it the command acts on the deployment of the directory the user
   * is in. Unchanged without {@code --file}, or with one that names the current directory's
   * deploy.yaml, which is what the verbs find without it. For {@code parigot up}'s own lines too
   * (see {@link Console#suggestFrom}).
   */
  String fromHere(String message) {
    // most of up's lines suggest nothing: they cost it no more than this
    if (file == null || file.toString().isEmpty() || !message.contains("parigot ")) {
      return message;
    }
    Path absolute = file.toAbsolutePath().normalize();
    Path here = Path.of("").toAbsolutePath();
    if (absolute.equals(here) || absolute.equals(here.resolve("deploy.yaml"))) {
      return message;
    }
    String withFile = " --file " + Shell.quote(file);
    return Suggested.PATTERN.matcher(message).replaceAll(m -> Matcher.quoteReplacement(
        m.group(1) != null && m.group(3) != null ? m.group()
            : Objects.toString(m.group(1), "") + "parigot " + m.group(2) + withFile
                + Objects.toString(m.group(3), "")));
  }

  /**
   * Where the running orchestrator's control.json is, written from the {@code --file} as the
   * user gave it ({@code shop/.parigot/control.json} for {@code --file shop/deploy.yaml}), so
   * that it is found from where they stand.
   */
  Path controlFileFromHere() {
    return pathFromHere(state().controlFile());
  }

  /**
   * {@code inState}, a path in the deployment's state directory, written from the {@code --file}
   * as the user gave it ({@code shop/.parigot/logs} for {@code --file shop/deploy.yaml}).
   */
  Path pathFromHere(Path inState) {
    Path relative = state().root().getParent().relativize(inState);
    Path directory = Files.isDirectory(file()) ? file() : file().getParent();
    return directory == null ? relative : directory.resolve(relative);
  }

  /**
   * What to do when no {@code --file} was given and the current directory has no deploy.yaml:
   * the user is likely in another directory than the deployment's.
   */
  Optional<String> noDeployFileHere() {
    Path absolute = file().toAbsolutePath().normalize();
    return file == null && !Files.exists(absolute)
        ? Optional.of("There is no deploy.yaml in " + absolute.getParent() + " either: run this "
            + "in the directory of the deployment's file, or name it with --file FILE")
        : Optional.empty();
  }

  /**
   * The deployment running in {@code state}, once an {@code up -d} that is starting one there
   * has had its orchestrator claim it (see {@link Detached#awaitClaim}).
   */
  static Optional<StateDirectory.Running> awaitClaim(StateDirectory state) {
    try {
      return Detached.awaitClaim(state, Detached.CLAIM_LIMIT);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return state.running();
    }
  }

  /**
   * When the deployment last started here with {@code up -d} ended, with what code, and where it
   * said why: its output (a crash loop's giving up, say) is nowhere else once {@code up -d} has
   * returned.
   */
  static String lastDetached(StateDirectory state) {
    Path log = state.root().resolve(Detached.LOG);
    try {
      FileTime written = Files.getLastModifiedTime(log);
      // every run lists its services as it starts; the up -d's writes to its log after that:
      // a run started since (a foreground up) is not the one its log tells of
      Path listed = state.logs().resolve(Console.SERVICES);
      if (Files.exists(listed) && Files.getLastModifiedTime(listed).compareTo(written) > 0) {
        return "";
      }
      // HH:mm:ss always: LocalTime's own text leaves out the seconds when they are 0
      String ended = LocalTime.ofInstant(written.toInstant(), ZoneId.systemDefault())
          .format(ENDED_AT);
      // its exit code, the program's: killed (SIGKILL, a reboot), it recorded none
      OptionalInt code = state.lastExitCode();
      if (code.isEmpty() && state.endedWithoutReleasing()) {
        // when it ended nothing says: its log tells only when it last wrote
        return "; the one started there with up -d was killed (or crashed) after " + ended
            + ", when it last wrote to its output, in " + log;
      }
      return "; the one started there with up -d ended at " + ended
          + (code.isPresent() ? " with code " + code.getAsInt() : "") + ", its output is in "
          + log;
    } catch (IOException e) {
      return ""; // none was started with up -d here
    }
  }

  /**
   * A {@code --file} that names nothing, where nothing of a deployment is either, is a typo: bad
   * usage. (A deploy.yaml removed while its deployment runs still names it.)
   */
  void requireFile(boolean deploymentThere) {
    if (file == null || deploymentThere) {
      return;
    }
    Path named = file.toAbsolutePath().normalize();
    if (!Files.exists(named)) {
      throw new NoSuchFileException(file + ": no such file or directory. Give the path of a "
          + "deploy.yaml, or of the directory that holds it.");
    }
    if (Files.isDirectory(named) && !Files.exists(named.resolve("deploy.yaml"))) {
      // what parigot up says of it, rather than suggesting a parigot up of it that fails so
      throw new NoSuchFileException(file + " is a directory with no deploy.yaml in it. Give "
          + "the path of a deploy.yaml, or of the directory that holds it.");
    }
  }

  /** The same file, however each is reached (links too); a file that is not there is not. */
  private static boolean sameFile(Path a, Path b) {
    try {
      return a.equals(b) || Files.isSameFile(a, b);
    } catch (IOException e) {
      return false;
    }
  }

  /** The {@code --file} given names nothing: bad usage, exit code 2. */
  static final class NoSuchFileException extends RuntimeException {
    NoSuchFileException(String message) {
      super(message);
    }
  }

  /** No orchestrator runs for the given deploy.yaml. */
  static final class NotRunningException extends RuntimeException {
    NotRunningException(String message) {
      super(message);
    }
  }

  /**
   * A parigot command a message suggests, not already naming its deployment. One alone in
   * parentheses ({@code stopping (parigot down)}) says what a line's action was for, and is kept.
   * Compiled at its first use, not on up's way to its first service.
   */
  private static final class Suggested {
    static final Pattern PATTERN = Pattern.compile(
        "(\\()?\\bparigot (up|down|ps|logs|kill|restart|stop|start)\\b(?! --file)(\\))?");
  }
}
