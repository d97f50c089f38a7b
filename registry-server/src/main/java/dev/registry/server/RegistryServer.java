package dev.registry.server;

import dev.registry.api.Durations;
import dev.registry.events.audit.ServiceHistory;
import dev.registry.events.audit.TimeTravel;
import dev.registry.events.log.ChronicleEventLog;
import dev.registry.events.log.LoggedEvent;
import dev.registry.events.projection.RegistryView;
import dev.registry.server.audit.AuditEndpoints;
import dev.registry.server.config.ListenAddress;
import dev.registry.server.config.RegistrySettings;
import dev.registry.server.config.TlsKeystore;
import dev.registry.server.connections.ConnectionCap;
import dev.registry.server.connections.ConnectionLimit;
import dev.registry.server.discovery.EventStream;
import dev.registry.server.discovery.ViewChanges;
import dev.registry.server.health.HealthEndpoints;
import dev.registry.server.health.HealthScheduler;
import dev.registry.server.health.Probe;
import dev.registry.server.http.ApiErrors;
import dev.registry.server.http.ApiReplies;
import dev.registry.server.http.BearerToken;
import dev.registry.server.http.CaseSensitiveMethods;
import dev.registry.server.http.ConnectionClose;
import dev.registry.server.http.Fallback;
import dev.registry.server.http.HeavyReads;
import dev.registry.server.http.JsonDirectHandler;
import dev.registry.server.http.RequestBodies;
import dev.registry.server.http.StaleReads;
import dev.registry.server.http.TokenFilter;
import dev.registry.server.logging.AccessLog;
import dev.registry.server.node.Node;
import dev.registry.server.observe.Observability;
import dev.registry.server.observe.ServerMeters;
import dev.registry.server.recovery.LocalNode;
import dev.registry.server.replication.SharedNode;
import dev.registry.server.rules.Command;
import dev.registry.server.services.ServiceEndpoints;
import dev.registry.server.stats.StatsEndpoint;
import dev.registry.server.ui.Dashboard;
import dev.registry.server.write.DiskGuard;
import dev.registry.server.write.WriteFailedException;
import io.helidon.common.tls.Tls;
import io.helidon.webserver.WebServer;
import io.helidon.webserver.WebServerConfig;
import java.lang.System.Logger.Level;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.LongSupplier;

/**
 * A running registry: a {@link Node} (the log, the state replayed from it, and how this node
 * writes) and the HTTP server over it, composed here. Start-up order matters: everything that can
 * fail without the log is checked first, the whole log is replayed before the port opens (no
 * request ever sees a partial view), and only a start that serves is recorded in the log.
 */
public final class RegistryServer implements AutoCloseable {

    private static final System.Logger LOG = System.getLogger(RegistryServer.class.getName());

    private final Node node;
    private final Probe probe;
    private final HealthScheduler health;
    private final RequestBodies bodies;
    private final CaseSensitiveMethods http1;
    private final WebServer web;
    private final Observability observe;
    private final AtomicBoolean closed = new AtomicBoolean();

    private RegistryServer(
            Node node,
            Probe probe,
            HealthScheduler health,
            RequestBodies bodies,
            CaseSensitiveMethods http1,
            WebServer web,
            Observability observe) {
        this.observe = observe;
        this.node = node;
        this.probe = probe;
        this.health = health;
        this.bodies = bodies;
        this.http1 = http1;
        this.web = web;
    }

    /** Opens the log in the settings' data directory, replays it, and starts serving. */
    public static RegistryServer start(RegistrySettings settings, Clock clock) {
        return start(settings, clock, DiskGuard.usableSpaceOf(settings.dataDir()));
    }

