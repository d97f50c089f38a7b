package dev.registry.server.observe;

import java.time.Instant;

/**
 * What the registry's components tell the metrics, as they work. Each call is cheap (an add to a
 * counter or a histogram); components take a recorder and never know how it is exported.
 * {@link #NONE} records nothing (tests, tools).
 */
public interface RegistryMetrics {

    /** Records nothing. */
    RegistryMetrics NONE = new RegistryMetrics() {};

    /** An event of this type was appended to the log. */
    default void appended(String type) {}

    /**
     * The writer appended a batch of events (the writes it took at once), which took {@code nanos}
     * in all, with the fsync the policy asks for: timed per batch, since a histogram per event cost
     * the writer thread an eighth of its time under load.
     */
    default void batchAppended(long nanos) {}

    /** A snapshot of the view up to an event of {@code eventTime} was written in {@code nanos}. */
    default void snapshotWritten(Instant eventTime, long nanos) {}

    /** A run of retention deleted {@code filesDeleted} log files, or failed. */
    default void retentionRan(int filesDeleted, boolean failed) {}

    /** An active check (periodic or live) saw this, in {@code nanos}. */
    default void checked(boolean healthy, long nanos) {}

    /** An event stream opened; the handle follows how far it has read until it is closed. */
    default StreamPosition streamOpened() {
        return StreamPosition.NONE;
    }

    /** An event stream fell too far behind and was dropped: it is told to reconnect ({@code reset}). */
    default void streamReset() {}

    /** How far one event stream has read the log; closed when the stream ends. */
    interface StreamPosition extends AutoCloseable {

        StreamPosition NONE = new StreamPosition() {
            @Override
            public void read(long timeMicros) {}

            @Override
            public void caughtUp() {}

            @Override
            public void close() {}
        };

        /** The stream read an event appended at {@code timeMicros} (epoch microseconds). */
        void read(long timeMicros);

        /** The stream has read every event in the log. */
        void caughtUp();

        @Override
        void close();
    }
}
