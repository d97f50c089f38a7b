package dev.registry.server.testing;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/** {@code bin/kafka-local} as a test's own Kafka: separate broker processes, stopped at the end. */
public final class KafkaLocal implements AutoCloseable {

    private static final Path ROOT = Path.of(System.getProperty("user.dir")).getParent();

    private final Process script;
    private final String bootstrap;

    private KafkaLocal(Process script, String bootstrap) {
        this.script = script;
        this.bootstrap = bootstrap;
    }

    /** Starts {@code brokers} brokers from {@code port} on, data in {@code dir}, with more environment. */
    public static KafkaLocal start(int brokers, int port, Path dir, Map<String, String> environment)
            throws IOException {
        ProcessBuilder pb = new ProcessBuilder(
                        ROOT.resolve("bin/kafka-local").toString(),
                        "--brokers",
                        Integer.toString(brokers),
                        "--port",
                        Integer.toString(port),
                        "--dir",
                        dir.toString())
                .redirectError(ProcessBuilder.Redirect.appendTo(
                        dir.resolveSibling(dir.getFileName() + ".err").toFile()));
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
                throw new IllegalStateException("bin/kafka-local stopped before it served");
            }
            return new KafkaLocal(script, bootstrap);
        } catch (Exception ex) {
            script.descendants().forEach(ProcessHandle::destroyForcibly);
            script.destroyForcibly();
            throw new IllegalStateException("bin/kafka-local did not start: " + ex, ex);
        }
    }

    /** The line it printed once every broker served. */
    public String bootstrap() {
        return bootstrap;
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
