package dev.registry.router.stats;

import io.helidon.metrics.api.Counter;
import io.helidon.metrics.api.FunctionalCounter;
import io.helidon.metrics.api.Gauge;
import io.helidon.metrics.api.MeterRegistry;
import io.helidon.metrics.api.Tag;
import io.helidon.metrics.api.Timer;
import io.helidon.service.registry.Services;
import java.time.Duration;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.ToLongFunction;

/**
 * The router's meters in Helidon's meter registry, which {@code /observe/metrics} (and
 * {@code GET /metrics}) serve as Prometheus text: requests and retries, and per backend requests,
 * errors, requests in flight and the latency of its replies. Counters and histograms count from the
 * process's start; gauges read the routers running in the process now (one in a deployment).
 */
final class RouterMeters {

    private static final String PREFIX = "router.";
    private static final Duration[] LATENCY_BUCKETS = {
        ms(1),
        ms(5),
        ms(10),
        ms(25),
        ms(50),
        ms(100),
        ms(250),
        ms(500),
        ms(1_000),
        ms(2_500),
        ms(5_000),
        ms(10_000),
        ms(30_000),
        ms(60_000),
        ms(300_000)
    };
    private static RouterMeters instance;

    private final MeterRegistry registry;
    private final Set<RouterStats> routers = ConcurrentHashMap.newKeySet();
    private final Map<String, Backend> backends = new ConcurrentHashMap<>();

    /** One backend's meters. */
    record Backend(Counter requests, Counter errors, Timer latency) {}

    /** The process's router meters, registered on the first call. */
    public static synchronized RouterMeters get() {
        if (instance == null) {
            instance = new RouterMeters(Services.get(MeterRegistry.class));
        }
        return instance;
    }

    private RouterMeters(MeterRegistry registry) {
        this.registry = registry;
        total(
                "requests",
                "Client requests, each counted once however many backends it was tried on",
                RouterStats::requests);
        total("retries", "Requests sent again, to another backend", RouterStats::retries);
    }

    /** The gauges read {@code stats} until {@link #leave}. */
    public void join(RouterStats stats) {
        routers.add(stats);
    }

    public void leave(RouterStats stats) {
        routers.remove(stats);
    }

    Backend backend(String name) {
        Backend b = backends.get(name);
        return b != null ? b : backends.computeIfAbsent(name, this::register);
    }

    private Backend register(String name) {
        Tag tag = Tag.create("backend", name);
        registry.getOrCreate(Gauge.builder(PREFIX + "backend.in.flight", () -> {
                    int sum = 0;
                    for (RouterStats r : routers) {
                        sum += r.inFlight(name);
                    }
                    return sum;
                })
                .addTag(tag)
                .description("Requests in flight to the backend"));
        return new Backend(
                registry.getOrCreate(Counter.builder(PREFIX + "backend.requests")
                        .addTag(tag)
                        .description("Requests sent to the backend")),
                registry.getOrCreate(Counter.builder(PREFIX + "backend.errors")
                        .addTag(tag)
                        .description("Requests to the backend that failed: no answer, a cut, a timeout")),
                registry.getOrCreate(Timer.builder(PREFIX + "backend.latency")
                        .addTag(tag)
                        .percentiles(new double[0])
                        .buckets(LATENCY_BUCKETS)
                        .description("Time from sending a request to the backend to the last byte of its reply")));
    }

    private void total(String name, String description, ToLongFunction<RouterStats> value) {
        registry.getOrCreate(FunctionalCounter.builder(PREFIX + name, routers, rs -> {
                    long sum = 0;
                    for (RouterStats r : rs) {
                        sum += value.applyAsLong(r);
                    }
                    return sum;
                })
                .description(description));
    }

    private static Duration ms(long millis) {
        return Duration.ofMillis(millis);
    }
}
