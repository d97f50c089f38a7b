package dev.registry.server.services;

import dev.registry.server.http.ETags;
import dev.registry.server.http.GzipPrefix;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.UnaryOperator;

/**
 * The encoded list reply per filter, reused until the view changes or a record's health may flip
 * with time. A hundred routers polling ten thousand records cost one encoding per change, not a
 * hundred; polls in between copy bytes. Each entry also keeps the list gzip-compressed, made on
 * the first poll that accepts gzip and reused until the entry is replaced.
 *
 * <p>The filters polled most stay: the cache holds the {@link #MAX_FILTERS} used last, so a
 * client sending one status word after another cannot push {@code ?status=running} out for good.
 */
final class ListCache {

    /** One encoded list, in both encodings. */
    static final class Entry {
        private final long index;
        private final Instant validUntil;
        private final byte[] body;
        private final String etag;
        private final String gzipEtag;
        private volatile GzipPrefix gzip;

        /**
         * @param index      the view's index when encoding started (the body reflects at least that)
         * @param validUntil the first time a record's {@code is_healthy} may flip by itself
         * @param body       the reply up to, not including, its {@code timestamp} field
         * @param etag       strong validator of {@code body}
         */
        Entry(long index, Instant validUntil, byte[] body, String etag) {
            this.index = index;
            this.validUntil = validUntil;
            this.body = body;
            this.etag = etag;
            this.gzipEtag = ETags.ofEncoding(etag, "gzip");
        }

        long index() {
            return index;
        }

        Instant validUntil() {
            return validUntil;
        }

        byte[] body() {
            return body;
        }

        String etag() {
            return etag;
        }

        /** The tag of the gzip encoding: another representation, so another strong tag. */
        String gzipEtag() {
            return gzipEtag;
        }

        /** {@link #body()} gzip-compressed, once: concurrent first polls wait for one compression. */
        GzipPrefix gzip() {
            GzipPrefix g = gzip;
            if (g == null) {
                synchronized (this) {
                    g = gzip;
                    if (g == null) {
                        g = GzipPrefix.of(body);
                        gzip = g;
                    }
                }
            }
            return g;
        }
    }

    /**
     * Filters cached at most; any status word is a filter, so the cache must not grow with them,
     * and each entry holds a whole list.
     */
    static final int MAX_FILTERS = 16;

    /** In access order: the eldest is the one used longest ago. Guarded by itself. */
    private final Map<ServiceFilter, Entry> entries = new LinkedHashMap<>(MAX_FILTERS * 2, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<ServiceFilter, ListCache.Entry> eldest) {
            return size() > MAX_FILTERS;
        }
    };

    /**
     * The entry for {@code filter} if it is still current at {@code index} and {@code now}, else
     * a fresh one from {@code encode} (which the caller builds reading the index first), given
     * the stale entry or {@code null}: its length is the best guess of the next one's.
     */
    Entry get(ServiceFilter filter, long index, Instant now, UnaryOperator<Entry> encode) {
        Entry cached;
        synchronized (entries) {
            cached = entries.get(filter);
        }
        if (cached != null && cached.index() == index && now.isBefore(cached.validUntil())) {
            return cached;
        }
        Entry fresh = encode.apply(cached); // outside the lock: other filters' polls go on meanwhile
        synchronized (entries) {
            Entry current = entries.get(filter);
            // a slower encoding of an older index must not replace a newer one
            if (current == null || current.index() <= fresh.index()) {
                entries.put(filter, fresh);
            }
        }
        return fresh;
    }
}
