package dev.registry.server.observe;

import io.helidon.metrics.api.Counter;
import io.helidon.metrics.api.FunctionalCounter;
import io.helidon.metrics.api.Gauge;
import io.helidon.metrics.api.MeterRegistry;
import io.helidon.metrics.api.Tag;
import io.helidon.metrics.api.Timer;
import io.helidon.service.registry.Services;
import io.micrometer.core.instrument.binder.system.FileDescriptorMetrics;
import io.micrometer.core.instrument.binder.system.ProcessorMetrics;
import io.micrometer.core.instrument.binder.system.UptimeMetrics;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.ToDoubleFunction;

/**
 * The meters, once per process, in Helidon's meter registry (which is one per JVM too): counters
 * and histograms count from the process's start, as Prometheus expects; gauges read the servers
 * running in the process now (one in a deployment; tests may run several, whose figures add up).
 * Made once per process when its first server serves ({@link #process}), with Micrometer's process
 * meters beside Helidon's JVM meters.
 */
final class ProcessMeters {

    static final String PREFIX = "registry.";
    /** Histogram buckets of requests and checks: 0.5 ms to 30 s. */
    private static final Duration[] REQUEST_BUCKETS =
            millis(0.5, 1, 2.5, 5, 10, 25, 50, 100, 250, 500, 1_000, 2_500, 5_000, 10_000, 30_000);

    private static final Duration[] APPEND_BUCKETS =
            millis(0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 50, 100, 1_000);
    private static final Duration[] SNAPSHOT_BUCKETS =
            millis(10, 50, 100, 500, 1_000, 5_000, 10_000, 30_000, 60_000, 300_000);
    /** Uses of the meters kept while they are made: a start's first second of requests, and more. */
    private static final int MAX_QUEUED = 200_000;

    private static final System.Logger LOG = System.getLogger(ProcessMeters.class.getName());
    private static final Deferred<ProcessMeters> PROCESS =
            new Deferred<>("registry-meters", ProcessMeters::make, MAX_QUEUED);

    final MeterRegistry registry;
    private final io.micrometer.core.instrument.MeterRegistry micrometer;
    final MetricsEndpoint endpoint;
    /** Recorded once per batch of appends. */
    final DirectTimer appendTime;

    final Timer snapshotTime;
    final Timer checkTime;
    final Counter checksHealthy;
    final Counter checksUnhealthy;
    final Counter retentionDeleted;
    final Counter retentionNothing;
    final Counter retentionFailed;
    final Counter retentionFiles;
    final Counter streamResets;
    private final Map<String, LongAdder> appendedByType = new ConcurrentHashMap<>();
    private final Map<RequestKey, DirectTimer> requests = new ConcurrentHashMap<>();
    private final Set<ServerMeters> servers = ConcurrentHashMap.newKeySet();
    private final Set<String> versions = ConcurrentHashMap.newKeySet();

    /**
     * The process's meters, made once {@link Deferred#start}ed: a server starts them when its
     * port is open, so Helidon's meter registry is set up while it serves, not before.
     */
    static Deferred<ProcessMeters> process() {
        return PROCESS;
    }

    private static ProcessMeters make() {
        try {
            return new ProcessMeters(Services.get(MeterRegistry.class));
        } catch (RuntimeException | Error ex) {
            LOG.log(System.Logger.Level.ERROR, "the meters could not be set up; /metrics answers 503", ex);
            throw ex;
        }
    }

