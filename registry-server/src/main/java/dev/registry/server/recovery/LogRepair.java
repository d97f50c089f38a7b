package dev.registry.server.recovery;

import dev.registry.events.log.ChronicleLogRepair;
import dev.registry.events.snapshot.SnapshotStore;

import java.io.IOException;
import java.lang.System.Logger.Level;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;

/**
 * {@code --repair}: cuts a damaged log back to its last good event. The damaged files, and
 * snapshots of states past the cut (which the repaired log could otherwise reach again and
 * wrongly match), are moved into one directory, so nothing is destroyed.
 */
public final class LogRepair {

    private static final System.Logger LOG = System.getLogger(LogRepair.class.getName());

    private LogRepair() {
    }

    /**
     * Repairs the log in {@code dataDir} (closed, with the directory locked) if it is damaged.
     *
     * @param now  names the directory the damaged files go to: {@code damaged-<UTC time>}
     * @param keep how many snapshots the server keeps (to find them)
     */
    public static void run(Path dataDir, Instant now, int keep) {
        Path saveDir = dataDir.resolve("damaged-" + DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss")
                .withZone(ZoneOffset.UTC).format(now));
        try {
            ChronicleLogRepair.Repair done = ChronicleLogRepair.repair(dataDir, saveDir);
            if (done.damage() == null) {
                LOG.log(Level.INFO, "--repair: the log is whole ({0} events); nothing changed", done.eventsKept());
                return;
            }
            for (Path snapshot : new SnapshotStore(dataDir, keep).files()) {
                if (SnapshotStore.indexOf(snapshot) > done.lastGoodIndex()) {
                    Files.createDirectories(saveDir.resolve("snapshots"));
                    Files.move(snapshot, saveDir.resolve("snapshots").resolve(snapshot.getFileName()));
                }
            }
            LOG.log(Level.WARNING, "--repair: " + done.damage() + "; kept " + done.eventsKept()
                    + " events, through index " + done.lastGoodIndex() + "; the damaged files are in " + saveDir);
        } catch (IOException ex) {
            throw new IllegalStateException("--repair failed: " + ex.getMessage()
                    + "; the damaged files are in " + dataDir + " or " + saveDir, ex);
        }
    }
}
