package dev.registry.server.testing;

import dev.registry.kafka.testkit.ConsecutivePorts;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/** {@code bin/kafka-local} as a test's own Kafka: separate broker processes, stopped at the end. */
public final class KafkaLocal implements AutoCloseable {

    private static final Path ROOT = Path.of(System.getProperty("user.dir")).getParent();
    private static final int ATTEMPTS = 3;

    private final Process script;
    private final String bootstrap;
    private final int port;

    private KafkaLocal(Process script, String bootstrap, int port) {
        this.script = script;
        this.bootstrap = bootstrap;
        this.port = port;
    }

    /**
     * Starts {@code brokers} brokers on ports free at the time, data in {@code dir}, with more
     * environment. The script needs {@code brokers + 1} consecutive ports; another test's server
     * or client can take one between the check and the bind, so a failed start is tried again on
     * other ports (on an emptied {@code dir}), and the last failure names kafka-local's reason.
     */
    public static KafkaLocal start(int brokers, Path dir, Map<String, String> environment) throws IOException {
        IllegalStateException failure = null;
        for (int attempt = 1; attempt <= ATTEMPTS; attempt++) {
            Path attemptDir = attempt == 1 ? dir : dir.resolveSibling(dir.getFileName() + "-" + attempt);
            try {
                return startOn(brokers, ConsecutivePorts.free(brokers + 1), attemptDir, environment);
            } catch (IllegalStateException ex) {
                System.err.println("KafkaLocal: attempt " + attempt + " of " + ATTEMPTS + ": " + ex.getMessage());
                failure = ex;
            }
        }
        throw failure;
    }

    private static KafkaLocal startOn(int brokers, int port, Path dir, Map<String, String> environment)
            throws IOException {
        Path err = dir.resolveSibling(dir.getFileName() + ".err");
        ProcessBuilder pb = new ProcessBuilder(
                        ROOT.resolve("bin/kafka-local").toString(),
                        "--brokers",
                        Integer.toString(brokers),
                        "--port",
                        Integer.toString(port),
                        "--dir",
                        dir.toString())
                .redirectError(ProcessBuilder.Redirect.appendTo(err.toFile()));
        pb.environment().putAll(environment);
        Process script = pb.start();
        CompletableFuture<String> line = CompletableFuture.supplyAsync(() -> {
            try (BufferedReader out =
                    new BufferedReader(new InputStreamReader(script.getInputStream(), StandardCharsets.UTF_8))) {
                for (String l = out.readLine(); l != null; l = out.readLine()) {
                    if (l.startsWith("bootstrap: ")) {
                        return l.substring("bootstrap: ".length());
                    }
                }
                return null;
            } catch (IOException ex) {
                return null;
            }
        });
        try {
            String bootstrap = line.get(180, TimeUnit.SECONDS);
            if (bootstrap == null) {
                throw new IllegalStateException("stopped before it served");
            }
            return new KafkaLocal(script, bootstrap, port);
        } catch (Exception ex) {
            script.descendants().forEach(ProcessHandle::destroyForcibly);
            script.destroyForcibly();
            throw new IllegalStateException(
                    "bin/kafka-local on ports from " + port + " did not start (" + ex.getMessage() + "): "
                            + lastLines(err),
                    ex);
        }
    }

    private static String lastLines(Path err) {
        try {
            List<String> lines = Files.exists(err) ? Files.readAllLines(err) : List.of();
            return lines.isEmpty()
                    ? "(nothing on stderr)"
                    : String.join(" | ", lines.subList(Math.max(0, lines.size() - 3), lines.size()));
        } catch (IOException ex) {
            return "(stderr unreadable: " + ex + ")";
        }
    }

    /** The line it printed once every broker served. */
    public String bootstrap() {
        return bootstrap;
    }

    /** The first broker's port on 127.0.0.1 (the others follow it, then the controller's). */
    public int port() {
        return port;
    }

    /** SIGTERM, and SIGKILL for whatever it started that is left. */
    @Override
    public void close() {
        script.destroy();
        try {
            if (!script.waitFor(30, TimeUnit.SECONDS)) {
                script.destroyForcibly();
            }
        } catch (InterruptedException ex) {
            Thread.currentThread().interrupt();
        }
        script.descendants().forEach(ProcessHandle::destroyForcibly);
    }
}
