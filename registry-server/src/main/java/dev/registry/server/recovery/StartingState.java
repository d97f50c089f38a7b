package dev.registry.server.recovery;

import dev.registry.events.audit.Checkpoints;
import dev.registry.events.log.EventLog;
import dev.registry.events.retention.LogCompleteness;
import dev.registry.events.retention.RetentionBase;
import dev.registry.events.retention.RetentionMarker;
import dev.registry.events.snapshot.Snapshot;
import dev.registry.events.snapshot.SnapshotStore;
import java.lang.System.Logger.Level;
import java.nio.file.Path;
import java.util.Optional;

/**
 * The state a start replays the log onto, chosen so that the result is the state of the whole
 * log or the start refuses: the newest snapshot the log still holds the event of; else the
 * retention base, when retention deleted old files (or {@code --repair} started the log afresh
 * after a snapshot); else nothing (a full replay). A log that lost events its data directory
 * remembers ({@link LogCompleteness}) refuses.
 *
 * @param snapshot the state to replay the rest of the log onto; empty for a full replay
 * @param floor    the oldest state history can be answered from, once retention deleted files
 */
record StartingState(Optional<Snapshot> snapshot, Optional<Checkpoints.Checkpoint> floor) {

    private static final System.Logger LOG = System.getLogger(StartingState.class.getName());

    /**
     * @throws IllegalStateException when no state the log can be replayed onto exists: the log lost
     *                               events a snapshot had seen, or retention deleted files and
     *                               neither a snapshot nor the retention base can be read
     */
    public static StartingState choose(Path dataDir, SnapshotStore store, EventLog log) {
        LogCompleteness.missing(dataDir, log, store).ifPresent(missing -> {
            throw new IllegalStateException(
                    missing.what() + "; refusing to start on a partial history. Start with --repair "
                            + "to start from the newest snapshot and what is readable after it (the rest is set aside)");
        });
        Optional<RetentionMarker> marker = RetentionMarker.read(dataDir);
        Optional<Snapshot> base = marker.flatMap(m -> RetentionBase.load(m, store, log));
        Optional<Snapshot> snapshot = store.loadNewest().filter(s -> holds(log, s.index()));
        if (marker.isPresent() && base.isEmpty()) {
            if (snapshot.isEmpty()) {
                throw new IllegalStateException("retention deleted the log through index "
                        + marker.get().throughIndex() + " (events up to "
                        + marker.get().throughTime()
                        + "), and neither the retention base (snapshots/retention-base.snap) nor a later "
                        + "snapshot can be read: refusing to start on a partial history. Restore the "
                        + "snapshots directory from a backup.");
            }
            LOG.log(
                    Level.WARNING,
                    "history before the snapshot at index " + snapshot.get().index()
                            + " is no longer answerable: the retention base is unusable");
        }
        Optional<Checkpoints.Checkpoint> floor = marker.flatMap(m -> base.or(() -> snapshot))
                .map(s -> new Checkpoints.Checkpoint(
                        s.index(), s.view().lastEventTime(), s.view().copy()));
        Optional<Snapshot> start = snapshot.or(() -> base);
        start.ifPresent(s -> log.continueAfter(s.index())); // a repaired log may end before its base
        return new StartingState(start, floor);
    }

    /** A snapshot counts only if the log still holds the event it was taken at. */
    private static boolean holds(EventLog log, long index) {
        if (RetentionBase.holds(log, index)) {
            return true;
        }
        LOG.log(Level.WARNING, "ignoring the snapshot at index {0}: the log no longer holds that event", index);
        return false;
    }
}
