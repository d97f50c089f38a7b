package dev.registry.server.services;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.nullValue;
import static org.hamcrest.Matchers.sameInstance;

import java.time.Instant;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class ListCacheTest {

    private static final Instant NOW = Instant.parse("2026-11-28T00:00:00Z");

    @Test
    void reusesAnEncodingUntilTheIndexMovesOrItsTimeRunsOut() {
        ListCache cache = new ListCache();
        AtomicInteger encodings = new AtomicInteger();
        ServiceFilter all = new ServiceFilter(null, null);
        for (int i = 0; i < 3; i++) {
            cache.get(all, 7, NOW, stale -> entry(7, encodings));
        }
        assertThat(encodings.get(), is(1));
        cache.get(all, 8, NOW, stale -> entry(8, encodings));
        assertThat(encodings.get(), is(2));
        cache.get(all, 8, NOW.plusSeconds(61), stale -> entry(8, encodings));
        assertThat(encodings.get(), is(3));
    }

    @Test
    void arbitraryFiltersCannotGrowItWithoutBoundNorPushOutTheOnesPolled() {
        ListCache cache = new ListCache();
        AtomicInteger encodings = new AtomicInteger();
        ServiceFilter running = new ServiceFilter("running", null);
        ServiceFilter unhealthy = new ServiceFilter(null, false);
        for (int i = 0; i < 1000; i++) {
            cache.get(new ServiceFilter("status-" + i, null), 1, NOW, stale -> entry(1, encodings));
            cache.get(running, 1, NOW, stale -> entry(1, encodings));
            cache.get(unhealthy, 1, NOW, stale -> entry(1, encodings));
        }
        assertThat(encodings.get(), is(1000 + 2)); // the two polled filters were encoded once
        int before = encodings.get();
        cache.get(new ServiceFilter("status-999", null), 1, NOW, stale -> entry(1, encodings)); // recent: kept
        assertThat(encodings.get(), is(before));
        cache.get(new ServiceFilter("status-0", null), 1, NOW, stale -> entry(1, encodings)); // long gone
        assertThat(encodings.get(), is(before + 1));
        for (int i = 0; i < ListCache.MAX_FILTERS; i++) {
            cache.get(new ServiceFilter("other-" + i, null), 1, NOW, stale -> entry(1, encodings));
        }
        cache.get(running, 1, NOW, stale -> entry(1, encodings)); // not polled for MAX_FILTERS others: evicted
        assertThat(encodings.get(), is(before + 1 + ListCache.MAX_FILTERS + 1));
    }

    @Test
    void anEncodingIsGivenTheStaleEntryOfItsFilterToSizeItsBuffer() {
        ListCache cache = new ListCache();
        AtomicInteger encodings = new AtomicInteger();
        ServiceFilter all = new ServiceFilter(null, null);
        ListCache.Entry first = cache.get(all, 1, NOW, stale -> {
            assertThat(stale, is(nullValue()));
            return entry(1, encodings);
        });
        cache.get(all, 2, NOW, stale -> {
            assertThat(stale, is(sameInstance(first)));
            return entry(2, encodings);
        });
        cache.get(new ServiceFilter("running", null), 2, NOW, stale -> {
            assertThat(stale, is(nullValue()));
            return entry(2, encodings);
        });
        assertThat(encodings.get(), is(3));
    }

    @Test
    void aSlowEncodingOfAnOlderIndexDoesNotReplaceANewerOne() {
        ListCache cache = new ListCache();
        AtomicInteger encodings = new AtomicInteger();
        ServiceFilter all = new ServiceFilter(null, null);
        cache.get(all, 5, NOW, stale -> {
            cache.get(all, 6, NOW, older -> entry(6, encodings)); // finishes first
            return entry(5, encodings);
        });
        cache.get(all, 6, NOW, stale -> entry(6, encodings));
        assertThat(encodings.get(), is(2));
    }

    @Test
    void theGzipFormIsMadeOnceAndTaggedApart() {
        ListCache.Entry entry = new ListCache.Entry(1, NOW, "{\"total\":0".getBytes(), "\"abc-9\"");
        assertThat(entry.gzip(), sameInstance(entry.gzip()));
        assertThat(entry.gzipEtag(), is("\"abc-9-gzip\""));
    }

    private static ListCache.Entry entry(long index, AtomicInteger encodings) {
        encodings.incrementAndGet();
        return new ListCache.Entry(index, NOW.plusSeconds(60), new byte[] {'{'}, "\"x\"");
    }
}
