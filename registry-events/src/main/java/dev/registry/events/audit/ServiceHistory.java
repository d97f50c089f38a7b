package dev.registry.events.audit;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.registry.events.event.ServiceEvent;
import dev.registry.events.log.EncodedEvent;
import dev.registry.events.log.EventCodec;
import dev.registry.events.log.EventLog;
import dev.registry.events.log.EventReader;
import dev.registry.events.log.EventReader.IndexedEncodedEvent;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** Reads a service's lifecycle from the log, using a {@link HistoryIndex} to find it. */
public final class ServiceHistory {

    private final EventLog log;
    private final HistoryIndex index;
    private final EventCodec codec = new EventCodec();

    public ServiceHistory(EventLog log, HistoryIndex index) {
        this.log = log;
        this.index = index;
    }

    /** The history the query asks for; empty when the log never mentioned the name. */
    public Optional<HistoryPage> read(HistoryQuery query) {
        return index.timeline(query.name()).map(timeline -> {
            try (EventReader reader = log.reader()) {
                return query.heartbeats() ? scan(reader, query, timeline) : entries(reader, query, timeline);
            }
        });
    }

    private HistoryPage entries(EventReader reader, HistoryQuery query, HistoryIndex.Snapshot timeline) {
        List<HistoryEntry> out = new ArrayList<>();
        boolean more = false;
        for (int i = 0; i < timeline.entries().length; i++) {
            IndexedEncodedEvent e = reader.readAt(timeline.entries()[i]);
            if (e == null) {
                continue; // no longer retained
            }
            EventView view = describe(e);
            if (query.isAfterRange(view.entry(0).time())) {
                break;
            }
            if (!query.includes(view.entry(0).time())) {
                continue;
            }
            if (out.size() == query.limit()) {
                more = true;
                break;
            }
            out.add(view.entry(timeline.heartbeatsBefore()[i]));
        }
        return new HistoryPage(query.name(), out, timeline.heartbeatsAfterLast(), more);
    }

    /** Every event of the name, heartbeats included, from its first event on. */
    private HistoryPage scan(EventReader reader, HistoryQuery query, HistoryIndex.Snapshot timeline) {
        List<HistoryEntry> out = new ArrayList<>();
        boolean more = false;
        reader.seekAtOrAfter(timeline.firstIndex());
        for (IndexedEncodedEvent e = reader.nextEncoded(); e != null; e = reader.nextEncoded()) {
            EventView view = describe(e);
            if (!query.name().equals(view.name)) {
                continue;
            }
            HistoryEntry entry = view.entry(-1);
            if (query.isAfterRange(entry.time())) {
                break;
            }
            if (!query.includes(entry.time())) {
                continue;
            }
            if (out.size() == query.limit()) {
                more = true;
                break;
            }
            out.add(entry);
        }
        return new HistoryPage(query.name(), out, 0, more);
    }

    private EventView describe(IndexedEncodedEvent e) {
        EncodedEvent encoded = e.encoded();
        ServiceEvent event = codec.decode(encoded) instanceof ServiceEvent se ? se : null;
        ObjectNode fields = codec.describe(e.index(), encoded);
        fields.remove(List.of("index", "time", "type", "name"));
        return new EventView(e.index(), event, event == null ? null : event.name(), encoded.type(), fields);
    }

    private record EventView(long index, ServiceEvent event, String name, String type, ObjectNode fields) {
        HistoryEntry entry(long heartbeatsBefore) {
            return new HistoryEntry(
                    index,
                    event == null ? java.time.Instant.MIN : event.time(),
                    type,
                    event == null ? EventCause.RESTART : EventCause.of(event),
                    fields,
                    heartbeatsBefore);
        }
    }
}
