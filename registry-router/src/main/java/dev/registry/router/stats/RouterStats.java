package dev.registry.router.stats;

import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;

/** Counters of the whole router and of each backend, by name. */
public final class RouterStats {

    private final Map<String, BackendStats> backends = new ConcurrentHashMap<>();
    private final LongAdder requests = new LongAdder();
    private final LongAdder retries = new LongAdder();
    private final RouterMeters meters = RouterMeters.get();

    /** Counters for a router; its meters read them until {@link #close()}. */
    public RouterStats() {
        meters.join(this);
    }

    public BackendStats of(String backend) {
        return backends.computeIfAbsent(backend, b -> new BackendStats(meters.backend(b)));
    }

    /** The meters no longer read this router. */
    public void close() {
        meters.leave(this);
    }

    public int inFlight(String backend) {
        BackendStats s = backends.get(backend);
        return s == null ? 0 : s.inFlight();
    }

    /** A client request came in (counted once, however many backends it was tried on). */
    public void request() {
        requests.increment();
    }

    /** A request was sent again, to another backend. */
    public void retry() {
        retries.increment();
    }

    public long requests() {
        return requests.sum();
    }

    public long retries() {
        return retries.sum();
    }

    /** Forgets the backends not in {@code keep} that have nothing in flight. */
    public void retainOnly(Set<String> keep) {
        backends.entrySet()
                .removeIf(e -> !keep.contains(e.getKey()) && e.getValue().inFlight() == 0);
    }
}
