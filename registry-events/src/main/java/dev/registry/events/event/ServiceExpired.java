package dev.registry.events.event;

import java.time.Instant;

/**
 * A record's heartbeat became older than the TTL, so it no longer counts as healthy. Appended
 * once per silence: the next heartbeat, update or registration ends it.
 *
 * @param time          append time
 * @param name          the record
 * @param lastHeartbeat the record's {@code last_heartbeat} (epoch seconds) when it expired; the
 *                      event takes effect only if the record still has it (no heartbeat since)
 * @param leaseEpoch    the epoch of the {@link LeaseGranted lease} it was appended under, or 0
 *                      on a log with one writer (no leases)
 */
public record ServiceExpired(Instant time, String name, double lastHeartbeat, long leaseEpoch) implements ServiceEvent {

    /** On a log with one writer: no lease. */
    public ServiceExpired(Instant time, String name, double lastHeartbeat) {
        this(time, name, lastHeartbeat, 0);
    }
}
