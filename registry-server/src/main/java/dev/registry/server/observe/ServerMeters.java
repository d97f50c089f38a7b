package dev.registry.server.observe;

import dev.registry.api.ServiceRecord;
import dev.registry.events.projection.RegistryView;
import dev.registry.server.rules.HealthRules;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.function.IntSupplier;
import java.util.function.Supplier;

/**
 * One server's part of the meters: it records what its components report into the process's
 * counters and histograms ({@link ProcessMeters}), and answers the gauges from its own state
 * while it runs ({@link #watch} to {@link #close}). What is reported before the process's meters
 * are made waits for them ({@link Deferred}).
 */
public final class ServerMeters implements RegistryMetrics, AutoCloseable {

    private static final Duration COUNTS_VALID = Duration.ofSeconds(1);

    private final Deferred<ProcessMeters> meters;
    private final Set<Position> streams = ConcurrentHashMap.newKeySet();
    private volatile Sources sources;
    private volatile Instant lastSnapshotEventTime;
    private volatile RecordCounts counts;

    /**
     * What the gauges read.
     *
     * @param view             the live view
     * @param rules            what healthy means
     * @param clock            the server's clock
     * @param writerQueue      commands waiting for the writer
     * @param blockingWaiting  blocking queries waiting for the view to change
     * @param logFiles         the log's files now
     * @param lastSnapshotTime event time of the snapshot the server started from, if any
     * @param checksInFlight   active checks running now
     * @param version          the server's version
     */
    public record Sources(
            RegistryView view,
            HealthRules rules,
            Clock clock,
            IntSupplier writerQueue,
            IntSupplier blockingWaiting,
            Supplier<List<Path>> logFiles,
            Optional<Instant> lastSnapshotTime,
            IntSupplier checksInFlight,
            String version) {}

    ServerMeters(Deferred<ProcessMeters> meters) {
        this.meters = meters;
    }

    /** The gauges read this server's state from {@code sources} from now on. */
    public void watch(Sources sources) {
        this.sources = sources;
        if (lastSnapshotEventTime == null) {
            lastSnapshotEventTime = sources.lastSnapshotTime().orElse(null);
        }
        meters.use(m -> m.join(this, sources.version()));
    }

    @Override
    public void appended(String type) {
        ProcessMeters m = meters.now(); // per event: no lambda once the meters are made
        if (m != null) {
            m.appended(type).increment();
        } else {
            meters.use(late -> late.appended(type).increment());
        }
    }

    @Override
    public void batchAppended(long nanos) {
        ProcessMeters m = meters.now();
        if (m != null) {
            m.appendTime.record(nanos);
        } else {
            meters.use(late -> late.appendTime.record(nanos));
        }
    }

    @Override
    public void snapshotWritten(Instant eventTime, long nanos) {
        lastSnapshotEventTime = eventTime;
        meters.use(m -> m.snapshotTime.record(nanos, TimeUnit.NANOSECONDS));
    }

    @Override
    public void retentionRan(int filesDeleted, boolean failed) {
        meters.use(m -> {
            (failed ? m.retentionFailed : filesDeleted > 0 ? m.retentionDeleted : m.retentionNothing).increment();
            m.retentionFiles.increment(filesDeleted);
        });
    }

    @Override
    public void checked(boolean healthy, long nanos) {
        meters.use(m -> {
            (healthy ? m.checksHealthy : m.checksUnhealthy).increment();
            m.checkTime.record(nanos, TimeUnit.NANOSECONDS);
        });
    }

    @Override
    public void streamReset() {
        meters.use(m -> m.streamResets.increment());
    }

    @Override
    public StreamPosition streamOpened() {
        Position p = new Position();
        streams.add(p);
        return p;
    }

    /** The gauges no longer read this server. */
    @Override
    public void close() {
        meters.use(m -> m.leave(this));
    }

    int records() {
        return counts().total();
    }

    int healthy() {
        return counts().healthy();
    }

    int writerQueue() {
        return sources.writerQueue().getAsInt();
    }

    int blockingWaiting() {
        return sources.blockingWaiting().getAsInt();
    }

    int checksInFlight() {
        return sources.checksInFlight().getAsInt();
    }

    int logFiles() {
        return sources.logFiles().get().size();
    }

    long logBytes() {
        long bytes = 0;
        for (Path file : sources.logFiles().get()) {
            try {
                bytes += Files.size(file);
            } catch (IOException | UncheckedIOException gone) {
                // deleted by retention since it was listed
            }
        }
        return bytes;
    }

    int streamSubscribers() {
        return streams.size();
    }

    double snapshotAgeSeconds() {
        Instant last = lastSnapshotEventTime;
        return last == null
                ? -1
                : Duration.between(last, sources.clock().instant()).toMillis() / 1000.0;
    }

    double streamLagSeconds() {
        long newest = micros(sources.view().lastEventTime());
        long lag = 0;
        for (Position p : streams) {
            if (!p.caughtUp && p.readMicros > 0) {
                lag = Math.max(lag, newest - p.readMicros);
            }
        }
        return lag / 1e6;
    }

    /**
     * The record counts, counted again when the view changed or a second passed (health also turns
     * with time), not for each of the three gauges of one scrape.
     */
    private RecordCounts counts() {
        Instant now = sources.clock().instant();
        long index = sources.view().lastIndex();
        RecordCounts c = counts;
        if (c != null && c.index() == index && now.isBefore(c.at().plus(COUNTS_VALID)) && !now.isBefore(c.at())) {
            return c;
        }
        int total = 0;
        int healthy = 0;
        for (ServiceRecord r : sources.view().records()) {
            total++;
            if (sources.rules().isHealthy(r, now)) {
                healthy++;
            }
        }
        c = new RecordCounts(now, index, total, healthy);
        counts = c;
        return c;
    }

    private record RecordCounts(Instant at, long index, int total, int healthy) {}

    private static long micros(Instant t) {
        return TimeUnit.SECONDS.toMicros(t.getEpochSecond()) + t.getNano() / 1000;
    }

    private final class Position implements StreamPosition {
        private volatile long readMicros;
        private volatile boolean caughtUp = true;

        @Override
        public void read(long timeMicros) {
            readMicros = timeMicros;
            caughtUp = false;
        }

        @Override
        public void caughtUp() {
            caughtUp = true;
        }

        @Override
        public void close() {
            streams.remove(this);
        }
    }
}
