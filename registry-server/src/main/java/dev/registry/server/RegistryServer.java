package dev.registry.server;

import dev.registry.events.log.ChronicleEventLog;
import dev.registry.events.log.EventLog;
import dev.registry.events.log.EventReader;
import dev.registry.events.log.LoggedEvent;
import dev.registry.events.audit.Checkpoints;
import dev.registry.events.audit.HistoryIndex;
import dev.registry.events.audit.ServiceHistory;
import dev.registry.events.audit.TimeTravel;
import dev.registry.events.projection.Projection;
import dev.registry.events.projection.RegistryView;
import dev.registry.server.audit.AuditEndpoints;
import dev.registry.server.config.RegistrySettings;
import dev.registry.server.discovery.EventStream;
import dev.registry.server.discovery.ViewChanges;
import dev.registry.server.health.HealthEndpoints;
import dev.registry.server.health.HealthRules;
import dev.registry.server.health.HealthScheduler;
import dev.registry.server.health.Probe;
import dev.registry.server.http.ApiRouter;
import dev.registry.server.http.JsonDirectHandler;
import dev.registry.server.services.ServiceEndpoints;
import dev.registry.server.stats.StatsEndpoint;
import dev.registry.server.write.Command;
import dev.registry.server.write.RegistryWriter;
import io.helidon.webserver.WebServer;

import java.lang.System.Logger.Level;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
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

    private final EventLog log;
    private final RegistryView view;
    private final RegistryWriter writer;
    private final HealthRules rules;
    private final Probe probe;
    private final HealthScheduler health;
    private final ViewChanges changes;
    private final WebServer web;

    private RegistryServer(EventLog log, RegistryView view, RegistryWriter writer, HealthRules rules, Probe probe,
                           HealthScheduler health, ViewChanges changes, WebServer web) {
        this.changes = changes;
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
        Instant startedAt = clock.instant();
        EventLog log = ChronicleEventLog.openForWriting(settings.dataDir());
        try {
            RegistryView view = new RegistryView();
            HistoryIndex historyIndex = new HistoryIndex();
            Checkpoints checkpoints = new Checkpoints(view, CHECKPOINT_SPACING);
            ViewChanges changes = new ViewChanges(-1);
            Projection projection = Projection.all(List.of(Projection.of(view), historyIndex, checkpoints, changes));
            long t0 = System.nanoTime();
            Replay replay = replay(log, projection);
            LOG.log(Level.INFO, "replayed {0} events from {1} in {2} ms", replay.events(),
                    settings.dataDir().toAbsolutePath().normalize(), (System.nanoTime() - t0) / 1_000_000);

            RegistryWriter writer = new RegistryWriter(log, view, projection, clock, replay.lastTime());
            // The restart grace: one full stale period before anything may be evicted.
            writer.execute(new Command.Start(version(), settings.describe(), settings.staleAfter()));

            HealthRules rules = new HealthRules(settings.heartbeatTtl(), settings.staleAfter());
            Probe probe = new Probe(settings.checkTimeout(), settings.checkConcurrency());
            HealthScheduler health = new HealthScheduler(view, writer, rules, probe, clock);
            ServiceEndpoints services = new ServiceEndpoints(view, writer, rules, clock, changes);
            AuditEndpoints audit = new AuditEndpoints(log, new ServiceHistory(log, historyIndex),
                    new TimeTravel(log, checkpoints), services);
            services.answerPastViewsWith(audit::servicesAt);
            ApiRouter router = new ApiRouter(
                    services,
                    new HealthEndpoints(view, rules, probe, writer, clock),
                    new StatsEndpoint(view, rules, clock, startedAt),
                    audit,
                    new EventStream(log, changes),
                    view::lastIndex,
                    settings.maxBodyBytes());
            WebServer web = WebServer.builder()
                    .host(settings.host())
                    .port(settings.port())
                    .shutdownHook(false)
                    .directHandlers(JsonDirectHandler.forAllEvents())
                    .routing(r -> r.any(router))
                    .build()
                    .start();
            LOG.log(Level.INFO, "registry {0} serving {1} records on {2}:{3}", version(), view.size(),
                    settings.host(), String.valueOf(web.port()));
            health.start(settings.checksEnabled(), settings.checkInterval());
            return new RegistryServer(log, view, writer, rules, probe, health, changes, web);
        } catch (RuntimeException ex) {
            log.close();
            throw ex;
        }
    }

    private static Replay replay(EventLog log, Projection projection) {
        long count = 0;
        Instant last = Instant.EPOCH;
        try (EventReader reader = log.reader()) {
            for (LoggedEvent e = reader.next(); e != null; e = reader.next()) {
                projection.apply(e);
                last = e.event().time();
                count++;
            }
        }
        return new Replay(count, last);
    }

    private record Replay(long events, Instant lastTime) {
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

    /** Appends the expiries and evictions due now (the scheduler does this by itself; tests call it). */
    public List<LoggedEvent> sweepNow() {
        return writer.execute(new Command.Sweep(rules)).events();
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
        health.close();
        probe.close();
        writer.close();
        log.close();
    }
}
