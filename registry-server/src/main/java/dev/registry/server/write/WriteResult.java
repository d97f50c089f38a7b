package dev.registry.server.write;

import dev.registry.api.ServiceRecord;
import dev.registry.events.log.LoggedEvent;

import java.util.List;
import java.util.Optional;

/**
 * What became of a command: the events it appended (now durable and applied, possibly none) and
 * the command's record as it stands afterwards, or {@link #notFound()} when the record did not
 * exist.
 */
public record WriteResult(boolean notFound, List<LoggedEvent> events, Optional<ServiceRecord> recordAfter) {

    static final WriteResult NOT_FOUND = new WriteResult(true, List.of(), Optional.empty());

    /** The last event appended; for commands that always append exactly one. */
    public LoggedEvent lastEvent() {
        return events.getLast();
    }
}
