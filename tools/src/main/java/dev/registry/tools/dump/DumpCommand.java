package dev.registry.tools.dump;

import dev.registry.events.log.EventCodec;
import dev.registry.events.log.EventLog;
import dev.registry.events.log.EventReader;
import dev.registry.tools.ToolCommand;
import picocli.CommandLine.Command;

/**
 * {@code dump}: every event of a log, one JSON object per line, oldest first. It prints what was
 * in the log when it reached the end.
 */
@Command(
        name = "dump",
        mixinStandardHelpOptions = true,
        description = "Print every event of a log as one JSON object per line (index, time, type, fields).")
public final class DumpCommand extends ToolCommand {

    @Override
    protected int run() throws Exception {
        EventCodec codec = new EventCodec();
        try (EventLog events = log.open();
                EventReader reader = events.reader()) {
            for (var e = reader.nextEncoded(); e != null; e = reader.nextEncoded()) {
                out().println(JSON.writeValueAsString(codec.describe(e.index(), e.encoded())));
            }
        }
        out().flush();
        return 0;
    }
}
