package dev.registry.server.discovery;

import dev.registry.api.Durations;
import dev.registry.server.http.ApiException;
import dev.registry.server.http.ApiRequest;
import dev.registry.server.http.QueryParameters;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.ThreadLocalRandom;

/**
 * {@code ?index=N&wait=30s}: hold a read until the view's index passes N, or until the wait runs
 * out. The wait is capped at five minutes and stretched by up to 1/16 at random, so that many
 * clients that started together do not all come back together.
 */
public final class BlockingQuery {

    /** Longest wait a client may ask for; also the wait when it gives an index but no wait. */
    public static final Duration MAX_WAIT = Duration.ofMinutes(5);

    private BlockingQuery() {}

    /** Waits as the request asks, if it asks; returns at once otherwise. */
    public static void awaitIfAsked(ApiRequest request, ViewChanges changes) {
        QueryParameters q = new QueryParameters(request);
        Optional<Long> index = q.number("index", 0);
        Optional<Duration> wait = q.text("wait").map(BlockingQuery::parseWait);
        if (index.isEmpty()) {
            return;
        }
        Duration max = wait.orElse(MAX_WAIT);
        if (max.compareTo(MAX_WAIT) > 0) {
            max = MAX_WAIT;
        }
        long jitterNanos = max.toNanos() / 16;
        Duration total =
                max.plusNanos(jitterNanos > 0 ? ThreadLocalRandom.current().nextLong(jitterNanos) : 0);
        try {
            changes.awaitAboveForQuery(index.get(), total);
        } catch (InterruptedException ex) {
            Thread.currentThread().interrupt();
        }
    }

    private static Duration parseWait(String value) {
        try {
            return Durations.parse(value);
        } catch (IllegalArgumentException ex) {
            throw ApiException.badRequest("Parameter 'wait' must be a duration like 500ms, 30s or 5m");
        }
    }
}
