package dev.registry.events.event;

import dev.registry.api.ServiceRecord;
import java.time.Instant;

/**
 * A client registered a service; the event holds the full record as stored.
 *
 * @param time     append time; also the record's {@code last_heartbeat}
 * @param record   the complete record
 * @param replaced whether a record of the same name existed and was replaced
 */
public record ServiceRegistered(Instant time, ServiceRecord record, boolean replaced) implements ServiceEvent {
    @Override
    public String name() {
        return record.name();
    }
}
