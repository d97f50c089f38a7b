package dev.registry.server.recovery;

import dev.registry.events.log.ChronicleEventLog;
import dev.registry.events.log.ChronicleFileCheck;
import dev.registry.events.log.ChronicleLogRepair;
import dev.registry.events.log.LogIdentity;
import dev.registry.events.retention.LogCompleteness;
import dev.registry.events.retention.RetentionMarker;
import dev.registry.events.snapshot.Snapshot;
import dev.registry.events.snapshot.SnapshotStore;
import java.io.IOException;
import java.lang.System.Logger.Level;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * {@code --repair}: from any state a start refuses, a data directory a start takes. The state kept
 * is the newest of two: the log's readable prefix (every event before the first damage), or the
 * newest valid snapshot plus the events readable after it, when the snapshot is later. Everything
 * else (damaged files, the log's files as they were, snapshots past what is kept, unreadable
 * bookkeeping files) moves into {@code DATA_DIR/damaged-<UTC time>/}, untouched, with
 * {@code repair-report.txt} saying what was lost; nothing is destroyed.
 */
final class LogRepair {

    private static final System.Logger LOG = System.getLogger(LogRepair.class.getName());
    static final String REPORT = "repair-report.txt";

    private LogRepair() {}

    /**
     * Repairs the log in {@code dataDir} (closed, with the directory locked) if anything is wrong.
     *
     * @param now  names the directory the damaged files go to: {@code damaged-<UTC time>}
     * @param keep how many snapshots the server keeps (to find them)
     */
    public static void run(Path dataDir, Instant now, int keep) {
        Path saveDir = dataDir.resolve("damaged-"
                + DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss")
                        .withZone(ZoneOffset.UTC)
                        .format(now));
        try {
            List<String> report = repair(dataDir, saveDir, keep);
            if (report.isEmpty()) {
                LOG.log(Level.INFO, "--repair: the log is whole; nothing changed");
                return;
            }
            Files.createDirectories(saveDir);
            Files.write(saveDir.resolve(REPORT), report, StandardCharsets.UTF_8);
            LOG.log(
                    Level.WARNING,
                    "--repair: " + String.join("; ", report) + " (report: " + saveDir.resolve(REPORT) + ")");
        } catch (IOException ex) {
            throw new IllegalStateException(
                    "--repair failed: " + ex.getMessage() + "; the damaged files are in " + dataDir + " or " + saveDir,
                    ex);
        }
    }

    /** Repairs; returns the report's lines, empty when nothing was wrong (then nothing changed). */
    private static List<String> repair(Path dataDir, Path saveDir, int keep) throws IOException {
        List<String> report = new ArrayList<>();
        Optional<LogIdentity> identity = readIdentity(dataDir, saveDir, report);
        Optional<RetentionMarker> marker = readMarker(dataDir, saveDir, report);
        Set<String> setAside = new HashSet<>();
        for (ChronicleFileCheck.Damage d : ChronicleLogRepair.setAsideDamagedFiles(dataDir, saveDir)) {
            boolean moved = Files.exists(saveDir.resolve(d.file().getFileName()));
            report.add("damaged: " + d.describe() + (moved ? " (set aside)" : ""));
            if (d.blocksReading()) {
                setAside.add(d.file().getFileName().toString());
            }
        }
        Path prefixDir = dataDir.resolve("repair-prefix.tmp");
        ChronicleLogRepair.Kept prefix = ChronicleLogRepair.copy(dataDir, prefixDir, setAside);
        SnapshotStore store = new SnapshotStore(dataDir, keep);
        Optional<String> missing = missing(dataDir, prefixDir, store);
        if (report.isEmpty() && prefix.damage() == null && missing.isEmpty()) {
            ChronicleLogRepair.discard(prefixDir);
            return report;
        }
        if (prefix.damage() != null) {
            report.add("damaged: " + prefix.damage());
        }
        missing.ifPresent(m -> report.add("missing: " + m));
        Optional<Snapshot> newest = newestState(store, marker);
        if (newest.isEmpty() || newest.get().index() <= prefix.lastKept()) {
            keepPrefix(dataDir, saveDir, store, prefixDir, prefix, identity, marker, report);
        } else {
            ChronicleLogRepair.discard(prefixDir);
            Optional<String> after =
                    ChronicleLogRepair.damageAfter(dataDir, newest.get().index());
            if (after.isEmpty()) {
                keepFromSnapshot(dataDir, saveDir, store, newest.get(), report);
            } else {
                report.add(
                        "damaged: after the snapshot at index " + newest.get().index() + ": " + after.get());
                ontoSnapshot(dataDir, saveDir, store, newest.get(), report);
            }
        }
        report.add("the log's files as they were are in " + saveDir);
        return report;
    }

    /** The readable prefix is the newest state: the log is cut back to it. */
    private static void keepPrefix(
            Path dataDir,
            Path saveDir,
            SnapshotStore store,
            Path prefixDir,
            ChronicleLogRepair.Kept prefix,
            Optional<LogIdentity> identity,
            Optional<RetentionMarker> marker,
            List<String> report)
            throws IOException {
        ChronicleLogRepair.replaceLog(dataDir, prefixDir, saveDir);
        for (Path snapshot : store.files()) {
            if (SnapshotStore.indexOf(snapshot) > prefix.lastKept()) {
                setAside(snapshot, saveDir.resolve("snapshots"));
            }
        }
        if (marker.isEmpty() && identity.isPresent() && identity.get().firstIndex() != prefix.firstKept()) {
            identity.get().withFirstIndex(prefix.firstKept()).write(dataDir); // what is left is the log now
        }
        report.add("kept: "
                + (prefix.eventsKept() == 0
                        ? "no event; the registry starts empty"
                        : prefix.eventsKept() + " event(s), through index " + prefix.lastKept()));
    }

