package dev.registry.server.retention;

import dev.registry.events.audit.Checkpoints;
import dev.registry.events.audit.HistoryIndex;
import dev.registry.events.log.ChronicleEventLog;
import dev.registry.events.log.ChronicleEventLog.RollFile;
import dev.registry.events.log.EventReader;
import dev.registry.events.log.LoggedEvent;
import dev.registry.events.projection.Projector;
import dev.registry.events.projection.RegistryView;
import dev.registry.events.retention.RetentionBase;
import dev.registry.events.retention.RetentionMarker;
import dev.registry.events.snapshot.Snapshot;
import dev.registry.events.snapshot.SnapshotStore;
import dev.registry.server.observe.RegistryMetrics;
import java.io.IOException;
import java.lang.System.Logger.Level;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * Deletes log files past the retention, on a thread of its own.
 *
 * <p>Before deleting, it replays the files about to go onto the previous retention base and
 * writes the result as the new base, then the {@link RetentionMarker}, then deletes, oldest
 * first. A crash at any step leaves a directory that starts correctly: the old base with its
 * files, or the new base with some files still to delete.
 */
public final class Pruner implements AutoCloseable {

    private static final System.Logger LOG = System.getLogger(Pruner.class.getName());

    private final Path dataDir;
    private final ChronicleEventLog log;
    private final SnapshotStore store;
    private final Checkpoints checkpoints;
    private final HistoryIndex liveHistory;
    private final RegistryView liveView;
    private final RetentionRule rule;
    private final Clock clock;
    private volatile RegistryMetrics metrics = RegistryMetrics.NONE;
    private final ScheduledExecutorService thread = Executors.newSingleThreadScheduledExecutor(
            r -> Thread.ofPlatform().name("registry-retention").daemon(true).unstarted(r));

    /**
     * @param checkpoints gets the new floor of time travel after each deletion
     * @param liveHistory forgets positions of deleted events (names still in {@code liveView} stay)
     */
    public Pruner(
            Path dataDir,
            ChronicleEventLog log,
            SnapshotStore store,
            Checkpoints checkpoints,
            HistoryIndex liveHistory,
            RegistryView liveView,
            RetentionRule rule,
            Clock clock) {
        this.liveHistory = liveHistory;
        this.liveView = liveView;
        this.dataDir = dataDir;
        this.log = log;
        this.store = store;
        this.checkpoints = checkpoints;
        this.rule = rule;
        this.clock = clock;
    }

    /** Records each run into {@code recorder}. */
    public Pruner recordInto(RegistryMetrics recorder) {
        this.metrics = recorder;
        return this;
    }

    /** Looks for files to delete every {@code period}. */
    public void start(java.time.Duration period) {
        thread.scheduleWithFixedDelay(this::pruneQuietly, period.toMillis(), period.toMillis(), TimeUnit.MILLISECONDS);
    }

    /** Deletes what is due now, on the retention thread; completes with the files deleted. */
    public List<RollFile> pruneNow() {
        try {
            return thread.submit(this::pruneRecorded).get();
        } catch (java.util.concurrent.ExecutionException ex) {
            throw new IllegalStateException("retention failed: " + ex.getCause().getMessage(), ex.getCause());
        } catch (InterruptedException ex) {
            Thread.currentThread().interrupt();
            return List.of();
        }
    }

    private void pruneQuietly() {
        try {
            pruneRecorded();
        } catch (IOException | RuntimeException ex) {
            LOG.log(Level.WARNING, "retention: nothing deleted this time: " + ex.getMessage());
        }
    }

    private List<RollFile> pruneRecorded() throws IOException {
        try {
            List<RollFile> deleted = prune();
            metrics.retentionRan(deleted.size(), false);
            return deleted;
        } catch (IOException | RuntimeException ex) {
            metrics.retentionRan(0, true);
            throw ex;
        }
    }

    private List<RollFile> prune() throws IOException {
        List<RollFile> files = log.rollFiles();
        java.util.OptionalLong newest = store.newestIndex();
        long snapshotCycle = newest.isPresent() ? log.cycleOf(newest.getAsLong()) : -1;
        List<RollFile> due = rule.due(files, log.currentCycle(), snapshotCycle, clock.instant());
        if (due.isEmpty()) {
            return due;
        }
        int lastDueCycle = due.getLast().cycle();
        Optional<RetentionMarker> marker = RetentionMarker.read(dataDir);
        Optional<Snapshot> previous =
                marker.isEmpty() ? Optional.empty() : RetentionBase.load(marker.get(), store, log);
        if (marker.isPresent() && previous.isEmpty()) {
            throw new IllegalStateException("the retention base cannot be read, so it cannot be moved forward");
        }
        RegistryView view = previous.map(s -> s.view().copy()).orElseGet(RegistryView::compact);
        HistoryIndex history =
                previous.map(s -> HistoryIndex.restore(s.history())).orElseGet(HistoryIndex::new);
        LoggedEvent last = null;
        LoggedEvent firstKept = null;
        try (EventReader reader = log.reader()) {
            previous.ifPresent(s -> reader.seekAtOrAfter(s.index() + 1));
            for (LoggedEvent e = reader.next(); e != null; e = reader.next()) {
                if (log.cycleOf(e.index()) > lastDueCycle) {
                    firstKept = e;
                    break;
                }
                Projector.apply(view, e);
                history.apply(e);
                last = e;
            }
        }
        if (firstKept == null) {
            return List.of(); // nothing after the files due yet: keep them, the log must not end in a gap
        }
        long throughIndex;
        Instant throughTime;
        if (last != null) {
            throughIndex = last.index();
            throughTime = last.event().time();
            store.writeRetentionBase(new Snapshot(throughIndex, view, history.timelines()));
            new RetentionMarker(throughIndex, throughTime, firstKept.index()).write(dataDir);
        } else if (previous.isPresent()) {
            // the base already covers these files: a crash came between the marker and the deletions
            throughIndex = previous.get().index();
            throughTime = previous.get().view().lastEventTime();
        } else {
            return List.of(); // files without events: nothing to cover, left for a later round
        }
        checkpoints.floor(new Checkpoints.Checkpoint(throughIndex, throughTime, view));
        for (RollFile f : due) {
            log.delete(f);
        }
        liveHistory.forgetBefore(firstKept.index(), name -> liveView.get(name).isPresent());
        LOG.log(
                Level.INFO,
                "retention deleted {0} log file(s) through {1}; history is available from {2}",
                due.size(),
                due.getLast().path().getFileName(),
                throughTime);
        return due;
    }

    @Override
    public void close() {
        thread.shutdownNow();
    }
}
