package dev.registry.server.discovery;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;

/**
 * The streams the fan-out woke that have not run yet. The tailer wakes a slice of streams, then
 * waits here until every one of them has run (or a bound passes) before it wakes the next: so at
 * most a slice of streams is ever queued for the carrier threads ahead of a heartbeat's request.
 * Woken all at once, 2,000 streams made every request arriving meanwhile wait for all their writes.
 */
final class PendingWakes {

    private final AtomicInteger pending = new AtomicInteger();
    private volatile Thread waiter;

    /** A waiting stream was woken: it counts until it runs. */
    void woke() {
        pending.incrementAndGet();
    }

    /** A woken stream has run (called once for each {@link #woke}). */
    void ran() {
        if (pending.decrementAndGet() == 0) {
            Thread w = waiter;
            if (w != null) {
                LockSupport.unpark(w);
            }
        }
    }

    int pending() {
        return pending.get();
    }

    /**
     * Waits until every stream woken so far has run, at most {@code bound} (a stream may be slow to
     * get a carrier, and the tailer must not stop for it). Called by one thread, the tailer.
     *
     * @return whether all had run
     */
    boolean awaitAllRan(Duration bound) {
        long deadline = System.nanoTime() + bound.toNanos();
        waiter = Thread.currentThread();
        try {
            while (pending.get() > 0) {
                if (Thread.currentThread().isInterrupted()) {
                    return false;
                }
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    return false;
                }
                LockSupport.parkNanos(this, left);
            }
            return true;
        } finally {
            waiter = null;
        }
    }
}
