package dev.registry.events.retention;

import dev.registry.events.log.EventLog;
import dev.registry.events.log.EventReader;
import dev.registry.events.snapshot.Snapshot;
import dev.registry.events.snapshot.SnapshotStore;
import java.lang.System.Logger.Level;
import java.util.Optional;

/**
 * Finds the state a pruned log starts from. After retention deleted the oldest files, the log
 * alone no longer gives the registry's state; the retention base (the state after the newest
 * deleted event) plus every event kept does.
 */
public final class RetentionBase {

    private static final System.Logger LOG = System.getLogger(RetentionBase.class.getName());

    private RetentionBase() {}

    /**
     * The base to replay {@code log} from: the retention base, if it is readable and the log holds
     * every event after it. Empty both when nothing was ever deleted (see {@link RetentionMarker})
     * and when the base is unusable (with a warning); callers tell the two apart by the marker.
     */
    public static Optional<Snapshot> load(RetentionMarker marker, SnapshotStore store, EventLog log) {
        Optional<Snapshot> base = store.loadRetentionBase();
        if (base.isEmpty()) {
            LOG.log(
                    Level.WARNING,
                    "retention deleted the log through index " + marker.throughIndex()
                            + " but its base snapshot is missing or damaged");
            return Optional.empty();
        }
        long index = base.get().index();
        // a repair that kept no event after the base records no first retained index: any later start follows it
        boolean follows = index == marker.throughIndex()
                && (log.firstIndex() == marker.firstRetainedIndex()
                        || (marker.firstRetainedIndex() < 0 && (log.firstIndex() < 0 || log.firstIndex() > index)));
        if (follows || holds(log, index)) {
            return base;
        }
        LOG.log(
                Level.WARNING,
                "the retention base at index " + index + " does not meet the log, which starts at " + log.firstIndex()
                        + " (retention kept from " + marker.firstRetainedIndex() + ")");
        return Optional.empty();
    }

    /** Whether the log still holds the event at {@code index} (so all after it too). */
    public static boolean holds(EventLog log, long index) {
        try (EventReader reader = log.reader()) {
            return reader.readAt(index) != null;
        }
    }
}
