package dev.registry.router.proxy;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Outlier ejection: a backend that could not be reached is held out for a while, 2 s after one
 * failure, doubling with each failure in a row up to 30 s, and comes back on its own when that
 * passes (or at once when it answers, or is registered anew).
 */
public final class Ejections {

    private static final long FIRST_NANOS = 2_000_000_000L;
    private static final long LONGEST_NANOS = 30_000_000_000L;

    private record Ejection(long untilNanos, long lastNanos) {}

    private final Map<String, Ejection> ejected = new ConcurrentHashMap<>();

    /** The backend failed to connect, or cut the connection before replying. */
    public void failed(String backend) {
        long now = System.nanoTime();
        ejected.compute(backend, (name, e) -> {
            long hold = e == null ? FIRST_NANOS : Math.min(LONGEST_NANOS, e.lastNanos() * 2);
            return new Ejection(now + hold, hold);
        });
    }

    /** The backend answered, or is a new process (registered anew): its failures are forgotten. */
    public void reset(String backend) {
        if (!ejected.isEmpty()) {
            ejected.remove(backend);
        }
    }

    /** Whether the backend is held out now. */
    public boolean isEjected(String backend) {
        Ejection e = ejected.get(backend);
        return e != null && System.nanoTime() - e.untilNanos() < 0;
    }
}
