package dev.registry.server.testing;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A service's health endpoint on loopback for active-check tests: answers {@code GET /health}
 * with a settable status code, or hangs until closed.
 */
public final class FakeService implements AutoCloseable {

    private final HttpServer server;
    private final CountDownLatch closed = new CountDownLatch(1);
    private final AtomicInteger requests = new AtomicInteger();
    private volatile int status;
    private volatile boolean hang;

    private FakeService(int port, int status) throws IOException {
        this.status = status;
        this.server = HttpServer.create(new InetSocketAddress("127.0.0.1", port), 0);
        server.createContext("/health", exchange -> {
            requests.incrementAndGet();
            if (hang) {
                try {
                    closed.await();
                } catch (InterruptedException ex) {
                    Thread.currentThread().interrupt();
                }
            }
            byte[] body = "{\"status\":\"ok\"}".getBytes();
            exchange.sendResponseHeaders(this.status, body.length);
            exchange.getResponseBody().write(body);
            exchange.close();
        });
        server.setExecutor(Executors.newVirtualThreadPerTaskExecutor());
        server.start();
    }

    /** A service answering {@code status} on a free port. */
    public static FakeService answering(int status) {
        return on(0, status);
    }

    /** A service answering {@code status} on {@code port} (0 for a free one). */
    public static FakeService on(int port, int status) {
        try {
            return new FakeService(port, status);
        } catch (IOException ex) {
            throw new java.io.UncheckedIOException(ex);
        }
    }

    public int port() {
        return server.getAddress().getPort();
    }

    public String url() {
        return "http://127.0.0.1:" + port();
    }

    public void answer(int newStatus) {
        this.status = newStatus;
        this.hang = false;
    }

    public void hang() {
        this.hang = true;
    }

    public int requests() {
        return requests.get();
    }

    /** A loopback port that nothing listens on (it was free a moment ago). */
    public static int refusedPort() {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        } catch (IOException ex) {
            throw new java.io.UncheckedIOException(ex);
        }
    }

    @Override
    public void close() {
        closed.countDown();
        server.stop(0);
    }
}