    /** As {@link #start(RegistrySettings, Clock)}, with where free disk space is read from (tests). */
    public static RegistryServer start(RegistrySettings settings, Clock clock, LongSupplier usableDiskBytes) {
        Instant startedAt = clock.instant();
        // What can fail without the log is checked before it is opened: a failed start leaves it as it was.
        Tls tls = settings.tlsKeystore() == null
                ? null
                : TlsKeystore.load(
                        settings.tlsKeystore(),
                        settings.tlsPassword() == null
                                ? new char[0]
                                : settings.tlsPassword().toCharArray());
        ListenAddress.requireFree(settings.host(), settings.port());
        if (settings.staleAfter().compareTo(settings.heartbeatTtl()) < 0) {
            LOG.log(
                    Level.WARNING,
                    "--stale-after " + Durations.format(settings.staleAfter()) + " is shorter than --heartbeat-ttl "
                            + Durations.format(settings.heartbeatTtl())
                            + ": records will be evicted while they still count as healthy");
        }
        Observability observe = Observability.create();
        Node node;
        try {
            node = settings.kafka() == null
                    ? LocalNode.open(settings, clock, usableDiskBytes, observe.metrics())
                    : SharedNode.open(settings, clock, observe.metrics());
        } catch (RuntimeException ex) {
            observe.close();
            throw ex;
        }
        try {
            return serve(settings, clock, startedAt, tls, node, observe);
        } catch (RuntimeException ex) {
            node.lifecycle().stop();
            observe.close();
            throw ex;
        }
    }

    /** The HTTP server over {@code node}: every feature's routes, the filters, the error replies. */
    private static RegistryServer serve(
            RegistrySettings settings, Clock clock, Instant startedAt, Tls tls, Node node, Observability observe) {
        RegistryView view = node.view();
        Probe probe = new Probe(settings.checkTimeout(), settings.checkConcurrency());
        HealthScheduler health = new HealthScheduler(
                view, node.writes(), node.rules(), node.deadlines(), probe, clock, node.mayActOnTime());
        HeavyReads heavyReads = new HeavyReads(settings.maxHeavyReads());
        ServiceEndpoints services = new ServiceEndpoints(
                view,
                node.writes(),
                node.rules(),
                clock,
                node.changes(),
                settings.maxRecords(),
                settings.limits(),
                heavyReads);
        AuditEndpoints audit = new AuditEndpoints(
                node.log(),
                new ServiceHistory(node.log(), node.history()),
                new TimeTravel(node.log(), node.checkpoints()),
                services,
                view::lastIndex,
                heavyReads);
        BearerToken bearer = new BearerToken(settings.token(), settings.tokenForReads());
        HealthEndpoints healthEndpoints =
                new HealthEndpoints(view, node.rules(), probe, node.writes(), clock, node.stale(), bearer);
        StatsEndpoint stats = new StatsEndpoint(view, node.rules(), clock, startedAt);
        EventStream stream = new EventStream(node.log(), node.changes(), node.checkpoints()::floor);
        // observability: the components record into the meters, whose gauges read the server's state
        probe.recordInto(observe.metrics());
        stream.recordInto(observe.metrics());
        observe.watch(new ServerMeters.Sources(
                view,
                node.rules(),
                clock,
                node.meters().writerQueue(),
                node.changes()::queriesWaiting,
                node.meters().logFiles(),
                node.meters().snapshotTime(),
                probe::inFlight,
                version()));
        RequestBodies bodies = new RequestBodies(settings.maxBodyBytes(), settings.bodyTimeout());
        CaseSensitiveMethods http1 = new CaseSensitiveMethods(settings.idleTimeout());
        ConnectionLimit connections = ConnectionLimit.forThisProcess(settings.maxConnections());
        connections.note().ifPresent(note -> LOG.log(Level.WARNING, note));
        WebServerConfig.Builder builder = WebServer.builder();
        if (tls != null) {
            builder.tls(tls);
        }
        WebServer web = builder.host(settings.host())
                .port(settings.port())
                .shutdownHook(false)
                // a reply bigger than a segment goes out in several writes; with Nagle's algorithm
                // the last waits for the client's delayed ACK (40 ms on Linux) before it leaves
                .connectionOptions(o -> o.tcpNoDelay(true))
                // never more sockets than descriptors: Helidon's listener dies on a failed accept
                .maxTcpConnections(connections.accepted())
                .idleConnectionTimeout(settings.idleTimeout())
                .idleConnectionPeriod(idleCheckPeriod(settings.idleTimeout()))
                .directHandlers(JsonDirectHandler.forAllEvents())
                // the only connection selector: no protocol discovered beside it, so Helidon takes it
                // without first waiting for a connection's first bytes (where no idle check reaches)
                .protocolsDiscoverServices(false)
                .addConnectionSelector(new ConnectionCap(http1, connections.served()))
                .featuresDiscoverServices(false)
                .addFeature(observe.feature(node.meters().writerFailure()))
                .routing(r -> {
                    r.addFilter(new ConnectionClose()); // outermost: it ends the exchange after the others
                    r.addFilter(observe.requestMeters());
                    if (settings.accessLog()) {
                        r.addFilter(new AccessLog());
                    }
                    if (bearer.configured()) { // one filter less on every request of an open registry
                        r.addFilter(new TokenFilter(bearer));
                    }
                    r.addFilter(bodies);
                    if (settings.kafka() != null) { // only a node of several can lag its log
                        r.addFilter(new StaleReads(node.stale()));
                    }
                    ApiErrors.register(r);
                    r.error(WriteFailedException.class, (req, res, ex) -> {
                        LOG.log(Level.WARNING, "write failed: " + ex.getMessage(), ex.getCause());
                        ApiReplies.sendError(req, res, 503, "Registry cannot write: " + ex.getMessage());
                    });
                    // audit first: it answers GET /services?at=, the services feature every other list
                    // Each feature's routes straight on the root, not registered as a service:
                    // Helidon walks a registered service as a nested list of routes, which costs
                    // every request that passes through it (a prefix match, a copy of the
                    // prologue, the path's parameters merged into a new map). None of them has
                    // work of its own to do when the server starts or stops.
                    List.of(audit, services, healthEndpoints, stats, stream, observe, new Dashboard())
                            .forEach(feature -> feature.routing(r));
                    node.routes().forEach(feature -> feature.routing(r));
                    r.addFeature(Fallback.last()); // after Helidon's observers too
                })
                .build()
                .start();
        if (!web.isRunning()) {
            // taken between the check before the log and now; the web server has logged why
            bodies.close();
            http1.close();
            probe.close();
            throw new IllegalStateException(ListenAddress.unavailable(
                    settings.host(), settings.port(), new java.net.BindException("Address already in use")));
        }
        // Only a start that serves is recorded, with its restart grace.
        try {
            node.writes().execute(new Command.Start(version(), settings.describe(), node.evictionGrace()));
        } catch (WriteFailedException ex) {
            // e.g. a nearly full disk: serve reads anyway, and say why writes are refused
            LOG.log(Level.WARNING, "registry-started not recorded: " + ex.getMessage());
        }
        LOG.log(
                Level.INFO,
                "registry {0} serving {1} records on {2}://{3}:{4}, {5}",
                version(),
                view.size(),
                settings.tlsKeystore() == null ? "http" : "https",
                settings.host(),
                String.valueOf(web.port()),
                connections.describe());
        health.start(settings.checksEnabled(), settings.checkInterval());
        node.lifecycle().start();
        observe.ready();
        return new RegistryServer(node, probe, health, bodies, http1, web, observe);
    }

