package dev.registry.server.security;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.lessThan;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.startsWith;

import dev.registry.server.testing.Http;
import dev.registry.server.testing.RegistryTestBase;
import dev.registry.server.testing.TestRegistry;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.SocketException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** --body-timeout: a client that stalls or trickles a body cannot hold a connection open. */
class BodyTimeoutTest extends RegistryTestBase {

    @Override
    protected TestRegistry newRegistry(Path dir) {
        return new TestRegistry(
                dir, s -> s.toBuilder().bodyTimeout(Duration.ofSeconds(1)).build(), Clock.systemUTC());
    }

    @Test
    void aBodyThatStallsHalfWayHasItsConnectionClosed() throws IOException {
        int events = logSize();
        try (Socket socket = connect()) {
            OutputStream out = socket.getOutputStream();
            out.write(head("Content-Length: 100").getBytes(StandardCharsets.US_ASCII));
            out.write("{\"name\": \"slow".getBytes(StandardCharsets.US_ASCII));
            out.flush();
            long t0 = System.nanoTime();
            String reply = readUntilClosed(socket.getInputStream());
            assertThat(TimeUnit.NANOSECONDS.toSeconds(System.nanoTime() - t0), lessThan(15L));
            assertNeitherAcceptedNorFailed(reply);
        }
        assertThat(http.get("/services").status(), is(200));
        assertThat(logSize(), is(events));
    }

    @Test
    void aChunkedBodyTrickledForeverIsCutOff() throws IOException {
        int events = logSize();
        try (Socket socket = connect()) {
            OutputStream out = socket.getOutputStream();
            out.write(head("Transfer-Encoding: chunked").getBytes(StandardCharsets.US_ASCII));
            out.flush();
            Thread trickle = Thread.ofVirtual().start(() -> {
                try {
                    while (!Thread.currentThread().isInterrupted()) {
                        out.write("1\r\n \r\n".getBytes(StandardCharsets.US_ASCII));
                        out.flush();
                        Thread.sleep(100); // the client's pace, not a wait for the server
                    }
                } catch (IOException | InterruptedException closed) {
                    // the server closed the connection: what this test expects
                }
            });
            long t0 = System.nanoTime();
            String reply = readUntilClosed(socket.getInputStream());
            trickle.interrupt();
            assertThat(TimeUnit.NANOSECONDS.toSeconds(System.nanoTime() - t0), lessThan(15L));
            assertNeitherAcceptedNorFailed(reply);
        }
        assertThat(http.post("/services", Http.registration("quick", 1, null)).status(), is(201));
        assertThat(logSize(), is(events + 1));
    }

    private Socket connect() throws IOException {
        Socket socket = new Socket("127.0.0.1", registry.server().port());
        socket.setSoTimeout(30_000); // a hang fails the test instead of stalling the suite
        return socket;
    }

    private static String head(String framing) {
        return "POST /services HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/json\r\n" + framing
                + "\r\n\r\n";
    }

    private static String readUntilClosed(InputStream in) throws IOException {
        ByteArrayOutputStream got = new ByteArrayOutputStream();
        byte[] buf = new byte[4096];
        try {
            for (int n = in.read(buf); n >= 0; n = in.read(buf)) {
                got.write(buf, 0, n);
            }
        } catch (SocketException reset) {
            // a reset is a close too
        }
        return got.toString(StandardCharsets.US_ASCII);
    }

    private static void assertNeitherAcceptedNorFailed(String reply) {
        assertThat(reply, not(startsWith("HTTP/1.1 2")));
        assertThat(reply, not(startsWith("HTTP/1.1 5")));
    }
}