    /**
     * The damage lies before the newest snapshot, and the log reads on from it to its end: the
     * start goes on from the snapshot, made the retention base, so history before it (which crosses
     * the damage) is no longer answered. Files wholly before the snapshot's are set aside.
     */
    private static void keepFromSnapshot(
            Path dataDir, Path saveDir, SnapshotStore store, Snapshot base, List<String> report) throws IOException {
        String baseFile;
        try (ChronicleEventLog log = ChronicleEventLog.openForInspection(dataDir)) {
            baseFile = log.fileOf(base.index());
        }
        for (Path roll : ChronicleFileCheck.rollFiles(dataDir)) {
            if (roll.getFileName().toString().compareTo(baseFile) < 0) {
                setAside(roll, saveDir);
            }
        }
        long firstKept;
        try (ChronicleEventLog log = ChronicleEventLog.openForInspection(dataDir)) {
            firstKept = log.firstIndex();
        }
        writeBase(dataDir, saveDir, store, base, firstKept);
        report.add("kept: the state of the snapshot at index " + base.index() + " ("
                + base.view().size()
                + " records) and every event after it; history before "
                + base.view().lastEventTime()
                + " (which crosses the damage) is no longer answered");
    }

    /**
     * The log does not read on from the newest snapshot: the registry starts from the snapshot with
     * an empty log, whose events take indexes after the snapshot's.
     */
    private static void ontoSnapshot(
            Path dataDir, Path saveDir, SnapshotStore store, Snapshot base, List<String> report) throws IOException {
        Path empty = dataDir.resolve("repair-empty.tmp");
        ChronicleLogRepair.discard(empty);
        ChronicleLogRepair.replaceLog(dataDir, empty, saveDir);
        LogIdentity.read(dataDir).ifPresent(i -> i.withFirstIndex(-1).write(dataDir)); // the log starts afresh
        writeBase(dataDir, saveDir, store, base, -1);
        report.add("kept: the state of the snapshot at index " + base.index() + " ("
                + base.view().size()
                + " records, as of " + base.view().lastEventTime() + "); lost: every event after it, and history "
                + "before it");
    }

    /** Makes {@code base} the state the log continues from, as retention's base is. */
    private static void writeBase(Path dataDir, Path saveDir, SnapshotStore store, Snapshot base, long firstKept)
            throws IOException {
        store.writeRetentionBase(base);
        new RetentionMarker(base.index(), base.view().lastEventTime(), firstKept).write(dataDir);
        for (Path snapshot : store.files()) {
            setAside(snapshot, saveDir.resolve("snapshots"));
        }
    }

    /** What the log copied into {@code log} lacks of what the data directory remembers. */
    private static Optional<String> missing(Path dataDir, Path log, SnapshotStore store) {
        if (!ChronicleFileCheck.hasLogFiles(log)) {
            return LogIdentity.read(dataDir)
                    .filter(i -> i.firstIndex() >= 0)
                    .map(i -> "no event is readable, but " + LogIdentity.FILE + " says the log held events from index "
                            + i.firstIndex())
                    .or(() -> store.newestIndex().isPresent()
                            ? Optional.of("no event is readable, but snapshots were taken")
                            : Optional.empty());
        }
        try (ChronicleEventLog copy = ChronicleEventLog.openReadOnly(log)) {
            return LogCompleteness.missing(dataDir, copy, store).map(LogCompleteness.Missing::what);
        }
    }

    /** The newest state on disk: the newest whole snapshot, or the retention base when it is newer. */
    private static Optional<Snapshot> newestState(SnapshotStore store, Optional<RetentionMarker> marker) {
        Optional<Snapshot> snapshot = store.loadNewest();
        Optional<Snapshot> base = marker.isPresent() ? store.loadRetentionBase() : Optional.empty();
        if (base.isPresent()
                && (snapshot.isEmpty() || base.get().index() > snapshot.get().index())) {
            return base;
        }
        return snapshot;
    }

    private static Optional<LogIdentity> readIdentity(Path dataDir, Path saveDir, List<String> report)
            throws IOException {
        try {
            return LogIdentity.read(dataDir);
        } catch (IllegalStateException unreadable) {
            setAside(dataDir.resolve(LogIdentity.FILE), saveDir);
            report.add("damaged: " + LogIdentity.FILE + " could not be read (set aside; a new one is written)");
            return Optional.empty();
        }
    }

    private static Optional<RetentionMarker> readMarker(Path dataDir, Path saveDir, List<String> report)
            throws IOException {
        try {
            return RetentionMarker.read(dataDir);
        } catch (IllegalStateException unreadable) {
            setAside(dataDir.resolve("retention.json"), saveDir);
            report.add("damaged: retention.json could not be read (set aside)");
            return Optional.empty();
        }
    }

    private static void setAside(Path file, Path into) throws IOException {
        Files.createDirectories(into);
        Files.move(file, into.resolve(file.getFileName()));
    }
}
