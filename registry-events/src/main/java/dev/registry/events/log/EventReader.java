package dev.registry.events.log;

/** Reads a log in order. One thread uses a reader at a time. */
public interface EventReader extends AutoCloseable {

    /** The next event, decoded, or {@code null} when no further event is in the log yet. */
    LoggedEvent next();

    /** The next event as stored, without decoding the payload, or {@code null} at the end. */
    IndexedEncodedEvent nextEncoded();

    /** Positions the reader so that {@link #next()} returns the first event after {@code index}. */
    void seekAfter(long index);

    /**
     * Positions the reader at the first event whose index is {@code index} or greater (at the end
     * when there is none), so that any index a reader has handed out, or that plus one, resumes
     * exactly where it left off.
     */
    void seekAtOrAfter(long index);

    /** The event at {@code index}, or {@code null} when the log holds none there. Moves the reader. */
    IndexedEncodedEvent readAt(long index);

    /**
     * Whether the events read so far end what the reader had at hand, so that the next read
     * waits for the log: a follower of the log ends its batch here (wakes its waiters). A reader
     * of a local file has everything at hand and says no.
     */
    default boolean atBatchEnd() {
        return false;
    }

    @Override
    void close();

    /**
     * An encoded event with its position.
     *
     * @param writer the id of the writer that appended it ({@link EventFrame#writer()})
     */
    record IndexedEncodedEvent(long index, EncodedEvent encoded, int writer) {}
}
