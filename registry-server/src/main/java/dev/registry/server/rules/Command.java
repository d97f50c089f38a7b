package dev.registry.server.rules;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.registry.events.event.ServiceChanges;
import java.time.Duration;
import java.util.Map;

/** A validated request to change the registry. The {@link CommandDecider} turns it into an event. */
public sealed interface Command {

    /**
     * Register (or replace) a record.
     *
     * @param timestamp   the client's own timestamp string, or {@code null} for the server's time
     * @param recordLimit the most records the registry may hold: a new name is refused when it
     *                    holds that many already ({@code --max-records}); replacing a record is not
     */
    record Register(
            String name,
            String host,
            int port,
            String hostname,
            String url,
            String status,
            String timestamp,
            ObjectNode metadata,
            int recordLimit)
            implements Command {}

    /** Change some fields of an existing record; also a heartbeat. */
    record Update(String name, ServiceChanges changes) implements Command {}

    /**
     * Refresh a record's heartbeat.
     *
     * @param status new status, or {@code null} to keep it
     * @param cause  {@code client} or {@code probe}
     */
    record Heartbeat(String name, String status, String cause) implements Command {}

    /** Remove a record. */
    record Deregister(String name) implements Command {}

    /**
     * Record that a server started on this log.
     *
     * @param evictionGrace how long after the start no record may be evicted
     */
    record Start(String version, Map<String, String> config, Duration evictionGrace) implements Command {}

    /** Append whatever expiries and evictions the health rules call for now. */
    record Sweep(HealthRules rules, HealthDeadlines deadlines) implements Command {}

    /**
     * Record the result of an active check: a {@code health-checked} event when it changes the
     * record's {@code health_status}, and, when {@code refreshHeartbeat} and healthy, a heartbeat
     * caused by the probe.
     */
    record RecordCheck(String name, String healthStatus, String detail, String cause, boolean refreshHeartbeat)
            implements Command {}
}
