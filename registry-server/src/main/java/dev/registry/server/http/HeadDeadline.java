package dev.registry.server.http;

import io.helidon.common.socket.HelidonSocket;
import io.helidon.http.Headers;
import io.helidon.http.HttpPrologue;
import io.helidon.webserver.ConnectionContext;
import io.helidon.webserver.http1.Http1ConnectionListener;
import java.time.Duration;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

/**
 * Bounds how long a request's headers may take after its request line: past it, the connection
 * is closed. Helidon 4.5's idle check closes a connection that waits for a request line too long,
 * but leaves one alone once the line has come, so a client trickling its headers a byte at a time
 * (slowloris) held its connection for good. A connection's clock starts when Helidon has parsed
 * its request line and stops when it has parsed the headers.
 */
final class HeadDeadline implements Http1ConnectionListener, AutoCloseable {

    /** A connection context that carries its connection's watch. */
    interface Watched {
        Watch headWatch();
    }

    private final Duration timeout;
    private final ScheduledThreadPoolExecutor timer = new ScheduledThreadPoolExecutor(1, r -> {
        Thread t = new Thread(r, "registry-head-deadline");
        t.setDaemon(true);
        return t;
    });

    HeadDeadline(Duration timeout) {
        this.timeout = timeout;
        timer.setRemoveOnCancelPolicy(true); // almost every alarm is cancelled within microseconds
    }

    /** The watch of one connection, on {@code socket}. */
    Watch watch(HelidonSocket socket) {
        return new Watch(socket);
    }

    @Override
    public void prologue(ConnectionContext ctx, HttpPrologue prologue) {
        if (ctx instanceof Watched watched) {
            watched.headWatch().arm();
        }
    }

    @Override
    public void headers(ConnectionContext ctx, Headers headers) {
        if (ctx instanceof Watched watched) {
            watched.headWatch().disarm();
        }
    }

    @Override
    public void close() {
        timer.shutdownNow();
    }

    /** One connection's request heads against the clock. */
    final class Watch {
        private final HelidonSocket socket;
        private ScheduledFuture<?> alarm;
        private long armed; // which head the alarm is for: a late alarm of an earlier one does nothing

        private Watch(HelidonSocket socket) {
            this.socket = socket;
        }

        synchronized void arm() {
            disarm();
            long head = ++armed;
            try {
                alarm = timer.schedule(() -> expire(head), timeout.toNanos(), TimeUnit.NANOSECONDS);
            } catch (RejectedExecutionException stopping) {
                // the server is stopping: it closes every connection itself
            }
        }

        synchronized void disarm() {
            if (alarm != null) {
                alarm.cancel(false);
                alarm = null;
            }
        }

        private synchronized void expire(long head) {
            if (alarm != null && head == armed) {
                alarm = null;
                socket.close(); // the connection's blocked read fails, and Helidon ends the connection
            }
        }
    }
}
