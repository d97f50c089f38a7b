package dev.registry.server.connections;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.is;

import dev.registry.server.testing.TestRegistry;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Slowloris: connections that never finish their request head, or send nothing, are closed after
 * {@code --idle-timeout}, while other clients are served.
 */
class SlowClientsTest {

    @TempDir
    Path dataDir;

    @Test
    void twoHundredSlowConnectionsAreClosedAndOthersAreServedMeanwhile() throws Exception {
        ScheduledExecutorService trickle = Executors.newSingleThreadScheduledExecutor();
        List<Socket> sockets = new ArrayList<>();
        try (TestRegistry registry = new TestRegistry(
                dataDir, s -> s.toBuilder().idleTimeout(Duration.ofSeconds(2)).build(), Clock.systemUTC())) {
            int port = registry.server().port();
            CountDownLatch closed = new CountDownLatch(200);
            for (int i = 0; i < 200; i++) {
                Socket socket = new Socket("127.0.0.1", port);
                sockets.add(socket);
                String start = switch (i % 4) {
                    case 0 -> ""; // never sends a byte
                    case 1 -> "GET /heal"; // trickles its request line
                    case 2 -> "GET /health HTTP/1.1\r\nHost: registry\r\nX-Slow: "; // trickles a header
                    default -> "GET /health HTTP/1.1\r\nHost: registry\r\n\r\n"; // then stays idle
                };
                socket.getOutputStream().write(start.getBytes(StandardCharsets.US_ASCII));
                Thread.ofVirtual().start(() -> awaitClose(socket, closed));
                if (i % 4 == 1 || i % 4 == 2) {
                    trickle.scheduleWithFixedDelay(() -> oneByte(socket), 200, 200, TimeUnit.MILLISECONDS);
                }
            }
            // others are served while the slow ones hold their connections
            for (int i = 0; i < 20; i++) {
                assertThat(registry.http().get("/health").status(), is(200));
            }
            // bounded by the idle timeout (2 s), the idle check's period and Helidon's 1 s clock
            assertThat(closed.await(30, TimeUnit.SECONDS), is(true));
            assertThat(registry.http().get("/health").status(), is(200));
        } finally {
            trickle.shutdownNow();
            for (Socket s : sockets) {
                s.close();
            }
        }
    }

    /** Reads (and drops) what the server sends until it closes the connection. */
    private static void awaitClose(Socket socket, CountDownLatch closed) {
        try (InputStream in = socket.getInputStream()) {
            byte[] buffer = new byte[1024];
            while (in.read(buffer) >= 0) {
                // a reply to the idle group's one request; nothing else
            }
        } catch (IOException reset) {
            // reset or closed: either way it is over
        }
        closed.countDown();
    }

    private static void oneByte(Socket socket) {
        try {
            OutputStream out = socket.getOutputStream();
            out.write('a');
            out.flush();
        } catch (IOException closed) {
            // the server closed it; the reader counts it
        }
    }
}
