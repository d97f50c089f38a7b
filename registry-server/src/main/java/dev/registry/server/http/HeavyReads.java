package dev.registry.server.http;

import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Admission for reads that cost far more than a write: time travel, diffs, long histories, big
 * event pages, lists of many records. At most {@code running} run at once and as many more wait
 * up to {@link #QUEUE_WAIT_MILLIS} for a turn; beyond that a read is refused at once with
 * {@code 503} and {@code Retry-After}, so readers cannot take the cores, and the memory, that
 * heartbeats need.
 */
public final class HeavyReads {

    /** Longest a read waits in the queue before it is refused. */
    static final long QUEUE_WAIT_MILLIS = 1000;
    /** What a refused reader is told to wait, in seconds. */
    static final String RETRY_AFTER_SECONDS = "1";

    private final int running;
    private final Semaphore turns;
    private final Semaphore queue;

    /** @param running most heavy reads at once; as many more may wait */
    public HeavyReads(int running) {
        if (running < 1) {
            throw new IllegalArgumentException("at least one heavy read must be let through");
        }
        this.running = running;
        this.turns = new Semaphore(running, true);
        this.queue = new Semaphore(running);
    }

    /** A heavy read's turn; closing it (once the reply is sent) lets the next one in. */
    public final class Turn implements AutoCloseable {
        private final AtomicBoolean open = new AtomicBoolean(true);

        private Turn() {}

        @Override
        public void close() {
            if (open.compareAndSet(true, false)) {
                turns.release();
            }
        }
    }

    /**
     * Waits for a turn, briefly.
     *
     * @throws ApiException {@code 503} with {@code Retry-After} when the turns and the queue are full
     */
    public Turn enter() {
        if (turns.tryAcquire()) {
            return new Turn();
        }
        if (!queue.tryAcquire()) {
            throw busy();
        }
        try {
            if (!turns.tryAcquire(QUEUE_WAIT_MILLIS, TimeUnit.MILLISECONDS)) {
                throw busy();
            }
            return new Turn();
        } catch (InterruptedException ex) {
            Thread.currentThread().interrupt();
            throw busy();
        } finally {
            queue.release();
        }
    }

    private ApiException busy() {
        return new ApiException(
                        503,
                        "Too many heavy reads at once (at most " + running + ", --max-heavy-reads): retry after "
                                + RETRY_AFTER_SECONDS + " s")
                .withHeader("Retry-After", RETRY_AFTER_SECONDS);
    }
}
