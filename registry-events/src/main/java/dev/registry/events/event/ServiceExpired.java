package dev.registry.events.event;

import java.time.Instant;

/**
 * A record's heartbeat became older than the TTL, so it no longer counts as healthy. Appended
 * once per silence: the next heartbeat, update or registration ends it.
 *
 * @param time          append time
 * @param name          the record
 * @param lastHeartbeat the record's {@code last_heartbeat} (epoch seconds) when it expired
 */
public record ServiceExpired(Instant time, String name, double lastHeartbeat) implements ServiceEvent {
}
