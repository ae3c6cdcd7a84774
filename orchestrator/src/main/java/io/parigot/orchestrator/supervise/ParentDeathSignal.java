package io.parigot.orchestrator.supervise;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * On Linux, setpriv's {@code --pdeathsig KILL} (PR_SET_PDEATHSIG): the kernel sends the JVM it
 * starts SIGKILL when the thread that started it ends, and so when the orchestrator ends, however
 * it ends, SIGKILL too. What a JVM cannot do itself when it is stopped (SIGSTOP, a debugger):
 * a stopped service does not see its stdin end, and would outlive its orchestrator until
 * something continued it. The thread that starts it must live as long as the JVM it starts is
 * wanted: the supervisor's one thread, an archive dump's own.
 */
final class ParentDeathSignal {
  private static final Path SETPRIV = Path.of("/usr/bin/setpriv");
  /** Whether setpriv can set it here; decided at the first start. Guarded by the class. */
  private static Boolean available;

  private ParentDeathSignal() {}

  /** What to start a command with to have it killed with the starting thread; none without setpriv. */
  static synchronized List<String> prefix() throws InterruptedException {
    if (available == null) {
      available = probe();
    }
    return available ? List.of(SETPRIV.toString(), "--pdeathsig", "KILL") : List.of();
  }

  /** Whether setpriv is there and takes {@code --pdeathsig} (util-linux 2.33 and newer). */
  private static boolean probe() throws InterruptedException {
    if (!Files.isExecutable(SETPRIV)) {
      return false;
    }
    try {
      Process probe = new ProcessBuilder(SETPRIV.toString(), "--pdeathsig", "KILL", "true")
          .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
      boolean ran = probe.waitFor(5, TimeUnit.SECONDS) && probe.exitValue() == 0;
      probe.destroyForcibly();
      return ran;
    } catch (IOException e) {
      return false; // no setpriv to run: JVMs start without it
    }
  }
}
