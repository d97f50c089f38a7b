package dev.registry.tools.replay;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.registry.events.log.EventLog;
import dev.registry.events.log.EventReader;
import dev.registry.events.log.LoggedEvent;
import dev.registry.events.projection.Projector;
import dev.registry.events.projection.RegistryView;
import dev.registry.events.snapshot.Snapshot;
import dev.registry.tools.ToolCommand;
import java.util.Optional;
import picocli.CommandLine.Command;

/** {@code replay}: rebuilds the view from the log, as a server start does, and says how fast. */
@Command(
        name = "replay",
        mixinStandardHelpOptions = true,
        description =
                "Rebuild the view from the whole log (after the retention base, if retention deleted files) and print how many events per second it replayed.")
public final class ReplayCommand extends ToolCommand {

    @Override
    protected int run() throws Exception {
        RegistryView view;
        long count = 0;
        long t0;
        try (EventLog events = log.open();
                EventReader reader = events.reader()) {
            Optional<Snapshot> base = log.retentionBase(events);
            view = base.map(s -> s.view().copy()).orElseGet(RegistryView::new);
            base.ifPresent(s -> reader.seekAtOrAfter(s.index() + 1));
            t0 = System.nanoTime();
            for (LoggedEvent e = reader.next(); e != null; e = reader.next()) {
                Projector.apply(view, e);
                count++;
            }
        }
        double seconds = (System.nanoTime() - t0) / 1e9;
        long perSecond = seconds > 0 ? Math.round(count / seconds) : count;
        if (log.json) {
            ObjectNode json = JSON.createObjectNode();
            json.put("events", count);
            json.put("records", view.size());
            json.put("seconds", seconds);
            json.put("events_per_second", perSecond);
            printJson(json);
        } else {
            out().printf(
                            "replayed %d events into %d records in %.3f s: %,d events/s%n",
                            count, view.size(), seconds, perSecond);
        }
        return 0;
    }
}
