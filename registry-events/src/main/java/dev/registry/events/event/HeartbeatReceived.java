package dev.registry.events.event;

import java.time.Instant;

/**
 * A record's heartbeat was refreshed.
 *
 * @param time   append time; the record's new {@code last_heartbeat}
 * @param name   the record
 * @param status the new status the client sent with the heartbeat, or {@code null}
 * @param cause  who refreshed it: {@link #CAUSE_CLIENT} or {@link #CAUSE_PROBE}
 */
public record HeartbeatReceived(Instant time, String name, String status, String cause) implements ServiceEvent {
    /** The service itself (or its supervisor) sent the heartbeat. */
    public static final String CAUSE_CLIENT = "client";
    /** A successful live health check refreshed the heartbeat. */
    public static final String CAUSE_PROBE = "probe";
}
