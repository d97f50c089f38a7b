package dev.registry.server.connections;

import static org.awaitility.Awaitility.await;
import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.greaterThan;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.not;

import dev.registry.server.testing.ChildRegistry;
import dev.registry.server.testing.PrometheusText;
import dev.registry.server.testing.RawHttp;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A server in a child JVM with few file descriptors (bash's {@code ulimit -n}), attacked with raw
 * sockets: Helidon 4.5's listener stops for good on the first accept that finds none left.
 */
class DescriptorLimitTest {

    private static final String HALF_A_HEAD = "GET /health HTTP/1.1\r\nHost: registry\r\n";

    @TempDir
    Path dir;

    @Test
    void fourHundredHalfOpenConnectionsOnTwoHundredFiftySixDescriptorsAreRefusedAndThePortServesAgain()
            throws Exception {
        try (ChildRegistry child = ChildRegistry.startWithFileLimit(dir.resolve("data"), 256);
                RawHttp before = new RawHttp(child.port())) {
            assertThat(health(before), is(200));
            List<Socket> flood = halfOpen(child.port(), 400);
            try {
                AtomicInteger refused = new AtomicInteger();
                for (Socket s : flood) {
                    Thread.ofVirtual().start(() -> countRefusal(s, refused));
                }
                // beyond --max-connections (auto: from the 256 descriptors) each is answered 503 and closed
                await().atMost(Duration.ofSeconds(60)).until(() -> refused.get() >= 100);
                assertThat("a connection opened before is still served", health(before), is(200));
            } finally {
                for (Socket s : flood) {
                    s.close();
                }
            }
            await().atMost(Duration.ofSeconds(30)).until(() -> answers(child));
            assertThat(child.isAlive(), is(true));
            assertThat(child.output(), not(containsString("terminating now")));
        }
    }

    @Test
    void aListenerThatRunsOutOfDescriptorsEndsTheProcessWithStatusOneAndFreesTheDataDirectory() throws Exception {
        Path data = dir.resolve("data");
        List<Socket> flood = List.of();
        try (ChildRegistry child = ChildRegistry.startWithFileLimit(data, 256, "--max-connections", "1000")) {
            assertThat(child.output(), containsString("--max-connections 1000 is more than the"));
            flood = halfOpen(child.port(), 400);
            await().atMost(Duration.ofSeconds(60)).until(() -> !child.isAlive());
            assertThat(child.exitValue(), is(1));
            assertThat(
                    child.output(),
                    containsString("the HTTP listener stopped (java.io.IOException: Too many open files)"));
        } finally {
            for (Socket s : flood) {
                s.close();
            }
        }
        try (ChildRegistry again = ChildRegistry.start(data)) {
            assertThat(again.http().get("/health").status(), is(200));
        }
    }

    @Test
    void eventStreamsTheirClientsClosedAreReleasedAtOnce() throws Exception {
        try (ChildRegistry child = ChildRegistry.startWithFileLimit(dir.resolve("data"), 1024)) {
            AtomicInteger streamed = new AtomicInteger();
            ExecutorService clients = Executors.newFixedThreadPool(16);
            try {
                List<Future<?>> done = new ArrayList<>();
                for (int i = 0; i < 1367; i++) {
                    done.add(clients.submit(() -> openAndCloseAStream(child.port(), streamed)));
                }
                for (Future<?> f : done) {
                    f.get();
                }
            } finally {
                clients.shutdownNow();
            }
            assertThat(streamed.get(), greaterThan(0));
            // a closed stream is seen at the next keep-alive comment but one (every second)
            await().atMost(Duration.ofSeconds(10)).until(() -> subscribers(child) == 0);
            assertThat(child.http().get("/health").status(), is(200));
            assertThat(child.isAlive(), is(true));
        }
    }

    private static List<Socket> halfOpen(int port, int count) throws IOException {
        List<Socket> sockets = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            Socket s = new Socket();
            try {
                s.connect(new InetSocketAddress("127.0.0.1", port), 5_000);
                s.getOutputStream().write(HALF_A_HEAD.getBytes(StandardCharsets.US_ASCII));
            } catch (IOException refusedOrGone) {
                // a listener that died refuses: the test looks at the process
            }
            sockets.add(s);
        }
        return sockets;
    }

    private static void countRefusal(Socket s, AtomicInteger refused) {
        try {
            s.setSoTimeout(60_000);
            byte[] head = s.getInputStream().readNBytes(12);
            if (new String(head, StandardCharsets.US_ASCII).equals("HTTP/1.1 503")) {
                refused.incrementAndGet();
            }
        } catch (IOException closedOrReset) {
            // closed by the test, or reset
        }
    }

    private static void openAndCloseAStream(int port, AtomicInteger streamed) {
        try (Socket s = new Socket("127.0.0.1", port)) {
            s.setSoTimeout(10_000);
            s.getOutputStream()
                    .write("GET /events/stream HTTP/1.1\r\nHost: registry\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
            InputStream in = s.getInputStream();
            if (new String(in.readNBytes(12), StandardCharsets.US_ASCII).equals("HTTP/1.1 200")) {
                streamed.incrementAndGet();
            }
        } catch (IOException refusedOrReset) {
            // beyond the cap a stream may be refused: what counts is what the server does next
        }
    }

    private static int health(RawHttp connection) {
        return connection
                .send("GET /health HTTP/1.1\r\nHost: registry\r\n\r\n")
                .reply()
                .status();
    }

    private static boolean answers(ChildRegistry child) {
        try {
            return child.http().get("/health").status() == 200;
        } catch (RuntimeException notYet) {
            return false;
        }
    }

    private static double subscribers(ChildRegistry child) {
        return PrometheusText.parse(child.http().get("/metrics").body()).value("registry_event_stream_subscribers");
    }
}
