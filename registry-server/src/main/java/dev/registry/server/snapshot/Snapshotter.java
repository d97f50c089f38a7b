package dev.registry.server.snapshot;

import dev.registry.events.audit.HistoryIndex;
import dev.registry.events.log.LoggedEvent;
import dev.registry.events.projection.Projection;
import dev.registry.events.projection.RegistryView;
import dev.registry.events.snapshot.Snapshot;
import dev.registry.events.snapshot.SnapshotStore;
import dev.registry.server.observe.RegistryMetrics;
import java.io.IOException;
import java.lang.System.Logger.Level;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

/**
 * Takes a snapshot every so many events or so much (event) time. As the last projection on the
 * writer's thread it copies the view and history index at an exact log index, then writes them on
 * a thread of its own, so the writer pays for the copy, not for the disk. One write at a time;
 * while one runs, the next snapshot waits for the following event.
 */
public final class Snapshotter implements Projection, AutoCloseable {

    private static final System.Logger LOG = System.getLogger(Snapshotter.class.getName());

    private final RegistryView view;
    private final HistoryIndex history;
    private final SnapshotStore store;
    private final long everyEvents;
    private final Duration interval;
    private final ExecutorService disk = Executors.newSingleThreadExecutor(
            r -> Thread.ofPlatform().name("registry-snapshot").daemon(true).unstarted(r));
    private volatile RegistryMetrics metrics = RegistryMetrics.NONE;
    private volatile boolean enabled;
    private long sinceLast;
    private Instant lastTime;
    private Future<?> writing;

    /**
     * @param everyEvents snapshot after this many events (0: never by count)
     * @param interval    snapshot when this much event time passed since the last (zero: never by time)
     */
    public Snapshotter(
            RegistryView view, HistoryIndex history, SnapshotStore store, long everyEvents, Duration interval) {
        this.view = view;
        this.history = history;
        this.store = store;
        this.everyEvents = everyEvents;
        this.interval = interval;
    }

    /** Records each snapshot written into {@code recorder}. */
    public Snapshotter recordInto(RegistryMetrics recorder) {
        this.metrics = recorder;
        return this;
    }

    /** Starts taking snapshots (not during the start-up replay, whose end the caller knows). */
    public void enable(Instant since) {
        lastTime = since;
        enabled = true;
    }

    @Override
    public void apply(LoggedEvent event) {
        sinceLast++;
        if (!enabled || (writing != null && !writing.isDone())) {
            return;
        }
        Instant time = event.event().time();
        boolean byCount = everyEvents > 0 && sinceLast >= everyEvents;
        boolean byTime = !interval.isZero() && !time.isBefore(lastTime.plus(interval));
        if (byCount || byTime) {
            takeNow(event.index(), time);
        }
    }

    private void takeNow(long index, Instant time) {
        Snapshot snapshot = new Snapshot(index, view.copy(), history.timelines());
        sinceLast = 0;
        lastTime = time;
        writing = disk.submit(() -> {
            try {
                long t0 = System.nanoTime();
                store.write(snapshot);
                metrics.snapshotWritten(time, System.nanoTime() - t0);
                LOG.log(
                        Level.INFO,
                        "snapshot at index {0} ({1} records) written in {2} ms",
                        index,
                        snapshot.view().size(),
                        (System.nanoTime() - t0) / 1_000_000);
            } catch (IOException | RuntimeException ex) {
                LOG.log(Level.WARNING, "snapshot at index " + index + " not written: " + ex.getMessage());
            }
        });
    }

    /** Lets a running write finish. */
    @Override
    public void close() {
        enabled = false;
        disk.shutdown();
        try {
            disk.awaitTermination(30, TimeUnit.SECONDS);
        } catch (InterruptedException ex) {
            Thread.currentThread().interrupt();
        }
    }
}
