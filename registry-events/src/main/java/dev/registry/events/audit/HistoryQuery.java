package dev.registry.events.audit;

import java.time.Instant;

/**
 * What part of a service's history to read.
 *
 * @param name       the service
 * @param since      oldest time to include, or {@code null}
 * @param until      newest time to include, or {@code null}
 * @param limit      most entries to return
 * @param heartbeats list heartbeats as entries (slower: scans the log) instead of counting them
 */
public record HistoryQuery(String name, Instant since, Instant until, int limit, boolean heartbeats) {

    boolean includes(Instant time) {
        return (since == null || !time.isBefore(since)) && (until == null || !time.isAfter(until));
    }

    boolean isAfterRange(Instant time) {
        return until != null && time.isAfter(until);
    }
}
