package dev.registry.events.audit;

import java.util.List;

/**
 * A service's history, oldest first.
 *
 * @param name                the service
 * @param entries             the entries in range, at most the query's limit
 * @param heartbeatsAfterLast heartbeats after the last entry of the whole history (when
 *                            heartbeats are counted, not listed)
 * @param more                whether the limit cut entries off
 */
public record HistoryPage(String name, List<HistoryEntry> entries, long heartbeatsAfterLast, boolean more) {}
