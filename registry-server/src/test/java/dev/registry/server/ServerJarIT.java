package dev.registry.server;

import static org.awaitility.Awaitility.await;
import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.not;

import dev.registry.server.testing.Http;
import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The packaged jar as an operator runs it: {@code java -jar registry-server/target/registry-server.jar},
 * no JVM flags, options from the command line or the environment; SIGTERM stops it cleanly and
 * a restart on the same directory brings the records back.
 */
class ServerJarIT {

    private static final Path JAR = Path.of("target", "registry-server.jar");

    @TempDir
    Path tmp;

    @Test
    void runsWithPlainJavaJarAndKeepsRecordsAcrossRestart() throws Exception {
        Path data = tmp.resolve("data");
        int port = freePort();
        Process first = start(List.of("--port", Integer.toString(port), "--data-dir", data.toString()), List.of());
        Http http = awaitServing(first, port);
        assertThat(
                http.post("/services", Http.registration("jar-svc", 8000, "{\"type\":\"openai-api\"}"))
                        .status(),
                is(201));
        String record = http.get("/services/jar-svc").body();
        stop(first);

        int port2 = freePort();
        Process second = start(List.of(), List.of("REGISTRY_PORT=" + port2, "REGISTRY_DATA_DIR=" + data));
        Http http2 = awaitServing(second, port2);
        assertThat(http2.get("/services/jar-svc").body(), is(record));
        stop(second);

        String output = Files.readString(tmp.resolve("server.log"));
        assertThat(output, not(containsString("Exception")));
        assertThat(output, not(containsString("IllegalAccess")));
    }

    private Process start(List<String> args, List<String> env) throws IOException {
        List<String> command = new java.util.ArrayList<>(
                List.of(ProcessHandle.current().info().command().orElse("java"), "-jar", JAR.toString()));
        command.addAll(args);
        ProcessBuilder pb = new ProcessBuilder(command)
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(
                        tmp.resolve("server.log").toFile()));
        for (String e : env) {
            pb.environment().put(e.substring(0, e.indexOf('=')), e.substring(e.indexOf('=') + 1));
        }
        return pb.start();
    }

    private static Http awaitServing(Process process, int port) {
        Http http = new Http(port);
        await().atMost(Duration.ofSeconds(60))
                .pollInterval(Duration.ofMillis(100))
                .ignoreExceptions()
                .until(() -> {
                    assertThat("server exited", process.isAlive(), is(true));
                    return http.get("/health").status() == 200;
                });
        return http;
    }

    private static void stop(Process process) throws InterruptedException {
        process.destroy();
        assertThat(process.waitFor(30, TimeUnit.SECONDS), is(true));
        // 143 = 128 + SIGTERM: the JVM ran its shutdown hooks and exited on the signal.
        assertThat(process.exitValue(), is(143));
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }
}
