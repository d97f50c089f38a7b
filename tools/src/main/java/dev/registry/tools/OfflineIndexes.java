package dev.registry.tools;

import dev.registry.events.audit.HistoryIndex;
import dev.registry.events.log.EventLog;
import dev.registry.events.log.EventReader;
import dev.registry.events.log.LoggedEvent;

/** The indexes a server keeps in memory, built by one pass over the log for the offline tools. */
public final class OfflineIndexes {

    private OfflineIndexes() {}

    public static HistoryIndex history(EventLog log) {
        HistoryIndex index = new HistoryIndex();
        try (EventReader reader = log.reader()) {
            for (LoggedEvent e = reader.next(); e != null; e = reader.next()) {
                index.apply(e);
            }
        }
        return index;
    }
}
