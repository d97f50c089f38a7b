package dev.registry.api.client;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Instant;

/**
 * One entry of a service's history.
 *
 * @param fields           what the event changed
 * @param heartbeatsBefore heartbeats since the previous entry, or -1 when heartbeats are listed
 */
public record HistoryItem(
        long index, Instant time, String type, String cause, ObjectNode fields, long heartbeatsBefore) {}
