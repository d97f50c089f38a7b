package dev.registry.events.event;

import dev.registry.api.ServiceRecord;

import java.time.Instant;

/**
 * A record went without a heartbeat for longer than the stale period and was removed.
 *
 * @param time       append time
 * @param record     the full record as it was when evicted
 * @param ageSeconds seconds since its last heartbeat at {@code time}
 */
public record ServiceEvicted(Instant time, ServiceRecord record, double ageSeconds) implements ServiceEvent {
    @Override
    public String name() {
        return record.name();
    }
}
