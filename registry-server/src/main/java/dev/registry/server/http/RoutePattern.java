package dev.registry.server.http;

import java.util.Optional;

/**
 * The pattern of the route that took the request being served on this thread
 * ({@code /services/{name}}), for metrics and logs, whose labels must not grow with every name a
 * client sends. Kept per thread, not in the request's context: Helidon serves a connection's
 * requests one after the other on its own thread, and building a request's context costs more
 * than the rest of a heartbeat's filters together.
 */
public final class RoutePattern {

    /**
     * A holder per thread, changed in place: a thread-local's {@code set} also sweeps the map for
     * stale entries, which cost more than the rest of this class on every request.
     */
    private static final ThreadLocal<String[]> CURRENT = ThreadLocal.withInitial(() -> new String[1]);

    private RoutePattern() {}

    /** A request begins on this thread: no route has taken it yet. */
    public static void begin() {
        CURRENT.get()[0] = null;
    }

    /** Notes that the route at {@code pattern} takes the current request. */
    static void note(String pattern) {
        CURRENT.get()[0] = pattern;
    }

    /** The pattern of the route that took the current request, if one of ours did. */
    public static Optional<String> current() {
        return Optional.ofNullable(CURRENT.get()[0]);
    }
}
