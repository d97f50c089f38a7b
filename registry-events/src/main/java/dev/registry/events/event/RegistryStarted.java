package dev.registry.events.event;

import java.time.Instant;
import java.util.Map;

/**
 * A registry server started on this log, after replaying it.
 *
 * @param time    start time
 * @param version the server's version
 * @param config  the settings it started with, as text (port, TTL, ...)
 */
public record RegistryStarted(Instant time, String version, Map<String, String> config) implements RegistryEvent {
    public RegistryStarted {
        config = Map.copyOf(config);
    }
}
