package dev.registry.server.recovery;

import dev.registry.events.audit.Checkpoints;
import dev.registry.events.audit.HistoryIndex;
import dev.registry.events.log.ChronicleEventLog;
import dev.registry.events.projection.Projection;
import dev.registry.events.projection.RegistryView;
import dev.registry.events.snapshot.Snapshot;
import dev.registry.events.snapshot.SnapshotStore;
import dev.registry.server.config.DataDirLock;
import dev.registry.server.config.RegistrySettings;
import dev.registry.server.discovery.ViewChanges;
import dev.registry.server.logging.LifecycleLog;
import dev.registry.server.node.Node;
import dev.registry.server.observe.RegistryMetrics;
import dev.registry.server.retention.Pruner;
import dev.registry.server.retention.RetentionRule;
import dev.registry.server.rules.HealthDeadlines;
import dev.registry.server.rules.HealthRules;
import dev.registry.server.snapshot.Snapshotter;
import dev.registry.server.write.DiskGuard;
import dev.registry.server.write.RegistryWriter;
import dev.registry.server.write.SyncPolicy;
import java.lang.System.Logger.Level;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.function.BooleanSupplier;
import java.util.function.LongSupplier;

/**
 * One registry on its embedded Chronicle log: it holds the data directory's lock, repairs the
 * log if asked, replays it onto the newest snapshot (or the retention base), and writes through
 * the single {@link RegistryWriter}. A read-only directory still serves its log.
 */
public final class LocalNode {

    private static final System.Logger LOG = System.getLogger(LocalNode.class.getName());
    /** Fewest events between two checkpoints of the view for point-in-time queries. */
    private static final int CHECKPOINT_SPACING = 16_384;
    /** Snapshots kept on disk: the newest, and two to fall back on if it is damaged. */
    public static final int SNAPSHOTS_KEPT = 3;
    /** How often retention looks for log files to delete. */
    private static final Duration PRUNE_PERIOD = Duration.ofMinutes(1);

    private LocalNode() {}

