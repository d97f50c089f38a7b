package dev.registry.server.discovery;

import dev.registry.events.log.LoggedEvent;
import dev.registry.events.projection.Projection;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Wakes whoever waits for the view to move past an index: blocking queries and event streams.
 * As the last projection it hears, at the end of each batch of events the view applied (or
 * skipped), how far the view reaches now, and wakes the waiters once for the whole batch; when
 * nobody waits, that costs one volatile write and one atomic read, so the write path does not
 * pay for discovery.
 */
public final class ViewChanges implements Projection {

    private final ReentrantLock lock = new ReentrantLock();
    private final Condition changed = lock.newCondition();
    private final AtomicInteger waiting = new AtomicInteger();
    private final AtomicInteger queries = new AtomicInteger();
    private volatile long index;
    private volatile boolean closed;

    public ViewChanges(long initialIndex) {
        this.index = initialIndex;
    }

    @Override
    public void apply(LoggedEvent event) {
        // published at the end of the batch
    }

    @Override
    public void endOfBatch(long lastIndex) {
        publish(lastIndex);
    }

    /** The view now reaches {@code newIndex}. */
    public void publish(long newIndex) {
        index = newIndex;
        if (waiting.get() > 0) {
            wakeAll();
        }
    }

    /** The index the view reaches. */
    public long index() {
        return index;
    }

    /**
     * Waits until the view's index is above {@code seen}, at most {@code max}.
     *
     * @return the index then (not above {@code seen} when the wait ran out or the server closes)
     */
    public long awaitAbove(long seen, Duration max) throws InterruptedException {
        long deadline = System.nanoTime() + max.toNanos();
        waiting.incrementAndGet();
        lock.lock();
        try {
            while (index <= seen && !closed) {
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    break;
                }
                changed.awaitNanos(left);
            }
            return index;
        } finally {
            lock.unlock();
            waiting.decrementAndGet();
        }
    }

    /** As {@link #awaitAbove}, counted among the blocking queries waiting. */
    public long awaitAboveForQuery(long seen, Duration max) throws InterruptedException {
        queries.incrementAndGet();
        try {
            return awaitAbove(seen, max);
        } finally {
            queries.decrementAndGet();
        }
    }

    /** How many blocking queries are waiting now (for metrics). */
    public int queriesWaiting() {
        return queries.get();
    }

    /** How many are waiting now (for tests and metrics). */
    public int waiting() {
        return waiting.get();
    }

    /** Wakes every waiter for good: the server is stopping. */
    public void close() {
        closed = true;
        wakeAll();
    }

    public boolean isClosed() {
        return closed;
    }

    private void wakeAll() {
        lock.lock();
        try {
            changed.signalAll();
        } finally {
            lock.unlock();
        }
    }
}
