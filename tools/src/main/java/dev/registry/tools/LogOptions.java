package dev.registry.tools;

import dev.registry.events.log.ChronicleEventLog;
import picocli.CommandLine.Option;

import java.nio.file.Path;

/** Options every log tool takes: where the log is, and whether to print JSON. */
public final class LogOptions {

    @Option(names = "--data-dir", defaultValue = "${env:REGISTRY_DATA_DIR:-./data}",
            description = "The registry's data directory (env REGISTRY_DATA_DIR; default ${DEFAULT-VALUE}).")
    public Path dataDir;

    @Option(names = "--json", description = "Print JSON for scripts instead of a table.")
    public boolean json;

    /** Opens the log read-only; safe while a server writes it. */
    public ChronicleEventLog open() {
        return ChronicleEventLog.openReadOnly(dataDir);
    }
}
