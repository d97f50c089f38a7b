package dev.registry.tools.convert;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.registry.events.log.LegacyLogConversion;
import dev.registry.tools.ToolCommand;
import java.nio.file.Path;
import java.time.Instant;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code convert-log}: copies a log written before events carried checksums into a new directory
 * in today's format, every event at its own index, with the snapshots and retention files. The old
 * directory is only read, so it stays as a backup; the registry then starts on the new one.
 */
@Command(
        name = "convert-log",
        mixinStandardHelpOptions = true,
        description = "Convert a log written before events carried checksums into a new directory (--to), every "
                + "event checked to decode and kept at its own index; the old directory is left as it is.")
public final class ConvertLogCommand extends ToolCommand {

    @Option(names = "--to", required = true, description = "The new data directory (must not exist, or be empty).")
    Path to;

    @Override
    protected int run() throws Exception {
        LegacyLogConversion.Converted done = LegacyLogConversion.convert(log.dataDir, to, Instant.now());
        if (log.json) {
            ObjectNode json = JSON.createObjectNode();
            json.put("events", done.events());
            json.put("first_index", done.firstIndex());
            json.put("last_index", done.lastIndex());
            json.put("to", to.toAbsolutePath().normalize().toString());
            printJson(json);
        } else {
            out().println("converted " + done.events() + " events (indexes " + done.firstIndex() + " to "
                    + done.lastIndex() + ") into " + to.toAbsolutePath().normalize()
                    + "; start the registry with --data-dir " + to);
        }
        return 0;
    }
}
