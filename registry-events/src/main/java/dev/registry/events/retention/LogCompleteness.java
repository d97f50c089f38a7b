package dev.registry.events.retention;

import dev.registry.events.log.EventLog;
import dev.registry.events.log.LogIdentity;
import dev.registry.events.snapshot.SnapshotStore;
import java.nio.file.Path;
import java.util.Optional;

/**
 * Whether a log still holds every event its data directory says it held. The directory remembers
 * three things beside the log: its {@link LogIdentity identity} (the first event's index), the
 * newest snapshot (an index the log reached), and the {@link RetentionMarker} (where retention
 * cut the log's head). A log that falls short of any of them lost events, and a start on it would
 * serve a partial fleet as if it were whole.
 */
public final class LogCompleteness {

    private LogCompleteness() {}

    /**
     * What a log lacks.
     *
     * @param index the first index it lacks (for a log that ends early: the one after its end)
     * @param what  one line: what is missing, and what says it should be there
     */
    public record Missing(long index, String what) {}

    /**
     * What the log in {@code dataDir} is missing, in one line; empty when nothing is.
     *
     * @throws IllegalStateException when the identity or the retention marker cannot be read
     */
    public static Optional<Missing> missing(Path dataDir, EventLog log, SnapshotStore store) {
        long first = log.firstIndex();
        long last = log.lastIndex();
        Optional<RetentionMarker> marker = RetentionMarker.read(dataDir);
        if (marker.isPresent()) {
            long kept = marker.get().firstRetainedIndex();
            if (kept >= 0 && (first < 0 || first > kept)) {
                return Optional.of(new Missing(
                        kept,
                        "retention kept the log from index " + kept + ", but the log "
                                + (first < 0 ? "is empty" : "starts at index " + first)
                                + ": files after the ones it deleted are missing"));
            }
        } else {
            Optional<LogIdentity> identity = LogIdentity.read(dataDir);
            if (identity.isPresent() && identity.get().firstIndex() >= 0) {
                long expected = identity.get().firstIndex();
                if (first < 0) {
                    return Optional.of(new Missing(
                            expected,
                            "the log is empty, but " + LogIdentity.FILE + " says it held events from index "
                                    + expected));
                }
                if (first != expected) {
                    return Optional.of(new Missing(
                            expected,
                            "the log starts at index " + first + ", but its first event " + "was at index " + expected
                                    + " (" + LogIdentity.FILE + "): its oldest roll file(s) are missing"));
                }
            }
        }
        java.util.OptionalLong newest = store.newestIndex();
        if (newest.isPresent() && newest.getAsLong() > last) {
            return Optional.of(new Missing(
                    last + 1,
                    "the log ends " + (last < 0 ? "before any event" : "at index " + last)
                            + ", but a snapshot was taken at index " + newest.getAsLong() + ": the log lost events"));
        }
        return Optional.empty();
    }
}
