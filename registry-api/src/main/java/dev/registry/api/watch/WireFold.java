package dev.registry.api.watch;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.registry.api.ServiceRecord;

import java.time.Instant;
import java.util.Map;
import java.util.Set;

/**
 * Applies events in their wire form (as {@code GET /events/stream} sends them) to a local copy of
 * the registry: the client-side twin of the server's projector. Applying an event the copy
 * already reflects, in order, changes nothing, so a copy taken from a list can be brought up to
 * date from any index at or before the list's.
 */
final class WireFold {

    private static final ObjectMapper JSON = new ObjectMapper()
            .disable(com.fasterxml.jackson.databind.DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);

    /** What an event did. */
    enum Outcome { APPLIED, IGNORED, UNKNOWN_TYPE }

    private WireFold() {
    }

    static Outcome apply(JsonNode event, Map<String, ServiceRecord> records, Set<String> expired,
                         WatchListener listener) {
        String type = event.path("type").asText();
        double time = epochSeconds(Instant.parse(event.get("time").asText()));
        String name = event.has("name") ? event.get("name").asText() : event.path("record").path("name").asText(null);
        ServiceRecord before = name == null ? null : records.get(name);
        ServiceRecord after;
        switch (type) {
            case "registered" -> {
                after = JSON.convertValue(event.get("record"), ServiceRecord.class);
                expired.remove(name);
            }
            case "updated" -> {
                if (before == null) {
                    return Outcome.IGNORED;
                }
                JsonNode c = event.get("changes");
                after = new ServiceRecord(before.name(), text(c, "host", before.host()),
                        c.has("port") ? c.get("port").asInt() : before.port(), text(c, "hostname", before.hostname()),
                        text(c, "url", before.url()), text(c, "status", before.status()), before.timestamp(), time,
                        before.healthStatus(), c.has("metadata") ? (ObjectNode) c.get("metadata") : before.metadata());
                expired.remove(name);
            }
            case "heartbeat" -> {
                if (before == null) {
                    return Outcome.IGNORED;
                }
                after = before.withHeartbeat(time, event.has("status") ? event.get("status").asText() : null);
                expired.remove(name);
            }
            case "health-checked" -> {
                if (before == null) {
                    return Outcome.IGNORED;
                }
                after = before.withHealthStatus(event.get("new").asText());
            }
            case "expired" -> {
                if (before != null) {
                    expired.add(name);
                }
                return Outcome.APPLIED;
            }
            case "deregistered", "evicted" -> {
                expired.remove(name);
                if (before != null) {
                    records.remove(name);
                    listener.removed(before);
                }
                return Outcome.APPLIED;
            }
            case "registry-started" -> {
                return Outcome.IGNORED;
            }
            default -> {
                return Outcome.UNKNOWN_TYPE;
            }
        }
        records.put(name, after);
        if (before == null) {
            listener.added(after);
        } else if (!before.equals(after)) {
            listener.changed(before, after);
        }
        return Outcome.APPLIED;
    }

    /** Epoch seconds with the fraction, exactly as the server computes {@code last_heartbeat}. */
    static double epochSeconds(Instant time) {
        return time.getEpochSecond() + time.getNano() / 1_000_000_000.0;
    }

    private static String text(JsonNode node, String field, String otherwise) {
        return node.has(field) ? node.get(field).asText() : otherwise;
    }
}
