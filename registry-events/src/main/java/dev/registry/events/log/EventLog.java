package dev.registry.events.log;

import dev.registry.events.event.RegistryEvent;

/**
 * The durable, append-only log of registry events.
 *
 * <p>Positions are opaque, strictly increasing longs; nothing outside this package may assume
 * how they are numbered, so that another log (a replicated one) can take this one's place.
 * Appends never overlap: one writer at a time appends, from any thread, each append (and sync)
 * ordered after the last by the writer's lock; any number of readers read, each with its own
 * {@link EventReader}. An appending thread must not be interrupted (file channels close for good
 * on an interrupt).
 */
public interface EventLog extends AutoCloseable {

    /**
     * Appends {@code event} and returns its position. When this returns, the event is in the log
     * and survives a crash of this process.
     */
    long append(RegistryEvent event);

    /**
     * Forces every appended event to stable storage (fsync/msync), so it survives a power loss,
     * not only a crash of the process. Called by the writer, as appends are.
     */
    void sync();

    /**
     * Makes every later append take a position after {@code index}, also when the log ends before
     * it: a log repaired onto a snapshot whose events it lost must not hand out the lost positions
     * again. A log whose positions only ever grow has nothing to do.
     */
    default void continueAfter(long index) {}

    /** A new reader positioned before the first event. */
    EventReader reader();

    /** Index of the oldest event in the log, or -1 when it is empty. */
    long firstIndex();

    /**
     * Index of the newest event in the log as its files record it, or -1 when it is empty. A
     * reader that stops before it has met damage that hides the rest of the log.
     */
    long lastIndex();

    @Override
    void close();
}
