package dev.registry.events.log;

/** Reads a log in order. One thread uses a reader at a time. */
public interface EventReader extends AutoCloseable {

    /** The next event, decoded, or {@code null} when no further event is in the log yet. */
    LoggedEvent next();

    /** The next event as stored, without decoding the payload, or {@code null} at the end. */
    IndexedEncodedEvent nextEncoded();

    /** Positions the reader so that {@link #next()} returns the first event after {@code index}. */
    void seekAfter(long index);

    @Override
    void close();

    /** An encoded event with its position. */
    record IndexedEncodedEvent(long index, EncodedEvent encoded) {
    }
}
