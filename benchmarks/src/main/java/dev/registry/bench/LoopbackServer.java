package dev.registry.bench;

import java.io.IOException;
import java.net.HttpURLConnection;
import java.net.ServerSocket;
import java.net.URI;
import java.time.Duration;

/** A server a benchmark starts as a child process on a loopback port: a free port for it, and the wait until it answers. */
final class LoopbackServer {

    private LoopbackServer() {}

    /** A port free on this machine now, for a child server to listen on. */
    static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }

    /**
     * Returns once {@code server} answers {@code GET /health} on {@code port} with 200.
     *
     * @param what   what the server is, for the error
     * @param within how long it may take
     * @throws IllegalStateException if the server exits first, or does not answer within that time
     */
    static void awaitHealth(Process server, int port, String what, Duration within) throws InterruptedException {
        long deadline = System.nanoTime() + within.toNanos();
        while (true) {
            try {
                HttpURLConnection c = (HttpURLConnection) URI.create("http://127.0.0.1:" + port + "/health")
                        .toURL()
                        .openConnection();
                c.setConnectTimeout(100);
                if (c.getResponseCode() == 200) {
                    return;
                }
            } catch (IOException notYet) {
                if (!server.isAlive()) {
                    throw new IllegalStateException(what + " exited with " + server.exitValue());
                }
            }
            if (System.nanoTime() - deadline > 0) {
                throw new IllegalStateException(what + " did not answer within " + within.toSeconds() + " s");
            }
            Thread.sleep(5); // polling a port that is not open yet: nothing to wait on
        }
    }
}
