package dev.registry.events.audit;

import com.fasterxml.jackson.databind.JsonNode;
import dev.registry.api.ServiceRecord;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * How the registry changed between two times.
 *
 * @param from    start time
 * @param to      end time
 * @param added   records present at {@code to} but not at {@code from}
 * @param removed records present at {@code from} but not at {@code to}
 * @param changed records present at both whose fields differ
 * @param flips   health changes in between, oldest first
 */
public record RegistryDiff(
        Instant from,
        Instant to,
        List<ServiceRecord> added,
        List<ServiceRecord> removed,
        List<Change> changed,
        List<HealthFlip> flips) {

    /** One record's changed fields, each as [value at from, value at to]. */
    public record Change(String name, Map<String, List<JsonNode>> fields) {}

    /**
     * One health change: an active check flipping {@code health_status}, a TTL expiry, or a
     * heartbeat bringing an expired record back.
     */
    public record HealthFlip(
            long index, Instant time, String name, String type, String from, String to, String detail) {}
}
