package dev.registry.events.log;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.registry.api.PlainJson;
import dev.registry.api.RecordFields;
import dev.registry.api.ServiceRecord;
import dev.registry.api.SharedText;
import dev.registry.events.event.HealthChecked;
import dev.registry.events.event.HeartbeatReceived;
import dev.registry.events.event.LeaseGranted;
import dev.registry.events.event.RegistryEvent;
import dev.registry.events.event.RegistryStarted;
import dev.registry.events.event.ServiceChanges;
import dev.registry.events.event.ServiceDeregistered;
import dev.registry.events.event.ServiceEvicted;
import dev.registry.events.event.ServiceExpired;
import dev.registry.events.event.ServiceRegistered;
import dev.registry.events.event.ServiceUpdated;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Turns events into {@link EncodedEvent}s and back.
 *
 * <p>An encoded event is a type name, a schema version, the time in epoch microseconds and a
 * payload with the type's fields. The payload is JSON, so that a later schema can add fields and
 * old logs stay readable, except for heartbeats: they are most of a log, so version 2 of
 * {@code heartbeat} is a compact binary form (three length-prefixed strings) that replays several
 * times faster. The version says how to read each payload; decoding a type or version this code
 * does not know fails loudly rather than guessing.
 */
public final class EventCodec {

    /** Schema version of the JSON payloads. */
    public static final int SCHEMA_VERSION = 1;
    /** Schema version of the binary heartbeat payload written today. */
    public static final int HEARTBEAT_BINARY_VERSION = 2;

    public static final String REGISTERED = "registered";
    public static final String UPDATED = "updated";
    public static final String HEARTBEAT = "heartbeat";
    public static final String DEREGISTERED = "deregistered";
    public static final String REGISTRY_STARTED = "registry-started";
    public static final String HEALTH_CHECKED = "health-checked";
    public static final String EXPIRED = "expired";
    public static final String EVICTED = "evicted";
    public static final String LEASE_GRANTED = "lease-granted";

    /** Every type name, most frequent first (replay looks each event's type up here). */
    static final String[] KNOWN_TYPES = {
        HEARTBEAT, REGISTERED, UPDATED, HEALTH_CHECKED, EXPIRED, EVICTED, DEREGISTERED, REGISTRY_STARTED, LEASE_GRANTED
    };

    private final ObjectMapper json = PlainJson.newMapper();

    /** The stable type name written to the log for {@code event}. */
    public static String typeOf(RegistryEvent event) {
        return switch (event) {
            case ServiceRegistered e -> REGISTERED;
            case ServiceUpdated e -> UPDATED;
            case HeartbeatReceived e -> HEARTBEAT;
            case ServiceDeregistered e -> DEREGISTERED;
            case RegistryStarted e -> REGISTRY_STARTED;
            case HealthChecked e -> HEALTH_CHECKED;
            case ServiceExpired e -> EXPIRED;
            case ServiceEvicted e -> EVICTED;
            case LeaseGranted e -> LEASE_GRANTED;
        };
    }

    public EncodedEvent encode(RegistryEvent event) {
        if (event instanceof HeartbeatReceived beat) {
            return new EncodedEvent(
                    HEARTBEAT, HEARTBEAT_BINARY_VERSION, toMicros(event.time()), BinaryHeartbeat.encode(beat));
        }
        return new EncodedEvent(typeOf(event), SCHEMA_VERSION, toMicros(event.time()), payloadOf(event));
    }

    /** The canonical type name equal to {@code type}, or {@code type} itself when it is unknown. */
    public static String canonicalType(CharSequence type) {
        for (String known : KNOWN_TYPES) {
            if (known.contentEquals(type)) {
                return known;
            }
        }
        return type.toString();
    }

    public RegistryEvent decode(EncodedEvent encoded) {
        return decode(
                encoded.type(),
                encoded.version(),
                encoded.timeMicros(),
                encoded.payload(),
                0,
                encoded.payload().length);
    }

    /** Decodes the event of a frame just {@link EventFrame#read read}, straight from the array it was read from. */
    public RegistryEvent decode(EventFrame frame) {
        return decode(
                frame.type(),
                frame.version(),
                frame.timeMicros(),
                frame.bytes(),
                frame.payloadOffset(),
                frame.payloadLength());
    }