    private ProcessMeters(MeterRegistry registry) {
        this.registry = registry;
        this.endpoint = new MetricsEndpoint(registry);
        // Micrometer's process meters, on the registry that Helidon's wraps
        micrometer = registry.unwrap(io.micrometer.core.instrument.MeterRegistry.class);
        new ProcessorMetrics().bindTo(micrometer);
        new FileDescriptorMetrics().bindTo(micrometer);
        new UptimeMetrics().bindTo(micrometer);

        appendTime = DirectTimer.of(
                registry.getOrCreate(timer(
                        "append.duration",
                        "Time to append one batch of events to the log (the writes the writer took at once), with its fsync",
                        APPEND_BUCKETS)),
                micrometer);
        snapshotTime = registry.getOrCreate(
                timer("snapshot.duration", "Time to write one snapshot of the view", SNAPSHOT_BUCKETS));
        checkTime = registry.getOrCreate(timer(
                "health.check.duration",
                "Time one active health check took, until its answer or its timeout",
                REQUEST_BUCKETS));
        checksHealthy = counter("health.checks", "Active health checks by result", "result", "healthy");
        checksUnhealthy = counter("health.checks", "Active health checks by result", "result", "unhealthy");
        retentionDeleted = counter("retention.runs", "Runs of retention by outcome", "result", "deleted");
        retentionNothing = counter("retention.runs", "Runs of retention by outcome", "result", "nothing_due");
        retentionFailed = counter("retention.runs", "Runs of retention by outcome", "result", "failed");
        retentionFiles = registry.getOrCreate(
                Counter.builder(PREFIX + "retention.files.deleted").description("Log files retention deleted"));

        streamResets = registry.getOrCreate(Counter.builder(PREFIX + "event.stream.resets")
                .description("Event streams that fell too far behind and were told to reconnect (reset)"));

        sum("records", "Records held", ServerMeters::records);
        sum("records.healthy", "Records healthy now (status running, heartbeat within the TTL)", ServerMeters::healthy);
        sum("records.unhealthy", "Records not healthy now", s -> s.records() - s.healthy());
        sum("writer.queue.depth", "Writes waiting for the single writer", ServerMeters::writerQueue);
        sum(
                "blocking.queries.waiting",
                "Blocking queries (?index=&wait=) waiting for a change",
                ServerMeters::blockingWaiting);
        sum("log.files", "Files of the event log", ServerMeters::logFiles);
        sum("log.bytes", "Bytes of the event log's files on disk", ServerMeters::logBytes);
        sum("health.checks.in.flight", "Active health checks running now", ServerMeters::checksInFlight);
        sum("event.stream.subscribers", "Open event streams (GET /events/stream)", ServerMeters::streamSubscribers);
        max(
                "event.stream.lag.seconds",
                "How far the furthest-behind event stream trails the log, in event time",
                ServerMeters::streamLagSeconds);
        max(
                "snapshot.age.seconds",
                "Seconds since the event the newest snapshot reaches (-1: none yet)",
                ServerMeters::snapshotAgeSeconds);
    }

    /** A server starts: the gauges read it too, until it {@link #leave}s. */
    void join(ServerMeters server, String version) {
        servers.add(server);
        if (versions.add(version)) {
            registry.getOrCreate(Gauge.builder(PREFIX + "build.info", () -> 1)
                    .addTag(Tag.create("version", version))
                    .description("The server's version, as a label"));
        }
    }

    void leave(ServerMeters server) {
        servers.remove(server);
    }

    /**
     * The count of appended events of {@code type}: a plain adder the meter reads when scraped, since
     * the writer counts every event and a registry counter costs several times more per increment.
     */
    LongAdder appended(String type) {
        LongAdder c = appendedByType.get(type);
        return c != null
                ? c
                : appendedByType.computeIfAbsent(type, t -> {
                    LongAdder count = new LongAdder();
                    registry.getOrCreate(FunctionalCounter.builder(PREFIX + "events.appended", count, LongAdder::sum)
                            .addTag(Tag.create("type", t))
                            .description("Events appended to the log, by type"));
                    return count;
                });
    }

    DirectTimer request(String endpoint, String method, int status) {
        return requests.computeIfAbsent(
                new RequestKey(endpoint, method, status),
                k -> DirectTimer.of(
                        registry.getOrCreate(timer(
                                        "http.request.duration",
                                        "HTTP requests by endpoint, method and status, and how long they took",
                                        REQUEST_BUCKETS)
                                .tags(List.of(
                                        Tag.create("endpoint", k.endpoint()),
                                        Tag.create("method", k.method()),
                                        Tag.create("status", Integer.toString(k.status()))))),
                        micrometer));
    }

    private Counter counter(String name, String description, String tag, String value) {
        return registry.getOrCreate(
                Counter.builder(PREFIX + name).addTag(Tag.create(tag, value)).description(description));
    }

    private void sum(String name, String description, ToDoubleFunction<ServerMeters> value) {
        registry.getOrCreate(Gauge.builder(PREFIX + name, () -> {
                    double total = 0;
                    for (ServerMeters s : servers) {
                        total += value.applyAsDouble(s);
                    }
                    return total;
                })
                .description(description));
    }

    private void max(String name, String description, ToDoubleFunction<ServerMeters> value) {
        registry.getOrCreate(Gauge.builder(PREFIX + name, () -> {
                    // never NaN: Helidon's JSON output (Accept: application/json) cannot write it
                    double most = servers.isEmpty() ? 0 : Double.NEGATIVE_INFINITY;
                    for (ServerMeters s : servers) {
                        most = Math.max(most, value.applyAsDouble(s));
                    }
                    return most;
                })
                .description(description));
    }

    /** A histogram in seconds with these buckets, and no client-side percentiles. */
    private static Timer.Builder timer(String name, String description, Duration... buckets) {
        return Timer.builder(PREFIX + name)
                .description(description)
                .percentiles(new double[0])
                .buckets(buckets);
    }

    private static Duration[] millis(double... values) {
        Duration[] d = new Duration[values.length];
        for (int i = 0; i < values.length; i++) {
            d[i] = Duration.ofNanos(Math.round(values[i] * 1_000_000));
        }
        return d;
    }

    private record RequestKey(String endpoint, String method, int status) {}
}
