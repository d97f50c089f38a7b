package dev.registry.events.audit;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Instant;

/**
 * One step of a service's lifecycle.
 *
 * @param index            position in the log
 * @param time             when it was appended
 * @param type             event type, e.g. {@code registered}, {@code expired}
 * @param cause            client, probe, check, ttl, stale, ...
 * @param fields           what the event changed (its payload without the name)
 * @param heartbeatsBefore heartbeats since the previous entry, or -1 when heartbeats are listed
 */
public record HistoryEntry(
        long index, Instant time, String type, String cause, ObjectNode fields, long heartbeatsBefore) {}