    private RegistryEvent decode(String type, int version, long timeMicros, byte[] payload, int offset, int length) {
        Instant time = fromMicros(timeMicros);
        if (HEARTBEAT.equals(type) && version == HEARTBEAT_BINARY_VERSION) {
            return BinaryHeartbeat.decode(time, payload, offset, length);
        }
        if (version != SCHEMA_VERSION) {
            throw new IllegalStateException("event type '" + type + "' has schema version "
                    + version + ", this build reads version " + SCHEMA_VERSION
                    + (HEARTBEAT.equals(type) ? " or " + HEARTBEAT_BINARY_VERSION : ""));
        }
        JsonNode p = readPayload(type, payload, offset, length);
        return switch (type) {
            case REGISTERED ->
                new ServiceRegistered(
                        time,
                        storedRecord(p.required("record")),
                        p.required("replaced").asBoolean());
            case UPDATED -> new ServiceUpdated(time, text(p, "name"), changesOf(p.required("changes")));
            case HEARTBEAT ->
                new HeartbeatReceived(
                        time,
                        text(p, "name"),
                        p.hasNonNull("status") ? p.get("status").asText() : null,
                        text(p, "cause"));
            case DEREGISTERED -> new ServiceDeregistered(time, text(p, "name"));
            case REGISTRY_STARTED ->
                new RegistryStarted(
                        time,
                        text(p, "version"),
                        stringMap(p.required("config")),
                        Instant.parse(text(p, "eviction_grace_until")));
            case HEALTH_CHECKED ->
                new HealthChecked(
                        time,
                        text(p, "name"),
                        text(p, "old"),
                        text(p, "new"),
                        text(p, "detail"),
                        text(p, "cause"),
                        leaseEpoch(p));
            case EXPIRED ->
                new ServiceExpired(
                        time, text(p, "name"), p.required("last_heartbeat").asDouble(), leaseEpoch(p));
            case EVICTED ->
                new ServiceEvicted(
                        time,
                        storedRecord(p.required("record")),
                        p.required("age_seconds").asDouble(),
                        leaseEpoch(p));
            case LEASE_GRANTED ->
                new LeaseGranted(
                        time, text(p, "holder"), p.required("epoch").asLong(), Instant.parse(text(p, "until")));
            default ->
                throw new IllegalStateException("unknown event type '" + type + "' (written by a newer registry?)");
        };
    }

    /**
     * The event as one flat JSON object for people and scripts: index, time (ISO-8601 UTC),
     * type, then the payload's fields.
     */
    public ObjectNode describe(long index, EncodedEvent encoded) {
        ObjectNode out = json.createObjectNode();
        out.put("index", index);
        out.put("time", fromMicros(encoded.timeMicros()).toString());
        out.put("type", encoded.type());
        if (HEARTBEAT.equals(encoded.type()) && encoded.version() == HEARTBEAT_BINARY_VERSION) {
            HeartbeatReceived beat = (HeartbeatReceived) decode(encoded);
            out.put("name", beat.name());
            if (beat.status() != null) {
                out.put("status", beat.status());
            }
            out.put("cause", beat.cause());
        } else {
            out.setAll((ObjectNode) readPayload(encoded.type(), encoded.payload(), 0, encoded.payload().length));
        }
        return out;
    }

    /** The service a {@link #describe described} event is about, or {@code null} (registry-started). */
    public static String serviceOf(ObjectNode described) {
        return described.has("name")
                ? described.get("name").asText()
                : described.path("record").path("name").asText(null);
    }

    private byte[] payloadOf(RegistryEvent event) {
        ObjectNode p = json.createObjectNode();
        switch (event) {
            case ServiceRegistered e -> {
                p.set("record", json.valueToTree(e.record()));
                p.put("replaced", e.replaced());
            }
            case ServiceUpdated e -> {
                p.put("name", e.name());
                p.set("changes", changesJson(e.changes()));
            }
            case HeartbeatReceived e -> {
                p.put("name", e.name());
                if (e.status() != null) {
                    p.put("status", e.status());
                }
                p.put("cause", e.cause());
            }
            case ServiceDeregistered e -> p.put("name", e.name());
            case RegistryStarted e -> {
                p.put("version", e.version());
                ObjectNode config = p.putObject("config");
                new java.util.TreeMap<>(e.config()).forEach(config::put);
                p.put("eviction_grace_until", e.evictionGraceUntil().toString());
            }
            case HealthChecked e -> {
                p.put("name", e.name());
                p.put("old", e.oldStatus());
                p.put("new", e.newStatus());
                p.put("detail", e.detail());
                p.put("cause", e.cause());
                putLeaseEpoch(p, e.leaseEpoch());
            }
            case ServiceExpired e -> {
                p.put("name", e.name());
                p.put("last_heartbeat", e.lastHeartbeat());
                putLeaseEpoch(p, e.leaseEpoch());
            }
            case ServiceEvicted e -> {
                p.set("record", json.valueToTree(e.record()));
                p.put("age_seconds", e.ageSeconds());
                putLeaseEpoch(p, e.leaseEpoch());
            }
            case LeaseGranted e -> {
                p.put("holder", e.holder());
                p.put("epoch", e.epoch());
                p.put("until", e.until().toString());
            }
        }
        try {
            return json.writeValueAsBytes(p);
        } catch (JsonProcessingException ex) {
            throw new IllegalStateException("cannot encode " + event, ex);
        }
    }

