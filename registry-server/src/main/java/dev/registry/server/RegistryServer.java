package dev.registry.server;

import dev.registry.server.rules.HealthDeadlines;
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
import dev.registry.api.Durations;
import dev.registry.server.config.DataDirLock;
import dev.registry.server.config.ListenAddress;
import dev.registry.server.config.RegistrySettings;
import dev.registry.server.config.TlsKeystore;
import dev.registry.server.discovery.EventStream;
import dev.registry.server.discovery.ViewChanges;
import dev.registry.server.health.HealthEndpoints;
import dev.registry.server.rules.HealthRules;
import dev.registry.server.health.HealthScheduler;
import dev.registry.server.health.Probe;
import dev.registry.server.http.ApiErrors;
import dev.registry.server.http.ApiReplies;
import dev.registry.server.http.BearerToken;
import dev.registry.server.http.Fallback;
import dev.registry.server.http.JsonDirectHandler;
import dev.registry.server.http.RequestBodies;
import dev.registry.server.http.TokenFilter;
import dev.registry.server.logging.AccessLog;
import dev.registry.server.logging.LifecycleLog;
import dev.registry.server.observe.Observability;
import dev.registry.server.observe.ServerMeters;
import dev.registry.server.ui.Dashboard;
import dev.registry.server.services.ServiceEndpoints;
import dev.registry.server.recovery.LogRepair;
import dev.registry.server.recovery.StartingState;
import dev.registry.server.retention.Pruner;
import dev.registry.server.retention.RetentionRule;
import dev.registry.server.snapshot.Snapshotter;
import dev.registry.server.stats.StatsEndpoint;
import dev.registry.server.rules.Command;
import dev.registry.server.write.DiskGuard;
import dev.registry.server.write.RegistryWriter;
import dev.registry.server.write.WriteFailedException;
import dev.registry.server.write.SyncPolicy;
import io.helidon.common.tls.Tls;
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
    private final HealthDeadlines deadlines;
    private final Probe probe;
    private final HealthScheduler health;
    private final ViewChanges changes;
    private final Snapshotter snapshotter;
    private final WebServer web;
    private final SyncPolicy sync;
    private final java.util.concurrent.atomic.AtomicBoolean closed = new java.util.concurrent.atomic.AtomicBoolean();
    private final RequestBodies bodies;
    private Observability observe;

    private RegistryServer(EventLog log, RegistryView view, RegistryWriter writer, HealthRules rules,
                           HealthDeadlines deadlines, Probe probe,
                           HealthScheduler health, ViewChanges changes, Snapshotter snapshotter, WebServer web,
                           RequestBodies bodies, SyncPolicy sync) {
        this.sync = sync;
        this.bodies = bodies;
        this.changes = changes;
        this.snapshotter = snapshotter;
        this.log = log;
        this.view = view;
        this.writer = writer;
        this.rules = rules;
        this.deadlines = deadlines;
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
        // What can fail without the log is checked before it is opened: a failed start leaves it as it was.
        Tls tls = settings.tlsKeystore() == null ? null : TlsKeystore.load(settings.tlsKeystore(),
                settings.tlsPassword() == null ? new char[0] : settings.tlsPassword().toCharArray());
        ListenAddress.requireFree(settings.host(), settings.port());
        if (settings.staleAfter().compareTo(settings.heartbeatTtl()) < 0) {
            LOG.log(Level.WARNING, "--stale-after " + Durations.format(settings.staleAfter()) + " is shorter than --heartbeat-ttl "
                    + Durations.format(settings.heartbeatTtl()) + ": records will be evicted while they still count as healthy");
        }
        // A read-only directory (a read-only mount, say) still serves its log; nobody can write to it.
        boolean readOnly = DiskGuard.isReadOnly(dataDir);
        String readOnlyCause = "the data directory " + dataDir.toAbsolutePath().normalize()
                + " is read-only: writes are refused until the registry is restarted on a writable one";
        DataDirLock lock = readOnly ? DataDirLock.notNeeded() : DataDirLock.acquire(dataDir);
        ChronicleEventLog log;
        Observability observe = Observability.create();
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
            observe.close();
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
                    settings.snapshotInterval()).recordInto(observe.metrics());
            HealthRules rules = new HealthRules(settings.heartbeatTtl(), settings.staleAfter());
            HealthDeadlines deadlines = new HealthDeadlines(rules, view);
            deadlines.scheduleAll(); // the snapshot's records, if it started from one
            LifecycleLog lifecycle = new LifecycleLog(view);
            Projection projection = Projection.onView(view,
                    List.of(deadlines, historyIndex, checkpoints, changes, snapshotter, lifecycle));
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
            lifecycle.enable();

            Probe probe = new Probe(settings.checkTimeout(), settings.checkConcurrency());
            HealthScheduler health = new HealthScheduler(view, writer, rules, deadlines, probe, clock);
            ServiceEndpoints services = new ServiceEndpoints(view, writer, rules, clock, changes, settings.maxRecords(),
                    settings.limits());
            AuditEndpoints audit = new AuditEndpoints(log, new ServiceHistory(log, historyIndex),
                    new TimeTravel(log, checkpoints), services, view::lastIndex);
            RequestBodies bodies = new RequestBodies(settings.maxBodyBytes(), settings.bodyTimeout());
            TokenFilter token = new TokenFilter(new BearerToken(settings.token(), settings.tokenForReads()));
            HealthEndpoints healthEndpoints = new HealthEndpoints(view, rules, probe, writer, clock);
            StatsEndpoint stats = new StatsEndpoint(view, rules, clock, startedAt);
            EventStream stream = new EventStream(log, changes, checkpoints::floor);
            // observability: the components record into the meters, whose gauges read the server's state
            writer.recordInto(observe.metrics());
            probe.recordInto(observe.metrics());
            stream.recordInto(observe.metrics());
            observe.watch(new ServerMeters.Sources(view, rules, clock, writer::queueDepth, changes::queriesWaiting,
                    () -> log.rollFiles().stream().map(ChronicleEventLog.RollFile::path).toList(),
                    start.map(s -> s.view().lastEventTime()), probe::inFlight, version()));
            WebServerConfig.Builder builder = WebServer.builder();
            if (tls != null) {
                builder.tls(tls);
            }
            WebServer web = builder
                    .host(settings.host())
                    .port(settings.port())
                    .shutdownHook(false)
                    .directHandlers(JsonDirectHandler.forAllEvents())
                    .featuresDiscoverServices(false)
                    .addFeature(observe.feature(writer::failure))
                    .routing(r -> {
                        r.addFilter(observe.requestMeters());
                        if (settings.accessLog()) {
                            r.addFilter(new AccessLog());
                        }
                        r.addFilter(token).addFilter(bodies);
                        ApiErrors.register(r);
                        r.error(WriteFailedException.class, (req, res, ex) -> {
                            LOG.log(Level.WARNING, "write failed: " + ex.getMessage(), ex.getCause());
                            ApiReplies.sendError(res, 503, "Registry cannot write: " + ex.getMessage());
                        });
                        // audit first: it answers GET /services?at=, the services feature every other list
                        r.register(audit, services, healthEndpoints, stats, stream, observe, new Dashboard());
                        r.addFeature(Fallback.last()); // after Helidon's observers too
                    })
                    .build()
                    .start();
            if (!web.isRunning()) {
                // taken between the check above and now; the web server has logged why
                bodies.close();
                probe.close();
                writer.close();
                snapshotter.close();
                throw new IllegalStateException(ListenAddress.unavailable(settings.host(), settings.port(),
                        new java.net.BindException("Address already in use")));
            }
            // Only a start that serves is recorded. The restart grace: one full stale period before
            // anything may be evicted.
            try {
                writer.execute(new Command.Start(version(), settings.describe(), settings.staleAfter()));
            } catch (WriteFailedException ex) {
                // e.g. a nearly full disk: serve reads anyway, and say why writes are refused
                LOG.log(Level.WARNING, "registry-started not recorded: " + ex.getMessage());
            }
            LOG.log(Level.INFO, "registry {0} serving {1} records on {2}://{3}:{4}", version(), view.size(),
                    settings.tlsKeystore() == null ? "http" : "https", settings.host(), String.valueOf(web.port()));
            health.start(settings.checksEnabled(), settings.checkInterval());
            Pruner pruner = new Pruner(dataDir, log, store, checkpoints, historyIndex, view,
                    new RetentionRule(settings.retention()), clock).recordInto(observe.metrics());
            if (!readOnly) {
                pruner.start(PRUNE_PERIOD);
            }
            RegistryServer server = new RegistryServer(log, view, writer, rules, deadlines, probe, health, changes, snapshotter, web,
                    bodies, settings.sync());
            server.lock = lock;
            server.pruner = pruner;
            server.recovery = new Recovery(start.map(Snapshot::index), replay.events());
            server.observe = observe;
            observe.ready();
            return server;
        } catch (RuntimeException ex) {
            observe.close();
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
                if (!batch.isEmpty()) {
                    projection.endOfBatch(batch.getLast().index());
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
                    + "Inspect it with: registry-tools verify --data-dir DIR", readFailure[0]);
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
        return writer.execute(new Command.Sweep(rules, deadlines)).events();
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
        if (!closed.compareAndSet(false, true)) {
            return;
        }
        observe.stopping();
        changes.close(); // ends blocking queries and event streams, so the server can stop at once
        web.stop();
        bodies.close();
        pruner.close();
        health.close();
        probe.close();
        writer.close();
        snapshotter.close();
        long last = log.lastIndex();
        log.close();
        lock.close();
        observe.close();
        long appended = writer.appendedCount();
        LOG.log(Level.INFO, "registry stopped: every accepted write finished; " + appended
                + (appended == 1 ? " event" : " events") + " appended since the start"
                + (sync == SyncPolicy.NONE ? " (in the page cache, which the system writes out; --fsync none)"
                        : " (forced to disk, --fsync " + sync.name().toLowerCase(java.util.Locale.ROOT) + ")")
                + ", the log ends at index " + last);
    }
}
