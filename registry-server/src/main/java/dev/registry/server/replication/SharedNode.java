package dev.registry.server.replication;

import dev.registry.events.audit.Checkpoints;
import dev.registry.events.audit.HistoryIndex;
import dev.registry.events.log.EventReader;
import dev.registry.events.projection.Projection;
import dev.registry.events.projection.RegistryView;
import dev.registry.events.snapshot.Snapshot;
import dev.registry.events.snapshot.SnapshotStore;
import dev.registry.kafka.KafkaEventLog;
import dev.registry.kafka.KafkaLogSettings;
import dev.registry.server.config.DataDirLock;
import dev.registry.server.config.KafkaSettings;
import dev.registry.server.config.RegistrySettings;
import dev.registry.server.discovery.ViewChanges;
import dev.registry.server.logging.LifecycleLog;
import dev.registry.server.node.Node;
import dev.registry.server.observe.RegistryMetrics;
import dev.registry.server.rules.HealthDeadlines;
import dev.registry.server.rules.HealthRules;
import dev.registry.server.snapshot.Snapshotter;
import java.lang.System.Logger.Level;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * One registry node of several on a Kafka topic ({@code --log kafka}). Its own state lives in
 * {@code DATA_DIR/kafka/TOPIC} (the lock and the snapshots, whose indexes are the topic's
 * offsets); it starts from its newest snapshot or the topic's beginning, catches up with the
 * whole topic before it serves, and from then on applies every event on its {@link LogTail}.
 * Writes go through the {@link ReplicatedWriter}, time-driven work to whoever holds the lease
 * ({@link LeaseKeeper}); Kafka's retention is the log's.
 */
public final class SharedNode {

    private static final System.Logger LOG = System.getLogger(SharedNode.class.getName());
    private static final int CHECKPOINT_SPACING = 16_384;
    private static final int SNAPSHOTS_KEPT = 3;
    /** Without an answer from Kafka for this long, reads are marked stale and writes refused. */
    static final Duration STALE_AFTER = Duration.ofSeconds(5);
    /** Longest a start waits to catch up with the topic before it serves. */
    private static final Duration CATCH_UP = Duration.ofMinutes(10);

    private SharedNode() {}

