package dev.registry.server.write;

import dev.registry.events.log.EventLog;
import dev.registry.events.log.EventReader;

/** A log for the writer's tests, which only append (and sync): nothing reads it back. */
abstract class WriteOnlyLog implements EventLog {

    @Override
    public void sync() {}

    @Override
    public EventReader reader() {
        throw new UnsupportedOperationException();
    }

    @Override
    public long firstIndex() {
        return 0;
    }

    @Override
    public long lastIndex() {
        return -1;
    }

    @Override
    public void close() {}
}
