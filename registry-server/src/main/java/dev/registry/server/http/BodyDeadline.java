package dev.registry.server.http;

import java.time.Duration;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

/**
 * Bounds how long a request body may take to arrive. Helidon reads bodies on the request's
 * virtual thread with blocking socket reads; interrupting a virtual thread blocked on a socket
 * closes that socket (JEP 444), which frees the connection of a client that stalls mid-body.
 */
final class BodyDeadline implements AutoCloseable {

    private final Duration timeout;
    private final ScheduledThreadPoolExecutor timer = new ScheduledThreadPoolExecutor(1, r -> {
        Thread t = new Thread(r, "registry-body-deadline");
        t.setDaemon(true);
        return t;
    });

    BodyDeadline(Duration timeout) {
        this.timeout = timeout;
        // every body read arms an alarm and almost every one is cancelled within microseconds:
        // without this the cancelled ones would pile up in the queue for the whole timeout
        timer.setRemoveOnCancelPolicy(true);
    }

    Duration timeout() {
        return timeout;
    }

    /** Starts the clock for the calling thread's body read; close the returned watch when read. */
    Watch start() {
        Watch watch = new Watch(Thread.currentThread());
        watch.alarm = timer.schedule(watch::expire, timeout.toNanos(), TimeUnit.NANOSECONDS);
        return watch;
    }

    @Override
    public void close() {
        timer.shutdownNow();
    }

    /** One body read against the clock. */
    static final class Watch implements AutoCloseable {
        private final Thread reader;
        private ScheduledFuture<?> alarm;
        private boolean done;
        private boolean expired;

        private Watch(Thread reader) {
            this.reader = reader;
        }

        private synchronized void expire() {
            if (!done) {
                expired = true;
                reader.interrupt();
            }
        }

        /** Whether the deadline passed before the read ended. */
        synchronized boolean expired() {
            return expired;
        }

        /**
         * Stops the clock. Once this returns no interrupt can come any more; one that came is
         * cleared, so it cannot leak into the next request on this thread.
         */
        @Override
        public void close() {
            synchronized (this) {
                done = true;
            }
            alarm.cancel(false);
            if (expired()) {
                Thread.interrupted();
            }
        }
    }
}
