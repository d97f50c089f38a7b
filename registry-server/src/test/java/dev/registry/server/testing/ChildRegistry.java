package dev.registry.server.testing;

import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A registry server in a child JVM, so that tests can kill it with SIGKILL. It runs the same
 * classes as the test, with the same JVM flags, on a free port; its output goes to a file
 * beside the data directory.
 */
public final class ChildRegistry implements AutoCloseable {

    private final Process process;
    private final int port;
    private final Http http;
    private final Path log;

    private ChildRegistry(Process process, int port, Path log) {
        this.process = process;
        this.port = port;
        this.http = new Http(port);
        this.log = log;
    }

    /** Starts a server on {@code dataDir} and a free port, and waits until it answers. */
    public static ChildRegistry start(Path dataDir, String... extraArgs) {
        return start(dataDir, freePort(), extraArgs);
    }

    /** Starts a server on {@code dataDir} and a free port, in a JVM with {@code jvmOptions}. */
    public static ChildRegistry start(Path dataDir, List<String> jvmOptions, String... extraArgs) {
        return start(dataDir, freePort(), jvmOptions, null, 0, extraArgs);
    }

    /** As {@link #start(Path, String...)}, in a process that may hold at most {@code fdLimit} open files. */
    public static ChildRegistry startWithFileLimit(Path dataDir, int fdLimit, String... extraArgs) {
        return start(dataDir, freePort(), List.of(), null, fdLimit, extraArgs);
    }

    /** Starts a server on {@code dataDir} and {@code port}, and waits until it answers. */
    public static ChildRegistry start(Path dataDir, int port, String... extraArgs) {
        return start(dataDir, port, List.of(), null, 0, extraArgs);
    }

    /** As {@link #start(Path, String...)}, in a process whose home is {@code home} ({@link ChildJvm#inHome}). */
    public static ChildRegistry startInHome(Path home, Path dataDir, String... extraArgs) {
        return start(dataDir, freePort(), List.of(), home, 0, extraArgs);
    }

    private static ChildRegistry start(
            Path dataDir, int port, List<String> jvmOptions, Path home, int fdLimit, String... extraArgs) {
        List<String> args = new ArrayList<>(
                List.of("--host", "127.0.0.1", "--port", Integer.toString(port), "--data-dir", dataDir.toString()));
        args.addAll(List.of(extraArgs));
        List<String> command = ChildJvm.command(jvmOptions, "dev.registry.server.Main", args);
        if (fdLimit > 0) {
            List<String> limited =
                    new ArrayList<>(List.of("bash", "-c", "ulimit -n " + fdLimit + " && exec \"$@\"", "bash"));
            limited.addAll(command);
            command = limited;
        }
        Path log = dataDir.resolveSibling(dataDir.getFileName() + "-server.log");
        try {
            Process process = (home == null ? new ProcessBuilder(command) : ChildJvm.inHome(command, home))
                    .redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()))
                    .start();
            ChildRegistry child = new ChildRegistry(process, port, log);
            await().atMost(Duration.ofSeconds(60))
                    .pollInterval(Duration.ofMillis(50))
                    .until(() -> !process.isAlive() || child.answers());
            if (!process.isAlive()) {
                throw new IllegalStateException("registry child exited with " + process.exitValue() + ":\n"
                        + java.nio.file.Files.readString(log));
            }
            return child;
        } catch (IOException ex) {
            throw new java.io.UncheckedIOException(ex);
        }
    }

    private boolean answers() {
        try {
            return http.get("/health").status() == 200;
        } catch (RuntimeException notYet) {
            return false;
        }
    }

    public Http http() {
        return http;
    }

    public int port() {
        return port;
    }

    public long pid() {
        return process.pid();
    }

    /** Whether the process still runs. */
    public boolean isAlive() {
        return process.isAlive();
    }

    /** The exit status, once it has exited. */
    public int exitValue() {
        return process.exitValue();
    }

    /** What the server wrote (stdout and stderr) so far. */
    public String output() {
        try {
            return java.nio.file.Files.readString(log);
        } catch (IOException ex) {
            throw new java.io.UncheckedIOException(ex);
        }
    }

    /** SIGKILL: no shutdown hook, no flush, no goodbye. */
    public void kill9() {
        process.destroyForcibly();
        waitForExit();
    }

    /** SIGTERM: the server's shutdown hook runs. */
    public int terminate() {
        process.destroy();
        return waitForExit();
    }

    private int waitForExit() {
        try {
            if (!process.waitFor(30, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                process.waitFor(10, TimeUnit.SECONDS);
            }
            return process.exitValue();
        } catch (InterruptedException ex) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(ex);
        }
    }

    @Override
    public void close() {
        if (process.isAlive()) {
            kill9();
        }
    }

    public static int freePort() {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        } catch (IOException ex) {
            throw new java.io.UncheckedIOException(ex);
        }
    }
}
