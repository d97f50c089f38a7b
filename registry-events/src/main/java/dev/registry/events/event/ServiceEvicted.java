package dev.registry.events.event;

import dev.registry.api.ServiceRecord;
import java.time.Instant;

/**
 * A record went without a heartbeat for longer than the stale period and was removed.
 *
 * @param time       append time
 * @param record     the full record as it was when evicted
 * @param ageSeconds seconds since its last heartbeat at {@code time}
 * @param leaseEpoch the epoch of the {@link LeaseGranted lease} it was appended under, or 0 on a
 *                   log with one writer (no leases)
 */
public record ServiceEvicted(Instant time, ServiceRecord record, double ageSeconds, long leaseEpoch)
        implements ServiceEvent {

    /** On a log with one writer: no lease. */
    public ServiceEvicted(Instant time, ServiceRecord record, double ageSeconds) {
        this(time, record, ageSeconds, 0);
    }

    @Override
    public String name() {
        return record.name();
    }
}
