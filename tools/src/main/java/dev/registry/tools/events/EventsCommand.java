package dev.registry.tools.events;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.registry.api.PlainJson;
import dev.registry.events.log.EventCodec;
import dev.registry.events.log.EventLog;
import dev.registry.events.log.EventReader;
import dev.registry.events.log.EventReader.IndexedEncodedEvent;
import dev.registry.tools.Table;
import dev.registry.tools.ToolCommand;
import java.util.concurrent.TimeUnit;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code events}: the raw event feed, optionally filtered, optionally following new events. */
@Command(
        name = "events",
        mixinStandardHelpOptions = true,
        description = "List events oldest first; with --follow, keep printing new ones as they are appended.")
public final class EventsCommand extends ToolCommand {

    @Option(names = "--from", paramLabel = "INDEX", description = "Start at this log index.")
    Long from;

    @Option(names = "--type", description = "Only events of this type (registered, heartbeat, expired, ...).")
    String type;

    @Option(names = "--service", description = "Only events about this service.")
    String service;

    @Option(names = "--limit", defaultValue = "0", description = "Stop after this many events (0: no limit).")
    long limit;

    @Option(
            names = {"-f", "--follow"},
            description = "Wait for new events instead of stopping at the end.")
    boolean follow;

    @Override
    protected int run() throws Exception {
        EventCodec codec = new EventCodec();
        Table table = new Table("INDEX", "TIME", "TYPE", "SERVICE", "DETAILS");
        long printed = 0;
        try (EventLog events = log.open();
                EventReader reader = events.reader()) {
            if (from != null) {
                reader.seekAtOrAfter(from);
            }
            while (limit == 0 || printed < limit) {
                IndexedEncodedEvent e = reader.nextEncoded();
                if (e == null) {
                    if (!follow) {
                        break;
                    }
                    out().flush();
                    TimeUnit.MILLISECONDS.sleep(50); // a tailer has nothing to block on: poll
                    continue;
                }
                ObjectNode event = codec.describe(e.index(), e.encoded());
                String name = java.util.Objects.requireNonNullElse(EventCodec.serviceOf(event), "");
                if ((type != null && !type.equals(e.encoded().type())) || (service != null && !service.equals(name))) {
                    continue;
                }
                printed++;
                if (log.json) {
                    out().println(JSON.writeValueAsString(event));
                } else if (follow) {
                    out().println(e.index() + "  " + event.get("time").asText() + "  "
                            + e.encoded().type() + "  " + name);
                } else {
                    event.remove(java.util.List.of("index", "time", "type", "name"));
                    table.row(
                            e.index(),
                            codec.describe(e.index(), e.encoded()).get("time").asText(),
                            e.encoded().type(),
                            name,
                            abbreviate(PlainJson.text(event)));
                }
            }
        }
        if (!log.json && !follow) {
            table.print(out());
        }
        out().flush();
        return 0;
    }

    private static String abbreviate(String s) {
        return s.length() > 100 ? s.substring(0, 97) + "..." : s;
    }
}