    /** Opens the log in the settings' data directory and replays it. */
    public static Node open(
            RegistrySettings settings, Clock clock, LongSupplier usableDiskBytes, RegistryMetrics metrics) {
        Instant startedAt = clock.instant();
        Path dataDir = settings.dataDir();
        // A read-only directory (a read-only mount, say) still serves its log; nobody can write to it.
        boolean readOnly = DiskGuard.isReadOnly(dataDir);
        String readOnlyCause = "the data directory " + dataDir.toAbsolutePath().normalize()
                + " is read-only: writes are refused until the registry is restarted on a writable one";
        DataDirLock lock = readOnly ? DataDirLock.notNeeded() : DataDirLock.acquire(dataDir);
        ChronicleEventLog log;
        try {
            if (readOnly) {
                log = openReadOnly(dataDir, settings.repair());
                LOG.log(Level.WARNING, readOnlyCause);
            } else {
                if (settings.repair()) {
                    LogRepair.run(dataDir, startedAt, SNAPSHOTS_KEPT);
                }
                log = ChronicleEventLog.openForWriting(
                        dataDir, settings.sync() != SyncPolicy.NONE, settings.roll(), clock);
            }
        } catch (RuntimeException ex) {
            lock.close();
            throw ex;
        }
        try {
            long t0 = System.nanoTime();
            SnapshotStore store = new SnapshotStore(dataDir, SNAPSHOTS_KEPT);
            if (!readOnly) {
                store.removeUnfinished(); // a kill during a snapshot's write leaves its temporary file
            }
            StartingState state = StartingState.choose(dataDir, store, log);
            Optional<Snapshot> start = state.snapshot();
            RegistryView view = start.map(Snapshot::view).orElseGet(RegistryView::new); // the floor has its own copy
            HistoryIndex history =
                    start.map(s -> HistoryIndex.restore(s.history())).orElseGet(HistoryIndex::new);
            Checkpoints checkpoints = new Checkpoints(view, CHECKPOINT_SPACING);
            state.floor().ifPresent(checkpoints::floor);
            start.filter(s -> state.floor().map(f -> f.index() != s.index()).orElse(true))
                    .ifPresent(s -> checkpoints.seed(
                            s.index(), s.view().lastEventTime(), s.view().copy()));
            ViewChanges changes = new ViewChanges(-1);
            Snapshotter snapshotter = new Snapshotter(
                            view, history, store, settings.snapshotEvery(), settings.snapshotInterval())
                    .recordInto(metrics);
            HealthRules rules = new HealthRules(settings.heartbeatTtl(), settings.staleAfter());
            HealthDeadlines deadlines = new HealthDeadlines(rules, view);
            deadlines.scheduleAll(); // the snapshot's records, if it started from one
            LifecycleLog lifecycleLog = new LifecycleLog(view);
            Projection projection = Projection.onView(
                    view, List.of(deadlines, history, checkpoints, changes, snapshotter, lifecycleLog));
            Replay replay =
                    Replay.run(log, projection, start.map(Snapshot::index).orElse(null));
            // a snapshot from before retention's last deletion still knows where deleted events were
            state.floor()
                    .ifPresent(f -> history.forgetBefore(
                            f.index() + 1, name -> view.get(name).isPresent()));
            LOG.log(
                    Level.INFO,
                    "replayed {0} events from {1}{2} in {3} ms",
                    replay.events(),
                    dataDir.toAbsolutePath().normalize(),
                    start.map(s -> " after the snapshot at index " + s.index()).orElse(""),
                    (System.nanoTime() - t0) / 1_000_000);

            lifecycleLog.enable(); // a line per lifecycle event from here on, not for the replayed ones
            Instant lastTime =
                    replay.lastTime().isAfter(view.lastEventTime()) ? replay.lastTime() : view.lastEventTime();
            BooleanSupplier dirReadOnly = readOnly ? () -> true : () -> DiskGuard.isReadOnly(dataDir);
            RegistryWriter writer = new RegistryWriter(
                            log,
                            view,
                            projection,
                            clock,
                            lastTime,
                            settings.sync(),
                            new DiskGuard(
                                    usableDiskBytes,
                                    dirReadOnly,
                                    readOnly
                                            ? readOnlyCause
                                            : "the data directory "
                                                    + dataDir.toAbsolutePath().normalize() + " has become read-only",
                                    settings.minFreeSpace()))
                    .recordInto(metrics);
            if (!readOnly) {
                snapshotter.enable(startedAt); // by time: the first snapshot one interval after the start
            }
            Pruner pruner = new Pruner(
                            dataDir,
                            log,
                            store,
                            checkpoints,
                            history,
                            view,
                            new RetentionRule(settings.retention()),
                            clock)
                    .recordInto(metrics);
            Node.Lifecycle lifecycle = new Node.Lifecycle() {
                @Override
                public void start() {
                    if (!readOnly) {
                        pruner.start(PRUNE_PERIOD);
                    }
                }

                @Override
                public String stop() {
                    pruner.close();
                    boolean writerEnded = writer.stop();
                    snapshotter.close();
                    long last = log.lastIndex();
                    if (!writerEnded) {
                        // closing would unmap the files under the append still running: the
                        // process's exit closes them instead, after the writer's last event
                        return "the writer was still appending after "
                                + RegistryWriter.STOP_WAIT.multipliedBy(2).toSeconds()
                                + " s, so the log is left open for the process's exit to close; the log reached index "
                                + last;
                    }
                    log.close();
                    lock.close();
                    long appended = writer.appendedCount();
                    return appended + (appended == 1 ? " event" : " events") + " appended since the start"
                            + (settings.sync() == SyncPolicy.NONE
                                    ? " (in the page cache, which the system writes out; --fsync none)"
                                    : " (forced to disk, --fsync "
                                            + settings.sync().name().toLowerCase(java.util.Locale.ROOT) + ")")
                            + ", the log ends at index " + last;
                }
            };
            // the restart grace: one full stale period before anything may be evicted
            return new Node(
                    log,
                    view,
                    writer,
                    history,
                    checkpoints,
                    changes,
                    rules,
                    deadlines,
                    () -> true,
                    () -> false,
                    settings.staleAfter(),
                    Optional.of(pruner),
                    new Node.Recovery(start.map(Snapshot::index), replay.events()),
                    List.of(),
                    new Node.Meters(
                            writer::queueDepth,
                            () -> log.rollFiles().stream()
                                    .map(ChronicleEventLog.RollFile::path)
                                    .toList(),
                            writer::failure,
                            start.map(s -> s.view().lastEventTime())),
                    lifecycle);
        } catch (RuntimeException ex) {
            log.close();
            lock.close();
            throw ex;
        }
    }

    private static ChronicleEventLog openReadOnly(Path dataDir, boolean repair) {
        if (repair) {
            throw new IllegalStateException("--repair needs a writable data directory; " + dataDir + " is read-only");
        }
        try {
            return ChronicleEventLog.openReadOnly(dataDir);
        } catch (IllegalArgumentException | IllegalStateException ex) {
            throw new IllegalStateException(
                    "the data directory " + dataDir + " is read-only and holds no log to serve (" + ex.getMessage()
                            + ")",
                    ex);
        }
    }
}
