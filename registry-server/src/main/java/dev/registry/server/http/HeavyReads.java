package dev.registry.server.http;

import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.Semaphore;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Admission for reads that cost far more than a write: time travel, diffs, long histories, big
 * event pages, lists of many records. At most {@code running} run at once and up to
 * {@link #WAITING_PER_TURN} times as many wait up to {@link #QUEUE_WAIT_MILLIS} for a turn; beyond
 * that a read is refused at once with {@code 503} and {@code Retry-After}, so readers cannot take
 * the cores, and the memory, that heartbeats need.
 *
 * <p>The queue is long because waiting costs a parked virtual thread, and a refusal costs a
 * request: clients that ask again at once after a 503 (the attackers do) made some 6,000
 * refusals a second with a queue as long as the turns, a core's worth of work taken from the
 * heartbeats.
 *
 * <p>A heavy read runs on a platform thread of its own, not on the request's virtual thread:
 * virtual threads are not preempted, so a read that replays the log for seconds without blocking
 * would hold one of the few carrier threads every other request needs. The operating system
 * shares the cores between platform threads and the carriers.
 */
public final class HeavyReads {

    /** Longest a read waits in the queue before it is refused. */
    static final long QUEUE_WAIT_MILLIS = 1000;
    /** Reads that may wait, per turn. */
    static final int WAITING_PER_TURN = 16;
    /** What a refused reader is told to wait, in seconds. */
    static final String RETRY_AFTER_SECONDS = "1";

    /** A heavy read's work: answers the request. */
    @FunctionalInterface
    public interface Work {
        void run();
    }

    private final int running;
    private final int waiting;
    private final long waitMillis;
    private final Semaphore turns;
    private final Semaphore queue;
    /** As many threads as turns; idle ones end, so a server that stopped leaves none behind. */
    private final ThreadPoolExecutor threads;

    /** @param running most heavy reads at once; {@link #WAITING_PER_TURN} times as many may wait */
    public HeavyReads(int running) {
        this(running, running * WAITING_PER_TURN, QUEUE_WAIT_MILLIS);
    }

    /**
     * @param running    most heavy reads at once
     * @param waiting    most reads waiting for a turn
     * @param waitMillis longest a read waits
     */
    HeavyReads(int running, int waiting, long waitMillis) {
        if (running < 1) {
            throw new IllegalArgumentException("at least one heavy read must be let through");
        }
        this.running = running;
        this.waiting = waiting;
        this.waitMillis = waitMillis;
        this.turns = new Semaphore(running, true);
        this.queue = new Semaphore(waiting);
        AtomicInteger count = new AtomicInteger();
        this.threads =
                new ThreadPoolExecutor(running, running, 10, TimeUnit.SECONDS, new LinkedBlockingQueue<>(), r -> {
                    Thread t = new Thread(r, "heavy-read-" + count.incrementAndGet());
                    t.setDaemon(true);
                    return t;
                });
        threads.allowCoreThreadTimeOut(true);
    }

    /**
     * Runs {@code work} in a turn, on a heavy-read thread, and waits for it; its failure is
     * thrown here.
     *
     * @throws ApiException {@code 503} with {@code Retry-After} when the turns and the queue are full
     */
    public void run(Work work) {
        enter();
        try {
            Future<?> done = threads.submit(work::run);
            try {
                done.get();
            } catch (ExecutionException ex) {
                if (ex.getCause() instanceof RuntimeException r) {
                    throw r;
                }
                if (ex.getCause() instanceof Error e) {
                    throw e;
                }
                throw new IllegalStateException(ex.getCause());
            } catch (InterruptedException ex) {
                done.cancel(true);
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while a heavy read ran", ex);
            }
        } finally {
            turns.release();
        }
    }

    /** Reads waiting for a turn now. */
    int waiting() {
        return waiting - queue.availablePermits();
    }

    private void enter() {
        if (turns.tryAcquire()) {
            return;
        }
        if (!queue.tryAcquire()) {
            throw busy();
        }
        try {
            if (!turns.tryAcquire(waitMillis, TimeUnit.MILLISECONDS)) {
                throw busy();
            }
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
