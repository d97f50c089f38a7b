package dev.registry.server.services;

import java.time.Instant;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;

/**
 * The encoded list reply per filter, reused until the view changes or a record's health may flip
 * with time. A hundred routers polling ten thousand records cost one encoding per change, not a
 * hundred; polls in between copy bytes.
 */
final class ListCache {

    /**
     * One encoded list.
     *
     * @param index      the view's index when encoding started (the body reflects at least that)
     * @param validUntil the first time a record's {@code is_healthy} may flip by itself
     * @param body       the reply up to, not including, its {@code timestamp} field
     * @param etag       strong validator of {@code body}
     */
    public record Entry(long index, Instant validUntil, byte[] body, String etag) {}

    /** Filters cached at most; any status word is a filter, so the cache must not grow with them. */
    static final int MAX_FILTERS = 64;

    private final Map<ServiceFilter, Entry> entries = new ConcurrentHashMap<>();

    /**
     * The entry for {@code filter} if it is still current at {@code index} and {@code now}, else
     * a fresh one from {@code encode} (which the caller builds reading the index first).
     */
    public Entry get(ServiceFilter filter, long index, Instant now, Supplier<Entry> encode) {
        Entry cached = entries.get(filter);
        if (cached != null && cached.index() == index && now.isBefore(cached.validUntil())) {
            return cached;
        }
        Entry fresh = encode.get();
        if (cached != null || entries.size() < MAX_FILTERS) {
            entries.put(filter, fresh);
        }
        return fresh;
    }
}