    private ObjectNode changesJson(ServiceChanges c) {
        ObjectNode n = json.createObjectNode();
        if (c.host() != null) n.put(RecordFields.HOST, c.host());
        if (c.port() != null) n.put(RecordFields.PORT, c.port());
        if (c.hostname() != null) n.put(RecordFields.HOSTNAME, c.hostname());
        if (c.url() != null) n.put(RecordFields.URL, c.url());
        if (c.status() != null) n.put(RecordFields.STATUS, c.status());
        if (c.metadata() != null) n.set(RecordFields.METADATA, c.metadata());
        return n;
    }

    /**
     * The record of a payload. A field this build does not store means a newer registry wrote it:
     * refused, as the mapper's conversion refused it, rather than dropped.
     */
    private static ServiceRecord storedRecord(JsonNode n) {
        n.fieldNames().forEachRemaining(field -> {
            if (!RecordFields.STORED.contains(field)) {
                throw new IllegalArgumentException("unknown field '" + field + "' in a stored service record");
            }
        });
        return ServiceRecord.fromJson(n).withSharedText(); // a replay reads a million of them
    }

    private static ServiceChanges changesOf(JsonNode n) {
        return new ServiceChanges(
                n.hasNonNull(RecordFields.HOST)
                        ? SharedText.of(n.get(RecordFields.HOST).asText())
                        : null,
                n.hasNonNull(RecordFields.PORT) ? n.get(RecordFields.PORT).asInt() : null,
                n.hasNonNull(RecordFields.HOSTNAME)
                        ? SharedText.of(n.get(RecordFields.HOSTNAME).asText())
                        : null,
                n.hasNonNull(RecordFields.URL) ? n.get(RecordFields.URL).asText() : null,
                n.hasNonNull(RecordFields.STATUS)
                        ? SharedText.of(n.get(RecordFields.STATUS).asText())
                        : null,
                n.hasNonNull(RecordFields.METADATA)
                        ? SharedText.compact((ObjectNode) n.get(RecordFields.METADATA))
                        : null);
    }

    private JsonNode readPayload(String type, byte[] payload, int offset, int length) {
        try {
            JsonNode node = json.readTree(payload, offset, length);
            if (node == null || !node.isObject()) {
                throw new IllegalStateException("payload of '" + type + "' is not a JSON object");
            }
            return node;
        } catch (java.io.IOException ex) {
            throw new IllegalStateException("payload of '" + type + "' is not valid JSON", ex);
        }
    }

    /** A time-driven event's lease, written only on a log with leases: one writer's payloads stay as they were. */
    private static void putLeaseEpoch(ObjectNode p, long epoch) {
        if (epoch != 0) {
            p.put("lease_epoch", epoch);
        }
    }

    private static long leaseEpoch(JsonNode p) {
        return p.path("lease_epoch").asLong(0);
    }

    private static String text(JsonNode p, String field) {
        return p.required(field).asText();
    }

    private static Map<String, String> stringMap(JsonNode node) {
        Map<String, String> map = new LinkedHashMap<>();
        node.properties().forEach(e -> map.put(e.getKey(), e.getValue().asText()));
        return map;
    }

    /** Event times are kept to the microsecond, the precision of the stored form. */
    public static Instant truncate(Instant time) {
        return time.truncatedTo(ChronoUnit.MICROS);
    }

    static long toMicros(Instant time) {
        return Math.addExact(Math.multiplyExact(time.getEpochSecond(), 1_000_000L), time.getNano() / 1_000);
    }

    static Instant fromMicros(long micros) {
        return Instant.ofEpochSecond(Math.floorDiv(micros, 1_000_000L), Math.floorMod(micros, 1_000_000L) * 1_000L);
    }
}
