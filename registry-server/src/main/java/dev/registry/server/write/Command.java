package dev.registry.server.write;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.registry.events.event.ServiceChanges;

import java.util.Map;

/** A validated request to change the registry. The {@link CommandDecider} turns it into an event. */
public sealed interface Command {

    /**
     * Register (or replace) a record.
     *
     * @param timestamp the client's own timestamp string, or {@code null} for the server's time
     */
    record Register(String name, String host, int port, String hostname, String url, String status,
                    String timestamp, ObjectNode metadata) implements Command {
    }

    /** Change some fields of an existing record; also a heartbeat. */
    record Update(String name, ServiceChanges changes) implements Command {
    }

    /**
     * Refresh a record's heartbeat.
     *
     * @param status new status, or {@code null} to keep it
     * @param cause  {@code client} or {@code probe}
     */
    record Heartbeat(String name, String status, String cause) implements Command {
    }

    /** Remove a record. */
    record Deregister(String name) implements Command {
    }

    /** Record that a server started on this log. */
    record Start(String version, Map<String, String> config) implements Command {
    }
}
