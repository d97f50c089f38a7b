package dev.registry.server.write;

import dev.registry.api.ServiceRecord;
import dev.registry.events.log.LoggedEvent;

import java.util.Optional;

/**
 * What became of a command: the event it appended (now durable and applied) and the record as it
 * stands afterwards, or nothing when the record did not exist.
 */
public record WriteResult(Optional<LoggedEvent> event, Optional<ServiceRecord> recordAfter) {

    static final WriteResult NOT_FOUND = new WriteResult(Optional.empty(), Optional.empty());

    public boolean notFound() {
        return event.isEmpty();
    }
}
