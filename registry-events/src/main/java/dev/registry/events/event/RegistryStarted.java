package dev.registry.events.event;

import java.time.Instant;
import java.util.Map;

/**
 * A registry server started on this log, after replaying it.
 *
 * @param time    start time
 * @param version the server's version
 * @param config  the settings it started with, as text (port, TTL, ...)
 * @param evictionGraceUntil no record is evicted before this time: one full stale period after
 *                the start, so that a fleet that keeps heartbeating through a restart keeps
 *                every record, however long the registry was down
 */
public record RegistryStarted(Instant time, String version, Map<String, String> config, Instant evictionGraceUntil)
        implements RegistryEvent {
    public RegistryStarted {
        config = Map.copyOf(config);
    }
}
