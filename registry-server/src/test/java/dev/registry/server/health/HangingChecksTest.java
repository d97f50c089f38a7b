package dev.registry.server.health;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.lessThan;

import dev.registry.server.config.RegistrySettings;
import dev.registry.server.testing.Http;
import dev.registry.server.testing.TestRegistry;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A round over 1,000 services whose endpoints all accept and never answer finishes in about one
 * timeout (checks run concurrently), and the API keeps answering while it runs.
 */
class HangingChecksTest {

    private static final Duration TIMEOUT = Duration.ofSeconds(2);

    @TempDir
    Path dataDir;

    @Test
    void thousandHangingEndpointsTakeAboutOneTimeout() throws Exception {
        try (Tarpit tarpit = new Tarpit();
                TestRegistry registry = new TestRegistry(
                        dataDir,
                        s -> s.withChecks(false, RegistrySettings.DEFAULT_CHECK_INTERVAL, TIMEOUT),
                        Clock.systemUTC())) {
            Http http = registry.http();
            for (int i = 0; i < 1000; i++) {
                String body = Http.registration("hang-" + i, 1, null)
                        .replace("http://127.0.0.1:1", "http://127.0.0.1:" + tarpit.port());
                assertThat(http.post("/services", body).status(), is(201));
            }

            long t0 = System.nanoTime();
            CompletableFuture<Void> round = registry.server().checkRoundNow();
            int answeredDuringRound = 0;
            while (!round.isDone()) {
                assertThat(http.get("/services?healthy=true").status(), is(200));
                assertThat(http.get("/health").json().get("registered_services").asInt(), is(1000));
                if (!round.isDone()) {
                    answeredDuringRound++;
                }
            }
            round.get(1, TimeUnit.MINUTES);
            long elapsedMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0);

            System.out.println("round over 1000 hanging endpoints took " + elapsedMs + " ms");
            assertThat(elapsedMs, lessThan(2 * TIMEOUT.toMillis()));
            assertThat(answeredDuringRound > 0, is(true));
            assertThat(
                    http.get("/services/hang-999").json().get("health_status").asText(), is("unhealthy"));
            assertThat(http.get("/stats").json().get("total_services").asInt(), is(1000));
        }
    }

    /** Accepts every connection and never says a word. */
    private static final class Tarpit implements AutoCloseable {
        private final ServerSocket server;
        private final List<Socket> held = new CopyOnWriteArrayList<>();

        Tarpit() throws IOException {
            server = new ServerSocket(0, 4096, InetAddress.getLoopbackAddress());
            Thread.ofVirtual().start(() -> {
                while (!server.isClosed()) {
                    try {
                        held.add(server.accept());
                    } catch (IOException closed) {
                        return;
                    }
                }
            });
        }

        int port() {
            return server.getLocalPort();
        }

        @Override
        public void close() throws IOException {
            server.close();
            for (Socket s : held) {
                s.close();
            }
        }
    }
}
