package dev.registry.tools.verify;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.registry.events.audit.HistoryIndex;
import dev.registry.events.log.ChronicleEventLog;
import dev.registry.events.log.EventCodec;
import dev.registry.events.log.EventReader;
import dev.registry.events.log.EventReader.IndexedEncodedEvent;
import dev.registry.events.log.LoggedEvent;
import dev.registry.events.projection.Projection;
import dev.registry.events.projection.RegistryView;
import dev.registry.events.snapshot.Snapshot;
import dev.registry.tools.ToolCommand;
import picocli.CommandLine.Command;

import java.util.List;
import java.util.Optional;

/**
 * {@code verify}: checks that a log is whole. Every event decodes; indexes strictly increase, with
 * no hole inside a roll file; and the projection rebuilds from it. Exit code 1 and the first bad
 * index on failure.
 */
@Command(name = "verify", mixinStandardHelpOptions = true,
        description = "Check that every event decodes, indexes increase with no hole inside a roll file, "
                + "and the view rebuilds; exit 1 naming the first bad index otherwise.")
public final class VerifyCommand extends ToolCommand {

    @Override
    protected int run() throws Exception {
        EventCodec codec = new EventCodec();
        long count = 0;
        long previous = -1;
        RegistryView view;
        try (ChronicleEventLog events = log.open(); EventReader reader = events.reader()) {
            Optional<Snapshot> base = log.retentionBase(events);
            view = base.map(s -> s.view().copy()).orElseGet(RegistryView::new);
            Projection projection = Projection.onView(view,
                    List.of(base.map(s -> HistoryIndex.restore(s.history())).orElseGet(HistoryIndex::new)));
            base.ifPresent(s -> reader.seekAtOrAfter(s.index() + 1));
            while (true) {
                IndexedEncodedEvent e;
                try {
                    e = reader.nextEncoded();
                } catch (RuntimeException ex) {
                    return fail(previous < 0 ? -1 : previous + 1, "unreadable entry after index " + previous + ": " + ex);
                }
                if (e == null) {
                    break;
                }
                if (e.index() <= previous) {
                    return fail(e.index(), "index does not increase (previous " + previous + ")");
                }
                if (previous >= 0 && events.cycleOf(e.index()) == events.cycleOf(previous)
                        && events.sequenceOf(e.index()) != events.sequenceOf(previous) + 1) {
                    return fail(e.index(), "hole in roll file " + events.cycleOf(e.index()) + " after index " + previous);
                }
                try {
                    projection.apply(new LoggedEvent(e.index(), codec.decode(e.encoded())));
                } catch (RuntimeException ex) {
                    return fail(e.index(), "does not decode or apply: " + ex.getMessage());
                }
                previous = e.index();
                count++;
            }
        }
        if (log.json) {
            ObjectNode json = JSON.createObjectNode();
            json.put("ok", true);
            json.put("events", count);
            json.put("last_index", previous);
            json.put("records", view.size());
            printJson(json);
        } else {
            out().println("OK: " + count + " events, last index " + previous + ", " + view.size() + " records rebuilt");
        }
        return 0;
    }

    private int fail(long index, String why) throws Exception {
        if (log.json) {
            ObjectNode json = JSON.createObjectNode();
            json.put("ok", false);
            json.put("bad_index", index);
            json.put("error", why);
            printJson(json);
        } else {
            out().println("FAILED at index " + index + ": " + why);
        }
        return 1;
    }
}
