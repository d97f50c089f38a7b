package dev.registry.events.event;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.registry.api.ServiceRecord;

/**
 * The fields of an update; {@code null} means "not sent, leave as it is". {@code metadata}
 * replaces the whole object when present.
 */
public record ServiceChanges(
        String host, Integer port, String hostname, String url, String status, ObjectNode metadata) {

    /** {@code record} with these changes applied and its heartbeat set to {@code epochSeconds}. */
    public ServiceRecord applyTo(ServiceRecord record, double epochSeconds) {
        return new ServiceRecord(
                record.name(),
                host != null ? host : record.host(),
                port != null ? port : record.port(),
                hostname != null ? hostname : record.hostname(),
                url != null ? url : record.url(),
                status != null ? status : record.status(),
                record.timestamp(),
                epochSeconds,
                record.healthStatus(),
                metadata != null ? metadata : record.metadata());
    }
}
