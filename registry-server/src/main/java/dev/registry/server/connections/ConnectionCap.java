package dev.registry.server.connections;

import io.helidon.common.buffers.BufferData;
import io.helidon.common.concurrency.limits.Limit;
import io.helidon.common.task.InterruptableTask;
import io.helidon.webserver.ConnectionContext;
import io.helidon.webserver.spi.ServerConnection;
import io.helidon.webserver.spi.ServerConnectionSelector;
import java.lang.System.Logger.Level;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A connection selector that serves at most {@code served} connections at once, over the one it
 * wraps: one more is answered {@code 503} with {@code Connection: close} and closed at once, so
 * its client learns at once and the connections already open keep being served. (Helidon's own
 * {@code maxTcpConnections} only stops accepting: a client beyond it waits in the backlog.)
 */
public final class ConnectionCap implements ServerConnectionSelector {

    private static final System.Logger LOG = System.getLogger(ConnectionCap.class.getName());
    private static final long LOG_EVERY_NANOS = Duration.ofMinutes(1).toNanos();

    private final ServerConnectionSelector inner;
    private final int served;
    private final byte[] refusal;
    private final AtomicInteger open = new AtomicInteger();
    private final AtomicLong lastLogged = new AtomicLong(System.nanoTime() - LOG_EVERY_NANOS);

    public ConnectionCap(ServerConnectionSelector inner, int served) {
        this.inner = inner;
        this.served = served;
        String body = "{\"error\":\"Too many connections: the limit is " + served + " (--max-connections)\"}";
        this.refusal = ("HTTP/1.1 503 Service Unavailable\r\nContent-Type: application/json\r\nContent-Length: "
                        + body.length() + "\r\nRetry-After: 1\r\nConnection: close\r\n\r\n" + body)
                .getBytes(StandardCharsets.US_ASCII);
    }

    /** Connections served now. */
    public int open() {
        return open.get();
    }

    @Override
    public int bytesToIdentifyConnection() {
        return inner.bytesToIdentifyConnection();
    }

    @Override
    public Support supports(BufferData data) {
        return inner.supports(data);
    }

    @Override
    public Set<String> supportedApplicationProtocols() {
        return inner.supportedApplicationProtocols();
    }

    @Override
    public ServerConnection connection(ConnectionContext ctx) {
        if (open.incrementAndGet() > served) {
            open.decrementAndGet();
            logRefusal();
            return new Refused(ctx, refusal);
        }
        try {
            return new Counted(inner.connection(ctx), open);
        } catch (RuntimeException ex) {
            open.decrementAndGet();
            throw ex;
        }
    }

    private void logRefusal() {
        long now = System.nanoTime();
        long last = lastLogged.get();
        if (now - last >= LOG_EVERY_NANOS && lastLogged.compareAndSet(last, now)) {
            LOG.log(
                    Level.WARNING,
                    served + " connections are open, the most --max-connections allows: new ones are answered 503"
                            + " (logged once a minute at most)");
        }
    }

    /** A connection beyond the cap: the 503, then Helidon closes the socket. */
    private record Refused(ConnectionContext ctx, byte[] reply) implements ServerConnection {
        @Override
        public void handle(Limit limit) {
            ctx.dataWriter().writeNow(BufferData.create(reply));
        }

        @Override
        public Duration idleTime() {
            return Duration.ZERO;
        }

        @Override
        public void close(boolean interrupt) {
            // it ends by itself right after its one write
        }
    }

    /**
     * A served connection, counted until its handling ends. Interruptible as the one it wraps, so
     * a stopping server still interrupts idle connections at once.
     */
    private static final class Counted implements ServerConnection, InterruptableTask<Void> {
        private final ServerConnection connection;
        private final AtomicInteger open;

        Counted(ServerConnection connection, AtomicInteger open) {
            this.connection = connection;
            this.open = open;
        }

        @Override
        public void handle(Limit limit) throws InterruptedException {
            try {
                connection.handle(limit);
            } finally {
                open.decrementAndGet();
            }
        }

        @Override
        public Duration idleTime() {
            return connection.idleTime();
        }

        @Override
        public void close(boolean interrupt) {
            connection.close(interrupt);
        }

        @Override
        public boolean canInterrupt() {
            return connection instanceof InterruptableTask<?> task && task.canInterrupt();
        }
    }
}
