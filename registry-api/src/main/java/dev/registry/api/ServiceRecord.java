package dev.registry.api;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.annotation.JsonSerialize;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Objects;

/**
 * One registered service, as the registry stores it.
 *
 * <p>The wire form adds {@code is_healthy}, which depends on the time of the query and so is
 * never stored. {@code metadata} is kept verbatim; the record owns that node and nobody mutates
 * it after construction (copying it on every heartbeat would cost more than the heartbeat).
 *
 * @param name          unique key of the record
 * @param host          host the service listens on
 * @param port          port the service listens on, 1–65535
 * @param hostname      the machine's host name, as the client reported it
 * @param url           base URL of the service
 * @param status        the client's own status word; {@code running} counts towards health
 * @param timestamp     the client's timestamp string, or the server's time of registration
 * @param lastHeartbeat epoch seconds (fractional) of the last heartbeat, register or update
 * @param healthStatus  {@code unknown}, {@code healthy} or {@code unhealthy}, from active checks
 * @param metadata      free-form object, stored and returned verbatim
 */
public record ServiceRecord(
        @JsonProperty(RecordFields.NAME) String name,
        @JsonProperty(RecordFields.HOST) String host,
        @JsonProperty(RecordFields.PORT) int port,
        @JsonProperty(RecordFields.HOSTNAME) String hostname,
        @JsonProperty(RecordFields.URL) String url,
        @JsonProperty(RecordFields.STATUS) String status,
        @JsonProperty(RecordFields.TIMESTAMP) String timestamp,

        @JsonProperty(RecordFields.LAST_HEARTBEAT) @JsonSerialize(using = EpochSeconds.Serializer.class)
        double lastHeartbeat,

        @JsonProperty(RecordFields.HEALTH_STATUS) String healthStatus,
        @JsonProperty(RecordFields.METADATA) ObjectNode metadata) {

    /** Health status of a record that no active check has looked at yet. */
    public static final String HEALTH_UNKNOWN = "unknown";
    /** Health status after a successful active check. */
    public static final String HEALTH_HEALTHY = "healthy";
    /** Health status after a failed active check. */
    public static final String HEALTH_UNHEALTHY = "unhealthy";
    /** The status word that, with a fresh heartbeat, makes a record healthy. */
    public static final String STATUS_RUNNING = "running";

    @JsonCreator
    public ServiceRecord {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(host, "host");
        Objects.requireNonNull(hostname, "hostname");
        Objects.requireNonNull(url, "url");
        Objects.requireNonNull(status, "status");
        Objects.requireNonNull(timestamp, "timestamp");
        healthStatus = healthStatus == null ? HEALTH_UNKNOWN : healthStatus;
        metadata = metadata == null ? JsonNodeFactory.instance.objectNode() : metadata;
    }

    /**
     * The record in a JSON tree of its stored form, read field by field and keeping the tree's
     * metadata node: {@code ObjectMapper.convertValue} would write the tree to a token buffer and
     * parse it again. It refuses what that conversion refused (a missing or null string field is
     * a {@link NullPointerException}, as from the constructor; a port or heartbeat that is not a
     * number, or metadata that is not an object, an {@link IllegalArgumentException}), and like
     * the clients' conversions it ignores fields it does not know ({@code is_healthy}, or a newer
     * server's).
     */
    public static ServiceRecord fromJson(JsonNode n) {
        JsonNode metadata = n.get(RecordFields.METADATA);
        if (metadata != null && !metadata.isNull() && !metadata.isObject()) {
            throw new IllegalArgumentException("'metadata' of a service record is not an object");
        }
        return new ServiceRecord(
                text(n, RecordFields.NAME),
                text(n, RecordFields.HOST),
                (int) number(n, RecordFields.PORT),
                text(n, RecordFields.HOSTNAME),
                text(n, RecordFields.URL),
                text(n, RecordFields.STATUS),
                text(n, RecordFields.TIMESTAMP),
                number(n, RecordFields.LAST_HEARTBEAT),
                text(n, RecordFields.HEALTH_STATUS),
                metadata instanceof ObjectNode object ? object : null);
    }

    /** A string field, or null when absent or null (the constructor decides whether it may be). */
    private static String text(JsonNode n, String field) {
        JsonNode v = n.get(field);
        if (v == null || v.isNull()) {
            return null;
        }
        if (v.isContainerNode()) {
            throw new IllegalArgumentException("'" + field + "' of a service record is not a string");
        }
        return v.asText();
    }

    /** A number field, or one written as a numeric string (as the conversion coerces); 0 when absent. */
    private static double number(JsonNode n, String field) {
        JsonNode v = n.get(field);
        if (v == null || v.isNull()) {
            return 0;
        }
        if (v.isNumber()) {
            return v.asDouble();
        }
        if (v.isTextual()) {
            return Double.parseDouble(v.asText()); // NumberFormatException is an IllegalArgumentException
        }
        throw new IllegalArgumentException("'" + field + "' of a service record is not a number");
    }

    /**
     * Whether this record counts as healthy at {@code nowEpochSeconds}: status {@code running}
     * and a heartbeat younger than the TTL. {@code health_status} does not enter it, as in the
     * registry this one replaces.
     */
    public boolean isHealthyAt(double nowEpochSeconds, double heartbeatTtlSeconds) {
        return STATUS_RUNNING.equals(status) && nowEpochSeconds - lastHeartbeat < heartbeatTtlSeconds;
    }

    /** This record after a heartbeat at {@code epochSeconds}, optionally with a new status. */
    public ServiceRecord withHeartbeat(double epochSeconds, String newStatus) {
        return new ServiceRecord(
                name,
                host,
                port,
                hostname,
                url,
                newStatus == null ? status : newStatus,
                timestamp,
                epochSeconds,
                healthStatus,
                metadata);
    }

    /**
     * This record, made of {@code other}'s parts where they are equal: {@code other} itself when
     * the two are equal, else a record that takes each equal field (strings, metadata) from it.
     * A view replayed from the log (time travel) then shares its records with the live view
     * instead of holding a second copy of every string and metadata tree.
     */
    public ServiceRecord sharingPartsOf(ServiceRecord other) {
        if (other == null || other == this) {
            return this;
        }
        if (equals(other)) {
            return other;
        }
        // a heartbeat replayed onto a record that shares all it can already needs no new record
        if (nothingToShare(name, other.name)
                && nothingToShare(host, other.host)
                && nothingToShare(hostname, other.hostname)
                && nothingToShare(url, other.url)
                && nothingToShare(status, other.status)
                && nothingToShare(timestamp, other.timestamp)
                && nothingToShare(healthStatus, other.healthStatus)
                && nothingToShare(metadata, other.metadata)) {
            return this;
        }
        return new ServiceRecord(
                same(name, other.name),
                same(host, other.host),
                port,
                same(hostname, other.hostname),
                same(url, other.url),
                same(status, other.status),
                same(timestamp, other.timestamp),
                lastHeartbeat,
                same(healthStatus, other.healthStatus),
                same(metadata, other.metadata));
    }

    private static boolean nothingToShare(Object mine, Object theirs) {
        return mine == theirs || !mine.equals(theirs);
    }

    private static <T> T same(T mine, T theirs) {
        return mine.equals(theirs) ? theirs : mine;
    }

    /**
     * This record with its repeated text shared ({@link SharedText}): status words, host,
     * hostname, metadata keys and short metadata values. For records read in bulk, from the log or
     * a snapshot, which would otherwise hold each of them once per record.
     */
    public ServiceRecord withSharedText() {
        return new ServiceRecord(
                name,
                SharedText.of(host),
                port,
                SharedText.of(hostname),
                url,
                SharedText.of(status),
                timestamp,
                lastHeartbeat,
                SharedText.of(healthStatus),
                SharedText.compact(metadata));
    }

    /** This record with another health status. */
    public ServiceRecord withHealthStatus(String newHealthStatus) {
        return new ServiceRecord(
                name, host, port, hostname, url, status, timestamp, lastHeartbeat, newHealthStatus, metadata);
    }
}
