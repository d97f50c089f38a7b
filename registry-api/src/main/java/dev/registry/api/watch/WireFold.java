package dev.registry.api.watch;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.registry.api.RecordFields;
import dev.registry.api.ServiceRecord;
import java.time.Instant;
import java.util.Map;
import java.util.Set;

/**
 * Applies events in their wire form (as {@code GET /events/stream} sends them) to a local copy of
 * the registry: the client-side twin of the server's projector, with its rules. On a log several
 * nodes share, the stream carries every event the log holds, also proposals that lost a race (a
 * heartbeat just after a deregistration, an eviction decided before a heartbeat, a check by a node
 * whose lease had run out); like the projector, the fold lets an event act only if it still holds
 * at its place. Applying an event the copy already reflects, in order, changes nothing, so a copy
 * taken from a list can be brought up to date from any index at or before the list's.
 */
final class WireFold {

    /** What an event did. */
    enum Outcome {
        APPLIED,
        IGNORED,
        UNKNOWN_TYPE
    }

    /** The lease for time-driven events, as the stream granted it; see the server's projector. */
    private record Lease(String holder, long epoch, Instant until) {
        boolean heldAt(Instant time) {
            return !time.isAfter(until);
        }
    }

    private final Map<String, ServiceRecord> records;
    private final Set<String> expired;
    /** Null until the stream shows a grant: a copy taken from a list does not know the lease. */
    private Lease lease;

    WireFold(Map<String, ServiceRecord> records, Set<String> expired) {
        this.records = records;
        this.expired = expired;
    }

    Outcome apply(JsonNode event, WatchListener listener) {
        String type = event.path("type").asText();
        Instant instant = Instant.parse(event.get("time").asText());
        double time = epochSeconds(instant);
        String name = event.has(RecordFields.NAME)
                ? event.get(RecordFields.NAME).asText()
                : event.path("record").path(RecordFields.NAME).asText(null);
        ServiceRecord before = name == null ? null : records.get(name);
        ServiceRecord after;
        switch (type) {
            case "registered" -> {
                JsonNode record = event.get("record");
                after = record == null || record.isNull() ? null : ServiceRecord.fromJson(record);
                expired.remove(name);
            }
            case "updated" -> {
                if (before == null) {
                    return Outcome.IGNORED;
                }
                after = changed(before, event.get("changes"), time);
                expired.remove(name);
            }
            case "heartbeat" -> {
                if (before == null) {
                    return Outcome.IGNORED;
                }
                after = before.withHeartbeat(time, text(event, RecordFields.STATUS, null));
                expired.remove(name);
            }
            case "health-checked" -> {
                if (before == null || !leaseAllows(event, instant)) {
                    return Outcome.IGNORED;
                }
                after = before.withHealthStatus(event.get("new").asText());
            }
            case "expired" -> {
                if (before == null
                        || !leaseAllows(event, instant)
                        || expired.contains(name)
                        || before.lastHeartbeat()
                                != event.path(RecordFields.LAST_HEARTBEAT).asDouble()) {
                    return Outcome.IGNORED;
                }
                expired.add(name);
                return Outcome.APPLIED;
            }
            case "evicted" -> {
                if (before == null
                        || !leaseAllows(event, instant)
                        || before.lastHeartbeat()
                                != event.path("record")
                                        .path(RecordFields.LAST_HEARTBEAT)
                                        .asDouble()) {
                    return Outcome.IGNORED;
                }
                return removed(name, before, listener);
            }
            case "deregistered" -> {
                return before == null ? Outcome.IGNORED : removed(name, before, listener);
            }
            case "lease-granted" -> {
                return grant(event, instant) ? Outcome.APPLIED : Outcome.IGNORED;
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

    private Outcome removed(String name, ServiceRecord before, WatchListener listener) {
        expired.remove(name);
        records.remove(name);
        listener.removed(before);
        return Outcome.APPLIED;
    }

    private static ServiceRecord changed(ServiceRecord r, JsonNode c, double time) {
        return new ServiceRecord(
                r.name(),
                text(c, RecordFields.HOST, r.host()),
                c.has(RecordFields.PORT) ? c.get(RecordFields.PORT).asInt() : r.port(),
                text(c, RecordFields.HOSTNAME, r.hostname()),
                text(c, RecordFields.URL, r.url()),
                text(c, RecordFields.STATUS, r.status()),
                r.timestamp(),
                time,
                r.healthStatus(),
                c.has(RecordFields.METADATA) ? (ObjectNode) c.get(RecordFields.METADATA) : r.metadata());
    }

    /** As the projector: epoch 0 is a log with one writer; otherwise the lease must be that epoch's, still held. */
    private boolean leaseAllows(JsonNode event, Instant time) {
        long epoch = event.path("lease_epoch").asLong(0);
        if (epoch == 0 || lease == null) {
            return true; // no lease on this log, or none seen yet: trust the event
        }
        return lease.epoch() == epoch && lease.heldAt(time);
    }

    /** A takeover once the lease ran out (the next epoch), or its holder's renewal or release. */
    private boolean grant(JsonNode event, Instant time) {
        Lease granted = new Lease(
                event.path("holder").asText(),
                event.path("epoch").asLong(),
                Instant.parse(event.path("until").asText()));
        boolean valid;
        if (lease == null) {
            valid = true; // the first grant this copy sees
        } else if (!lease.heldAt(time)) {
            valid = granted.epoch() == lease.epoch() + 1;
        } else {
            valid = granted.holder().equals(lease.holder()) && granted.epoch() == lease.epoch();
        }
        if (valid) {
            lease = granted;
        }
        return valid;
    }

    /** Epoch seconds with the fraction, exactly as the server computes {@code last_heartbeat}. */
    static double epochSeconds(Instant time) {
        return time.getEpochSecond() + time.getNano() / 1_000_000_000.0;
    }

    private static String text(JsonNode node, String field, String otherwise) {
        return node.has(field) ? node.get(field).asText() : otherwise;
    }
}
