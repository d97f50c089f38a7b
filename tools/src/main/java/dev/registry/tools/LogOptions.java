package dev.registry.tools;

import dev.registry.cli.Defaults;
import dev.registry.events.audit.Checkpoints;
import dev.registry.events.log.ChronicleEventLog;
import dev.registry.events.log.EventLog;
import dev.registry.events.retention.RetentionBase;
import dev.registry.events.retention.RetentionMarker;
import dev.registry.events.snapshot.Snapshot;
import dev.registry.events.snapshot.SnapshotStore;
import picocli.CommandLine.Option;

import java.nio.file.Path;
import java.util.Optional;

/** Options every log tool takes: where the log is, and whether to print JSON. */
public final class LogOptions {

    @Option(names = "--data-dir", defaultValue = "${env:REGISTRY_DATA_DIR:-" + Defaults.DATA_DIR + "}",
            description = "The registry's data directory (env REGISTRY_DATA_DIR; default ${DEFAULT-VALUE}).")
    public Path dataDir;

    @Option(names = "--json", description = "Print JSON for scripts instead of a table.")
    public boolean json;

    /** Opens the log read-only; safe while a server writes it. */
    public ChronicleEventLog open() {
        return ChronicleEventLog.openReadOnly(dataDir);
    }

    /**
     * The state {@code log} starts from: empty when retention never deleted anything from it,
     * else the retention base (the state after the newest deleted event).
     *
     * @throws IllegalStateException when retention deleted files and the base cannot be read
     */
    public Optional<Snapshot> retentionBase(EventLog log) {
        Optional<RetentionMarker> marker = RetentionMarker.read(dataDir);
        if (marker.isEmpty()) {
            return Optional.empty();
        }
        Optional<Snapshot> base = RetentionBase.load(marker.get(), new SnapshotStore(dataDir, Integer.MAX_VALUE), log);
        if (base.isEmpty()) {
            throw new IllegalStateException("retention deleted the log through index " + marker.get().throughIndex()
                    + " and its base (snapshots/retention-base.snap) cannot be read: the log alone is a partial history");
        }
        return base;
    }

    /** Where time travel on {@code log} may start from: the retention base, if any. */
    public Checkpoints checkpoints(EventLog log) {
        return Checkpoints.floorOnly(retentionBase(log).map(
                s -> new Checkpoints.Checkpoint(s.index(), s.view().lastEventTime(), s.view())));
    }
}