    /** Opens the topic, rebuilds this node's state from it, and has it follow the topic. */
    public static Node open(RegistrySettings settings, Clock clock, RegistryMetrics metrics) {
        Instant startedAt = clock.instant();
        KafkaSettings kafka = settings.kafka();
        Path stateDir = stateDirectory(settings.dataDir(), kafka.topic());
        DataDirLock lock = DataDirLock.acquire(stateDir);
        KafkaEventLog log;
        try {
            log = KafkaEventLog.open(
                    KafkaLogSettings.of(kafka.bootstrap(), kafka.nodeId())
                            .withTopic(kafka.topic())
                            .withClientProperties(kafka.clientProperties()),
                    clock);
        } catch (RuntimeException ex) {
            lock.close();
            throw ex;
        }
        try {
            long t0 = System.nanoTime();
            SnapshotStore store = new SnapshotStore(stateDir, SNAPSHOTS_KEPT);
            store.removeUnfinished(); // a kill during a snapshot's write leaves its temporary file
            Optional<Snapshot> start = store.loadNewest();
            long first = log.firstIndex();
            long after = start.map(Snapshot::index).orElse(-1L);
            if (first > after + 1 && kafka.bootstrapFrom() != null) {
                start = Optional.of(SnapshotDownload.into(store, kafka.bootstrapFrom(), settings.token(), first));
                after = start.get().index();
            }
            if (first > after + 1) {
                throw new IllegalStateException("Kafka no longer holds the events of topic '" + kafka.topic()
                        + "' from offset " + (after + 1) + " (it begins at " + first + ")"
                        + (start.isPresent() ? ", after this node's newest snapshot" : " and this node has no snapshot")
                        + "; start with --bootstrap-from URL of a running node to load its snapshot");
            }
            RegistryView view = start.map(Snapshot::view).orElseGet(RegistryView::new);
            HistoryIndex history =
                    start.map(s -> HistoryIndex.restore(s.history())).orElseGet(HistoryIndex::new);
            Checkpoints checkpoints = new Checkpoints(view, CHECKPOINT_SPACING);
            if (first > 0) {
                // the topic's beginning is gone: time travel starts at the snapshot, as after retention
                start.ifPresent(s -> checkpoints.floor(new Checkpoints.Checkpoint(
                        s.index(), s.view().lastEventTime(), s.view().copy())));
            } else {
                start.ifPresent(s -> checkpoints.seed(
                        s.index(), s.view().lastEventTime(), s.view().copy()));
            }
            ViewChanges changes = new ViewChanges(view.lastIndex());
            Snapshotter snapshotter = new Snapshotter(
                            view, history, store, settings.snapshotEvery(), settings.snapshotInterval())
                    .recordInto(metrics);
            HealthRules rules = new HealthRules(settings.heartbeatTtl(), settings.staleAfter());
            HealthDeadlines deadlines = new HealthDeadlines(rules, view);
            deadlines.scheduleAll();
            LifecycleLog lifecycleLog = new LifecycleLog(view);
            Projection.OnView projection = Projection.onView(
                    view, List.of(deadlines, history, checkpoints, changes, snapshotter, lifecycleLog));
            EventReader reader = log.reader();
            reader.seekAtOrAfter(after + 1);
            LogTail tail = new LogTail(reader, projection, view);
            long end = log.lastIndex();
            tail.start();
            catchUp(tail, end, kafka.topic());
            lifecycleLog.enable(); // a line per lifecycle event from here on, not for the ones caught up with
            long replayed = Math.max(0, view.lastIndex() - after);
            LOG.log(
                    Level.INFO,
                    "caught up with topic {0} through offset {1} ({2} events{3}) in {4} ms",
                    kafka.topic(),
                    String.valueOf(view.lastIndex()),
                    String.valueOf(replayed),
                    start.map(s -> " after the snapshot at offset " + s.index()).orElse(""),
                    (System.nanoTime() - t0) / 1_000_000);

            snapshotter.enable(startedAt);
            LeaseKeeper[] keeper = new LeaseKeeper[1];
            ReplicatedWriter writer =
                    new ReplicatedWriter(log, view, tail, clock, STALE_AFTER, () -> keeper[0].epoch(), metrics);
            keeper[0] = new LeaseKeeper(kafka.nodeId(), view, writer, clock);
            LeaseKeeper lease = keeper[0];
            Node.Lifecycle lifecycle = new Node.Lifecycle() {
                @Override
                public void start() {
                    lease.start();
                }

                @Override
                public String stop() {
                    lease.close();
                    long last = view.lastIndex();
                    tail.close();
                    snapshotter.close();
                    log.close();
                    lock.close();
                    return writer.appended() + " events appended by this node (" + kafka.nodeId()
                            + ") since the start, acknowledged by Kafka; its state reached offset " + last
                            + " of topic " + kafka.topic();
                }
            };
            return new Node(
                    log,
                    view,
                    writer,
                    history,
                    checkpoints,
                    changes,
                    rules,
                    deadlines,
                    () -> lease.holds(clock.instant()),
                    () -> !log.contact().isRecent(STALE_AFTER),
                    restartGrace(view, clock.instant(), settings.staleAfter()),
                    Optional.empty(),
                    new Node.Recovery(start.map(Snapshot::index), replayed),
                    List.of(new SnapshotSource(store, settings.token())),
                    new Node.Meters(
                            () -> 0,
                            List::of,
                            tail::failure,
                            start.map(s -> s.view().lastEventTime())),
                    lifecycle);
        } catch (RuntimeException ex) {
            log.close();
            lock.close();
            throw ex;
        }
    }

    /** Where a node keeps its own state for a topic: its lock and snapshots. */
    static Path stateDirectory(Path dataDir, String topic) {
        return dataDir.resolve("kafka").resolve(topic);
    }

    /**
     * The restart grace exists because clients could not heartbeat while the registry was down.
     * With several nodes that holds only when none was up: when no lease was held lately. A node
     * joining running ones gives none (the latest grace in the log stands).
     */
    static Duration restartGrace(RegistryView view, Instant now, Duration staleAfter) {
        boolean othersUp = view.lease()
                .map(l -> l.until().plus(LeaseKeeper.LEASE).isAfter(now))
                .orElse(false);
        return othersUp ? Duration.ZERO : staleAfter;
    }

    private static void catchUp(LogTail tail, long end, String topic) {
        try {
            if (end >= 0 && !tail.awaitApplied(end, CATCH_UP)) {
                throw new IllegalStateException("could not catch up with topic '" + topic + "' through offset " + end
                        + " within " + CATCH_UP.toMinutes() + " minutes"
                        + tail.failure().map(f -> ": " + f.getMessage()).orElse(""));
            }
        } catch (InterruptedException ex) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while catching up with topic '" + topic + "'", ex);
        }
        if (tail.failure().isPresent()) {
            throw new IllegalStateException("topic '" + topic + "' cannot be read: "
                    + tail.failure().get().getMessage());
        }
    }
}
