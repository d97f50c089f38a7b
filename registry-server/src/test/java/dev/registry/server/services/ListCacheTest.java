package dev.registry.server.services;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.is;

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
            cache.get(all, 7, NOW, () -> entry(7, encodings));
        }
        assertThat(encodings.get(), is(1));
        cache.get(all, 8, NOW, () -> entry(8, encodings));
        assertThat(encodings.get(), is(2));
        cache.get(all, 8, NOW.plusSeconds(61), () -> entry(8, encodings));
        assertThat(encodings.get(), is(3));
    }

    @Test
    void arbitraryFiltersCannotGrowItWithoutBound() {
        ListCache cache = new ListCache();
        AtomicInteger encodings = new AtomicInteger();
        for (int i = 0; i < 1000; i++) {
            cache.get(new ServiceFilter("status-" + i, null), 1, NOW, () -> entry(1, encodings));
        }
        int before = encodings.get();
        cache.get(new ServiceFilter("status-0", null), 1, NOW, () -> entry(1, encodings));
        cache.get(new ServiceFilter("status-999", null), 1, NOW, () -> entry(1, encodings));
        assertThat(encodings.get(), is(before + 1));
    }

    private static ListCache.Entry entry(long index, AtomicInteger encodings) {
        encodings.incrementAndGet();
        return new ListCache.Entry(index, NOW.plusSeconds(60), new byte[] {'{'}, "\"x\"");
    }
}
