package dev.registry.server.http;

import io.helidon.common.socket.HelidonSocket;
import io.helidon.http.Headers;
import io.helidon.http.HttpPrologue;
import io.helidon.webserver.ConnectionContext;
import io.helidon.webserver.http1.Http1ConnectionListener;
import java.time.Duration;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * Bounds how long a request's headers may take after its request line: past it, the connection
 * is closed. Helidon 4.5's idle check closes a connection that waits for a request line too long,
 * but leaves one alone once the line has come, so a client trickling its headers a byte at a time
 * (slowloris) held its connection for good. A connection's clock starts when Helidon has parsed
 * its request line and stops when it has parsed the headers.
 *
 * <p>Each request only writes the time into its connection's watch; one timer thread looks over
 * the watches every quarter of the timeout. A timer task per request (schedule, then cancel) took
 * a shared lock twice on every request of every connection.
 */
final class HeadDeadline implements Http1ConnectionListener, AutoCloseable {

    /** A connection context that carries its connection's watch. */
    interface Watched {
        Watch headWatch();
    }

    private static final long NOT_IN_A_HEAD = 0;

    private final long timeoutNanos;
    private final Set<Watch> watches = ConcurrentHashMap.newKeySet();
    private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "registry-head-deadline");
        t.setDaemon(true);
        return t;
    });

    HeadDeadline(Duration timeout) {
        this.timeoutNanos = timeout.toNanos();
        long period = Math.clamp(timeoutNanos / 4, TimeUnit.MILLISECONDS.toNanos(10), TimeUnit.SECONDS.toNanos(1));
        timer.scheduleAtFixedRate(this::sweep, period, period, TimeUnit.NANOSECONDS);
    }

    /** The watch of one connection, on {@code socket}: looked over until its socket is closed. */
    Watch watch(HelidonSocket socket) {
        Watch w = new Watch(socket);
        watches.add(w);
        return w;
    }

    @Override
    public void prologue(ConnectionContext ctx, HttpPrologue prologue) {
        if (ctx instanceof Watched watched) {
            watched.headWatch().headStarted = headStart(System.nanoTime());
        }
    }

    @Override
    public void headers(ConnectionContext ctx, Headers headers) {
        if (ctx instanceof Watched watched) {
            watched.headWatch().headStarted = NOT_IN_A_HEAD;
        }
    }

    @Override
    public void close() {
        timer.shutdownNow();
    }

    private void sweep() {
        long now = System.nanoTime();
        for (Watch w : watches) {
            long started = w.headStarted;
            if (!w.socket.isConnected()) {
                watches.remove(w);
            } else if (started != NOT_IN_A_HEAD && now - started > timeoutNanos) {
                watches.remove(w);
                try {
                    w.socket.close(); // the connection's blocked read fails, and Helidon ends the connection
                } catch (RuntimeException alreadyGone) {
                    // closed by its peer meanwhile; a failure here must not end the sweeps
                }
            }
        }
    }

    /** {@code nanos} as a head's start: never the value that means "not in a head". */
    private static long headStart(long nanos) {
        return nanos == NOT_IN_A_HEAD ? 1 : nanos;
    }

    /** One connection's request heads against the clock. */
    static final class Watch {
        private final HelidonSocket socket;
        /** When the current request's head began ({@link System#nanoTime}), or {@link #NOT_IN_A_HEAD}. */
        private volatile long headStarted = NOT_IN_A_HEAD;

        private Watch(HelidonSocket socket) {
            this.socket = socket;
        }
    }
}
