package dev.registry.server;

import dev.registry.events.log.ChronicleEventLog;
import dev.registry.events.log.ChronicleLogRepair;
import dev.registry.events.log.EventLog;
import dev.registry.events.log.EventReader;
import dev.registry.events.log.LoggedEvent;
import dev.registry.events.audit.Checkpoints;
import dev.registry.events.audit.HistoryIndex;
import dev.registry.events.audit.ServiceHistory;
import dev.registry.events.audit.TimeTravel;
import dev.registry.events.projection.Projection;
import dev.registry.events.snapshot.Snapshot;
import dev.registry.events.snapshot.SnapshotStore;
import dev.registry.events.projection.RegistryView;
import dev.registry.server.audit.AuditEndpoints;
import dev.registry.server.config.DataDirLock;
import dev.registry.server.config.RegistrySettings;
import dev.registry.server.config.TlsKeystore;
import dev.registry.server.discovery.EventStream;
import dev.registry.server.discovery.ViewChanges;
import dev.registry.server.health.HealthEndpoints;
import dev.registry.server.health.HealthRules;
import dev.registry.server.health.HealthScheduler;
import dev.registry.server.health.Probe;
import dev.registry.server.http.ApiRouter;
import dev.registry.server.http.BearerToken;
import dev.registry.server.http.JsonDirectHandler;
import dev.registry.server.services.ServiceEndpoints;
import dev.registry.server.recovery.LogRepair;
import dev.registry.server.recovery.StartingState;
import dev.registry.server.retention.Pruner;
import dev.registry.server.retention.RetentionRule;
import dev.registry.server.snapshot.Snapshotter;
import dev.registry.server.stats.StatsEndpoint;
import dev.registry.server.write.Command;
import dev.registry.server.write.DiskGuard;
import dev.registry.server.write.RegistryWriter;
import dev.registry.server.write.WriteFailedException;
import dev.registry.server.write.SyncPolicy;
import io.helidon.webserver.WebServer;
import io.helidon.webserver.WebServerConfig;

import java.lang.System.Logger.Level;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.function.BooleanSupplier;
import java.util.function.LongSupplier;
import java.util.concurrent.CompletableFuture;

/**
 * A running registry: the log, the view replayed from it, the single writer and the HTTP server.
 * Start-up order matters: the whole log is replayed before the port opens, so no request ever
 * sees a partial view.
 */
public final class RegistryServer implements AutoCloseable {

    private static final System.Logger LOG = System.getLogger(RegistryServer.class.getName());
    /** Fewest events between two checkpoints of the view for point-in-time queries. */
    private static final int CHECKPOINT_SPACING = 16_384;
    /** Snapshots kept on disk: the newest, and two to fall back on if it is damaged. */
    private static final int SNAPSHOTS_KEPT = 3;
    /** Events handed from the replay's reader thread to the applying thread at a time. */
    private static final int REPLAY_BATCH = 1024;
    /** How often retention looks for log files to delete. */
    private static final java.time.Duration PRUNE_PERIOD = java.time.Duration.ofMinutes(1);

    private final EventLog log;
    private final RegistryView view;
    private final RegistryWriter writer;
    private final HealthRules rules;
    private final Probe probe;
    private final HealthScheduler health;
    private final ViewChanges changes;
    private final Snapshotter snapshotter;
    private final WebServer web;
    private final ApiRouter router;

    private RegistryServer(EventLog log, RegistryView view, RegistryWriter writer, HealthRules rules, Probe probe,
                           HealthScheduler health, ViewChanges changes, Snapshotter snapshotter, WebServer web,
                           ApiRouter router) {
        this.router = router;
        this.changes = changes;
        this.snapshotter = snapshotter;
        this.log = log;
        this.view = view;
        this.writer = writer;
        this.rules = rules;
        this.probe = probe;
        this.health = health;
        this.web = web;
    }

    /** Opens the log in the settings' data directory, replays it, and starts serving. */
    public static RegistryServer start(RegistrySettings settings, Clock clock) {
        return start(settings, clock, DiskGuard.usableSpaceOf(settings.dataDir()));
    }

