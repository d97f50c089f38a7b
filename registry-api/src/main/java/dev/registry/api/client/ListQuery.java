package dev.registry.api.client;

import java.time.Duration;

/**
 * Filters and blocking for {@link RegistryClient#list(ListQuery)}.
 *
 * @param status  exact status, or {@code null}
 * @param healthy only healthy (true) or unhealthy (false) records, or {@code null} for all
 * @param index   block until the view passes this index, or {@code null} not to block
 * @param maxWait longest block (the server caps it at 5 minutes), or {@code null}
 */
public record ListQuery(String status, Boolean healthy, Long index, Duration maxWait) {

    public static ListQuery all() {
        return new ListQuery(null, null, null, null);
    }

    public static ListQuery healthyOnly() {
        return new ListQuery(null, true, null, null);
    }

    /** This query, blocking until the view passes {@code afterIndex}, at most {@code max}. */
    public ListQuery blockingAfter(long afterIndex, Duration max) {
        return new ListQuery(status, healthy, afterIndex, max);
    }
}
