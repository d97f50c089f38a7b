package dev.registry.tools.dump;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.registry.events.log.ChronicleEventLog;
import dev.registry.events.log.EventCodec;
import dev.registry.events.log.EventReader;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.concurrent.Callable;

/**
 * {@code dump}: every event of a log, one JSON object per line, oldest first. Opens the log
 * read-only, so it is safe beside a running server; it prints what was in the log when it
 * reached the end.
 */
@Command(name = "dump", mixinStandardHelpOptions = true,
        description = "Print every event of a log as one JSON object per line (index, time, type, fields).")
public final class DumpCommand implements Callable<Integer> {

    @Option(names = "--data-dir", required = true, description = "The registry's data directory.")
    Path dataDir;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        PrintWriter out = spec.commandLine().getOut();
        ObjectMapper json = new ObjectMapper();
        EventCodec codec = new EventCodec();
        try (ChronicleEventLog log = ChronicleEventLog.openReadOnly(dataDir);
             EventReader reader = log.reader()) {
            for (var e = reader.nextEncoded(); e != null; e = reader.nextEncoded()) {
                out.println(json.writeValueAsString(codec.describe(e.index(), e.encoded())));
            }
        } catch (IllegalArgumentException ex) {
            spec.commandLine().getErr().println("dump: " + ex.getMessage());
            return 2;
        }
        out.flush();
        return 0;
    }
}