    /** As {@link #start(RegistrySettings, Clock)}, with where free disk space is read from (tests). */
    public static RegistryServer start(RegistrySettings settings, Clock clock, LongSupplier usableDiskBytes) {
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
                log = ChronicleEventLog.openForWriting(dataDir, settings.sync() != SyncPolicy.NONE, settings.roll(), clock);
            }
        } catch (RuntimeException ex) {
            lock.close();
            throw ex;
        }
        try {
            long t0 = System.nanoTime();
            SnapshotStore store = new SnapshotStore(dataDir, SNAPSHOTS_KEPT);
            StartingState state = StartingState.choose(dataDir, store, log);
            Optional<Snapshot> start = state.snapshot();
            RegistryView view = start.map(Snapshot::view).orElseGet(RegistryView::new); // the floor has its own copy
            HistoryIndex historyIndex = start.map(s -> HistoryIndex.restore(s.history())).orElseGet(HistoryIndex::new);
            Checkpoints checkpoints = new Checkpoints(view, CHECKPOINT_SPACING);
            state.floor().ifPresent(checkpoints::floor);
            start.filter(s -> state.floor().map(f -> f.index() != s.index()).orElse(true))
                    .ifPresent(s -> checkpoints.seed(s.index(), s.view().lastEventTime(), s.view().copy()));
            ViewChanges changes = new ViewChanges(-1);
            Snapshotter snapshotter = new Snapshotter(view, historyIndex, store, settings.snapshotEvery(),
                    settings.snapshotInterval());
            Projection projection = Projection.all(
                    List.of(Projection.of(view), historyIndex, checkpoints, changes, snapshotter));
            Replay replay = replay(log, projection, start.map(Snapshot::index).orElse(null));
            // a snapshot from before retention's last deletion still knows where deleted events were
            state.floor().ifPresent(f -> historyIndex.forgetBefore(f.index() + 1, name -> view.get(name).isPresent()));
            LOG.log(Level.INFO, "replayed {0} events from {1}{2} in {3} ms", replay.events(),
                    dataDir.toAbsolutePath().normalize(),
                    start.map(s -> " after the snapshot at index " + s.index()).orElse(""),
                    (System.nanoTime() - t0) / 1_000_000);

            Instant lastTime = replay.lastTime().isAfter(view.lastEventTime()) ? replay.lastTime() : view.lastEventTime();
            BooleanSupplier dirReadOnly = readOnly ? () -> true : () -> DiskGuard.isReadOnly(dataDir);
            RegistryWriter writer = new RegistryWriter(log, view, projection, clock, lastTime, settings.sync(),
                    new DiskGuard(usableDiskBytes, dirReadOnly, readOnly ? readOnlyCause
                            : "the data directory " + dataDir.toAbsolutePath().normalize() + " has become read-only",
                            settings.minFreeSpace()));
            if (!readOnly) {
                snapshotter.enable(startedAt); // by time: the first snapshot one interval after the start
            }
            // The restart grace: one full stale period before anything may be evicted.
            try {
                writer.execute(new Command.Start(version(), settings.describe(), settings.staleAfter()));
            } catch (WriteFailedException ex) {
                // e.g. a nearly full disk: serve reads anyway, and say why writes are refused
                LOG.log(Level.WARNING, "registry-started not recorded: " + ex.getMessage());
            }

            HealthRules rules = new HealthRules(settings.heartbeatTtl(), settings.staleAfter());
            Probe probe = new Probe(settings.checkTimeout(), settings.checkConcurrency());
            HealthScheduler health = new HealthScheduler(view, writer, rules, probe, clock);
            ServiceEndpoints services = new ServiceEndpoints(view, writer, rules, clock, changes, settings.maxRecords(),
                    settings.limits());
            AuditEndpoints audit = new AuditEndpoints(log, new ServiceHistory(log, historyIndex),
                    new TimeTravel(log, checkpoints), services);
            services.answerPastViewsWith(audit::servicesAt);
            ApiRouter router = new ApiRouter(
                    services,
                    new HealthEndpoints(view, rules, probe, writer, clock),
                    new StatsEndpoint(view, rules, clock, startedAt),
                    audit,
                    new EventStream(log, changes, checkpoints::floor),
                    view::lastIndex,
                    new BearerToken(settings.token(), settings.tokenForReads()),
                    settings.maxBodyBytes(),
                    settings.bodyTimeout());
            WebServerConfig.Builder builder = WebServer.builder();
            if (settings.tlsKeystore() != null) {
                builder.tls(TlsKeystore.load(settings.tlsKeystore(),
                        settings.tlsPassword() == null ? new char[0] : settings.tlsPassword().toCharArray()));
            }
            WebServer web = builder
                    .host(settings.host())
                    .port(settings.port())
                    .shutdownHook(false)
                    .directHandlers(JsonDirectHandler.forAllEvents())
                    .routing(r -> r.any(router))
                    .build()
                    .start();
            LOG.log(Level.INFO, "registry {0} serving {1} records on {2}://{3}:{4}", version(), view.size(),
                    settings.tlsKeystore() == null ? "http" : "https", settings.host(), String.valueOf(web.port()));
            health.start(settings.checksEnabled(), settings.checkInterval());
            Pruner pruner = new Pruner(dataDir, log, store, checkpoints, historyIndex, view,
                    new RetentionRule(settings.retention()), clock);
            if (!readOnly) {
                pruner.start(PRUNE_PERIOD);
            }
            RegistryServer server = new RegistryServer(log, view, writer, rules, probe, health, changes, snapshotter, web,
                    router);
            server.lock = lock;
            server.pruner = pruner;
            server.recovery = new Recovery(start.map(Snapshot::index), replay.events());
            return server;
        } catch (RuntimeException ex) {
            log.close();
            lock.close();
            throw ex;
        }
    }

    /**
     * Applies every event after {@code afterIndex} (all events when null). Reading and decoding
     * run on a thread of their own, a batch ahead of applying, so a start-up uses both cores.
     */
    private static Replay replay(EventLog log, Projection projection, Long afterIndex) {
        BlockingQueue<List<LoggedEvent>> batches = new ArrayBlockingQueue<>(8);
        List<LoggedEvent> end = List.of();
        RuntimeException[] readFailure = new RuntimeException[1];
        long[] lastRead = {afterIndex == null ? -1 : afterIndex};
        Thread reader = Thread.ofPlatform().name("registry-replay-reader").start(() -> {
            try (EventReader events = log.reader()) {
                if (afterIndex != null) {
                    // +1: the retention base's own event may be deleted; the log holds all after it
                    events.seekAtOrAfter(afterIndex + 1);
                }
                List<LoggedEvent> batch = new ArrayList<>(REPLAY_BATCH);
                for (LoggedEvent e = events.next(); e != null; e = events.next()) {
                    batch.add(e);
                    lastRead[0] = e.index();
                    if (batch.size() == REPLAY_BATCH) {
                        batches.put(batch);
                        batch = new ArrayList<>(REPLAY_BATCH);
                    }
                }
                batches.put(batch);
                if (log.lastIndex() > lastRead[0]) {
                    throw new IllegalStateException(ChronicleLogRepair.unreachable(lastRead[0], log.lastIndex()));
                }
            } catch (RuntimeException damaged) {
                readFailure[0] = damaged;
            } catch (InterruptedException ex) {
                Thread.currentThread().interrupt();
            } finally {
                try {
                    batches.put(end);
                } catch (InterruptedException ex) {
                    Thread.currentThread().interrupt();
                }
            }
        });
        long count = 0;
        Instant last = Instant.EPOCH;
        try {
            for (List<LoggedEvent> batch = batches.take(); batch != end; batch = batches.take()) {
                for (LoggedEvent e : batch) {
                    projection.apply(e);
                    last = e.event().time();
                    count++;
                }
            }
            reader.join();
        } catch (InterruptedException ex) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted during replay", ex);
        }
        if (readFailure[0] != null) {
            // Never start silently with a different state: name the place and refuse.
            throw new IllegalStateException("the log is damaged after index " + lastRead[0]
                    + " (" + readFailure[0].getMessage() + "); refusing to start on a partial history. "
                    + "Inspect it with: registry-tools verify --data-dir DIR; start with --repair to keep what is "
                    + "readable", readFailure[0]);
        }
        return new Replay(count, last);
    }

    private record Replay(long events, Instant lastTime) {
    }

    private static ChronicleEventLog openReadOnly(Path dataDir, boolean repair) {
        if (repair) {
            throw new IllegalStateException("--repair needs a writable data directory; " + dataDir + " is read-only");
        }
        try {
            return ChronicleEventLog.openReadOnly(dataDir);
        } catch (IllegalArgumentException | IllegalStateException ex) {
            throw new IllegalStateException("the data directory " + dataDir + " is read-only and holds no log to serve ("
                    + ex.getMessage() + ")", ex);
        }
    }

    /** The server's version, from the jar manifest; "dev" when run from classes. */
    public static String version() {
        String v = RegistryServer.class.getPackage().getImplementationVersion();
        return v == null ? "dev" : v;
    }

    /** The port the server listens on. */
    public int port() {
        return web.port();
    }

    /** Who waits for the view to change (for tests: how many blocking queries wait). */
    public ViewChanges changes() {
        return changes;
    }

    /** The live view (read-only use). */
    public RegistryView view() {
        return view;
    }

    /**
     * How this server rebuilt its state.
     *
     * @param snapshotIndex  the snapshot it started from, if any
     * @param replayedEvents events replayed from the log (after the snapshot, if any)
     */
    public record Recovery(Optional<Long> snapshotIndex, long replayedEvents) {
    }

    private Recovery recovery;
    private DataDirLock lock;
    private Pruner pruner;

    public Recovery recovery() {
        return recovery;
    }

    /** Appends the expiries and evictions due now (the scheduler does this by itself; tests call it). */
    public List<LoggedEvent> sweepNow() {
        return writer.execute(new Command.Sweep(rules)).events();
    }

    /** Deletes the log files retention lets go now (the server does this every minute by itself). */
    public List<ChronicleEventLog.RollFile> pruneNow() {
        return pruner.pruneNow();
    }

    /** Runs a round of active checks now; completes when its results are recorded. */
    public CompletableFuture<Void> checkRoundNow() {
        return health.runCheckRound();
    }

    /** Stops accepting requests, stops health work, lets the writer finish, and closes the log. */
    @Override
    public void close() {
        changes.close(); // ends blocking queries and event streams, so the server can stop at once
        web.stop();
        router.close();
        pruner.close();
        health.close();
        probe.close();
        writer.close();
        snapshotter.close();
        log.close();
        lock.close();
    }
}
