package dev.registry.server.write;

import dev.registry.api.ServiceRecord;
import dev.registry.events.log.LoggedEvent;
import java.util.List;
import java.util.Optional;

/**
 * What became of a command: the events it appended (now durable and applied, possibly none) and
 * the command's record as it stands afterwards, or {@link #notFound()} when the record did not
 * exist.
 *
 * @param index the log position the result is true at: its last event's, or the view's when it
 *              appended none. A reply carries it ({@code X-Registry-Index}), so a client can read
 *              its own write on another node with {@code ?index=}.
 */
public record WriteResult(boolean notFound, List<LoggedEvent> events, Optional<ServiceRecord> recordAfter, long index) {

    /** The last event appended; for commands that always append exactly one. */
    public LoggedEvent lastEvent() {
        return events.getLast();
    }
}