    /**
     * How often Helidon looks for idle connections: a connection idle for {@code timeout} is
     * closed within a quarter more (Helidon's clock of a connection's last request ticks by the second).
     */
    private static Duration idleCheckPeriod(Duration timeout) {
        Duration quarter = timeout.dividedBy(4);
        return quarter.compareTo(Duration.ofSeconds(1)) < 0 ? Duration.ofSeconds(1) : quarter;
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
        return node.changes();
    }

    /** The live view (read-only use). */
    public RegistryView view() {
        return node.view();
    }

    /** How this server rebuilt its state. */
    public Node.Recovery recovery() {
        return node.recovery();
    }

    /** Appends the expiries and evictions due now (the scheduler does this by itself; tests call it). */
    public List<LoggedEvent> sweepNow() {
        return node.writes()
                .execute(new Command.Sweep(node.rules(), node.deadlines()))
                .events();
    }

    /** Deletes the log files retention lets go now (the server does this every minute by itself). */
    public List<ChronicleEventLog.RollFile> pruneNow() {
        return node.retention().map(p -> p.pruneNow()).orElse(List.of());
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
        node.changes().close(); // ends blocking queries and event streams, so the server can stop at once
        web.stop();
        bodies.close();
        http1.close();
        health.close();
        probe.close();
        String kept = node.lifecycle().stop();
        observe.close();
        LOG.log(Level.INFO, "registry stopped: every accepted write finished; " + kept);
    }
}
