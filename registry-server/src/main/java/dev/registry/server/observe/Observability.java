package dev.registry.server.observe;

import dev.registry.server.http.ApiReplies;
import dev.registry.server.http.ApiRoute;
import io.helidon.health.HealthCheckResponse;
import io.helidon.health.HealthCheckType;
import io.helidon.webserver.http.HttpRules;
import io.helidon.webserver.http.HttpService;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;
import io.helidon.webserver.observe.ObserveFeature;
import io.helidon.webserver.observe.health.HealthObserver;
import java.time.Duration;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * The registry seen from outside: its meters, served as Prometheus text at {@code /observe/metrics}
 * (and {@code GET /metrics}, where Prometheus looks by default) with the JVM's and the process's,
 * and {@code /observe/health}: live while the writer runs, ready once the log is replayed and
 * until a stop begins. The contract's {@code GET /health} stays as it is.
 *
 * <p>The meters are made once the server serves ({@link #ready}): setting up Helidon's meter
 * registry takes a third of a second, which the port would otherwise wait for. What is recorded
 * before waits for them, and a scrape meanwhile waits too.
 */
public final class Observability implements HttpService, AutoCloseable {

    /** Where the meters are served. */
    public static final String METRICS_PATH = "/observe/metrics";

    /** How long a scrape waits for the meters of a server that just started. */
    private static final Duration METERS_WAIT = Duration.ofSeconds(30);

    private final Deferred<ProcessMeters> process;
    private final ServerMeters meters;
    private final RequestMeters requests;
    private volatile boolean ready;
    private volatile boolean stopping;

    private Observability(Deferred<ProcessMeters> process) {
        this.process = process;
        this.meters = new ServerMeters(process);
        this.requests = new RequestMeters(process);
    }

    /** The meters of a server about to start, in Helidon's (per-JVM) meter registry once it serves. */
    public static Observability create() {
        return new Observability(ProcessMeters.process());
    }

    /** What the components record into. */
    public RegistryMetrics metrics() {
        return meters;
    }

    /** Starts the gauges that read the server's state. */
    public void watch(ServerMeters.Sources sources) {
        meters.watch(sources);
    }

    /** The filter that measures every request. */
    public RequestMeters requestMeters() {
        return requests;
    }

    /**
     * The observe feature: health checks (the meters are served by {@link #routing}).
     *
     * @param writerFailure why the single writer stopped, if it did (then the server is not live)
     */
    public ObserveFeature feature(Supplier<Optional<Throwable>> writerFailure) {
        HealthObserver health = HealthObserver.builder()
                .details(true)
                .useSystemServices(false)
                .addCheck(
                        () -> writerFailure
                                .get()
                                .map(f -> HealthCheckResponse.builder()
                                        .status(false)
                                        .detail("writer", "stopped: " + f)
                                        .build())
                                .orElseGet(() -> HealthCheckResponse.builder()
                                        .status(true)
                                        .detail("writer", "running")
                                        .build()),
                        HealthCheckType.LIVENESS,
                        "writer")
                .addCheck(
                        () -> HealthCheckResponse.builder()
                                .status(ready && !stopping)
                                .detail("log", stopping ? "stopping" : ready ? "replayed" : "replaying")
                                .build(),
                        HealthCheckType.READINESS,
                        "log")
                .build();
        return ObserveFeature.just(health);
    }

    /** {@value #METRICS_PATH} and {@code GET /metrics}, where Prometheus looks by default. */
    @Override
    public void routing(HttpRules rules) {
        rules.any(ApiRoute.all(
                ApiRoute.at(METRICS_PATH, () -> -1).getStream(this::scrape).build(),
                ApiRoute.at("/metrics", () -> -1).getStream(this::scrape).build()));
    }

    private void scrape(ServerRequest req, ServerResponse res) {
        ProcessMeters made;
        try {
            made = process.await(METERS_WAIT);
        } catch (IllegalStateException ex) {
            ApiReplies.sendError(req, res, 503, "Meters unavailable: " + ex.getMessage());
            return;
        }
        made.endpoint.get(req, res);
    }

    /** The log is replayed and the server serves: ready, and the meters are made from now on. */
    public void ready() {
        ready = true;
        process.start();
    }

    /** A stop began: no longer ready. */
    public void stopping() {
        stopping = true;
    }

    /** The gauges no longer read this server. */
    @Override
    public void close() {
        meters.close();
    }
}
