package dev.registry.server.replication;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicReferenceArray;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The outcomes of the most recent events the tail applied, by position, for the writers waiting
 * for them. A writer learns its event's position from Kafka's acknowledgement and may ask before
 * or after the tail got there, so the tail keeps the last {@link #CAPACITY} outcomes in a ring;
 * an acknowledgement that comes after that many further events is told the outcome is gone.
 */
final class Outcomes {

    /** Outcomes kept: about a second of events at 50,000 writes/s. */
    static final int CAPACITY = 1 << 16;

    private final AtomicReferenceArray<Outcome> ring = new AtomicReferenceArray<>(CAPACITY);
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition advanced = lock.newCondition();
    private volatile long applied = -1;
    private volatile boolean closed;

    /** The tail applied {@code outcome}'s event. */
    void record(Outcome outcome) {
        long index = outcome.event().index();
        ring.set(slot(index), outcome);
    }

    /** The tail applied everything through {@code index}; waiters for it wake. */
    void appliedThrough(long index) {
        applied = index;
        lock.lock();
        try {
            advanced.signalAll();
        } finally {
            lock.unlock();
        }
    }

    /** The position the tail has applied through. */
    long applied() {
        return applied;
    }

    /**
     * Waits until the tail applied the event at {@code index}, at most {@code max}.
     *
     * @return its outcome
     * @throws OutcomeUnknownException when the wait ran out, the tail stopped, or the outcome
     *                                 left the ring before it was asked for
     */
    Outcome await(long index, Duration max) throws InterruptedException {
        long deadline = System.nanoTime() + max.toNanos();
        lock.lock();
        try {
            while (applied < index) {
                if (closed) {
                    throw new OutcomeUnknownException("the registry is stopping");
                }
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    throw new OutcomeUnknownException("the event at " + index + " was acknowledged by Kafka but not "
                            + "read back within " + max.toSeconds() + " s");
                }
                advanced.awaitNanos(left);
            }
        } finally {
            lock.unlock();
        }
        Outcome outcome = ring.get(slot(index));
        if (outcome == null || outcome.event().index() != index) {
            throw new OutcomeUnknownException("the outcome of the event at " + index + " is no longer kept");
        }
        return outcome;
    }

    /** Wakes every waiter for good. */
    void close() {
        closed = true;
        appliedThrough(applied);
    }

    private static int slot(long index) {
        return (int) Math.floorMod(index, (long) CAPACITY);
    }

    /** A write whose event is in the log but whose outcome this node could not learn. */
    static final class OutcomeUnknownException extends RuntimeException {
        OutcomeUnknownException(String message) {
            super(message, null, false, false);
        }
    }
}
