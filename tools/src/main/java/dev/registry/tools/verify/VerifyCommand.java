package dev.registry.tools.verify;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.registry.events.audit.HistoryIndex;
import dev.registry.events.log.ChronicleEventLog;
import dev.registry.events.log.ChronicleFileCheck;
import dev.registry.events.log.DamagedEventException;
import dev.registry.events.log.EventCodec;
import dev.registry.events.log.EventLog;
import dev.registry.events.log.EventReader;
import dev.registry.events.log.EventReader.IndexedEncodedEvent;
import dev.registry.events.log.LogIdentity;
import dev.registry.events.log.LoggedEvent;
import dev.registry.events.log.RollPeriod;
import dev.registry.events.projection.Projection;
import dev.registry.events.projection.RegistryView;
import dev.registry.events.retention.LogCompleteness;
import dev.registry.events.snapshot.Snapshot;
import dev.registry.events.snapshot.SnapshotStore;
import dev.registry.tools.ToolCommand;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import picocli.CommandLine.Command;

/**
 * {@code verify}: checks that a log is whole. Its files' headers are sound; every event's checksum
 * matches and it decodes; indexes strictly increase, with no hole inside a roll file; one writer at
 * a time appended; the log holds what its data directory remembers (its first event, the newest
 * snapshot, what retention kept); and the projection rebuilds from it. Exit code 1 and the first
 * bad index on failure.
 */
@Command(
        name = "verify",
        mixinStandardHelpOptions = true,
        description = "Check every event's checksum and that it decodes, that indexes increase with no hole inside a "
                + "roll file, that one writer appended at a time, that no file or event the data directory "
                + "remembers is missing, and that the view rebuilds; exit 1 naming the first bad index otherwise.")
public final class VerifyCommand extends ToolCommand {

    private static final String REPAIR = "; start the server with --repair to set the damage aside";

    @Override
    protected int run() throws Exception {
        if (log.onKafka()) {
            return verifyTopic();
        }
        Path dir = log.dataDir;
        Optional<LogIdentity> identity = LogIdentity.read(dir);
        if (!ChronicleFileCheck.hasLogFiles(dir)) {
            if (identity.isPresent() && identity.get().firstIndex() >= 0) {
                return fail(
                        identity.get().firstIndex(),
                        "the log is gone: " + LogIdentity.FILE + " says it held events " + "from index "
                                + identity.get().firstIndex() + ", but " + dir + " has no log file" + REPAIR);
            }
            throw new IllegalArgumentException("no registry log in " + dir);
        }
        List<ChronicleFileCheck.Damage> damage = ChronicleFileCheck.find(dir);
        Optional<ChronicleFileCheck.Damage> blocking =
                damage.stream().filter(ChronicleFileCheck.Damage::blocksReading).findFirst();
        if (blocking.isPresent()) {
            return fail(firstIndexOf(blocking.get().file()), blocking.get().describe() + REPAIR);
        }
        EventCodec codec = new EventCodec();
        long count = 0;
        long previous = -1;
        int startedBy = 0;
        long startedAt = -1;
        RegistryView view;
        try (ChronicleEventLog events = ChronicleEventLog.openForInspection(dir);
                EventReader reader = events.reader()) {
            long recordedEnd = recordedEnd(events); // before reading: a server may append meanwhile
            Optional<Snapshot> base = log.retentionBase(events);
            view = base.map(s -> s.view().copy()).orElseGet(RegistryView::new);
            Projection projection = Projection.onView(
                    view,
                    List.of(base.map(s -> HistoryIndex.restore(s.history())).orElseGet(HistoryIndex::new)));
            base.ifPresent(s -> reader.seekAtOrAfter(s.index() + 1));
            while (true) {
                IndexedEncodedEvent e;
                try {
                    e = reader.nextEncoded();
                } catch (DamagedEventException ex) {
                    return fail(ex.index(), ex.getMessage() + fileDamage(damage, ex.file()) + REPAIR);
                } catch (RuntimeException ex) {
                    return fail(
                            previous < 0 ? -1 : previous + 1, "unreadable entry after index " + previous + ": " + ex);
                }
                if (e == null) {
                    break;
                }
                if (e.index() <= previous) {
                    return fail(e.index(), "index does not increase (previous " + previous + ")");
                }
                if (previous >= 0
                        && events.cycleOf(e.index()) == events.cycleOf(previous)
                        && events.sequenceOf(e.index()) != events.sequenceOf(previous) + 1) {
                    return fail(
                            e.index(), "hole in roll file " + events.cycleOf(e.index()) + " after index " + previous);
                }
                if (EventCodec.REGISTRY_STARTED.equals(e.encoded().type())) {
                    startedBy = e.writer();
                    startedAt = e.index();
                } else if (startedBy != 0 && e.writer() != startedBy) {
                    return fail(
                            e.index(),
                            String.format(
                                    "two writers interleave: writer %08x appended index %d after "
                                            + "writer %08x started at index %d (two servers on one directory)",
                                    e.writer(), e.index(), startedBy, startedAt));
                }
                try {
                    projection.apply(new LoggedEvent(e.index(), codec.decode(e.encoded())));
                } catch (RuntimeException ex) {
                    return fail(e.index(), "does not decode or apply: " + ex.getMessage());
                }
                previous = e.index();
                count++;
            }
            if (recordedEnd > previous) {
                return fail(
                        previous + 1,
                        "the log records events up to index " + recordedEnd + " but reading stops after index "
                                + previous + REPAIR);
            }
            if (!damage.isEmpty()) {
                // damage readers cannot see: a hidden last event, a missing newest file
                ChronicleFileCheck.Damage d = damage.getFirst();
                return fail(
                        d.problem().startsWith("missing") ? firstIndexOf(d.file()) : previous + 1,
                        d.describe() + REPAIR);
            }
            Optional<LogCompleteness.Missing> missing =
                    LogCompleteness.missing(dir, events, new SnapshotStore(dir, Integer.MAX_VALUE));
            if (missing.isPresent()) {
                return fail(missing.get().index(), missing.get().what() + REPAIR);
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

    /**
     * A Kafka topic: every record is a whole frame (its checksum holds) that decodes and applies,
     * offsets follow one another from the topic's first to where Kafka says it ends, and the view
     * rebuilds.
     */
    private int verifyTopic() throws Exception {
        EventCodec codec = new EventCodec();
        RegistryView view = new RegistryView();
        Projection projection = Projection.onView(view, List.of(new HistoryIndex()));
        long count = 0;
        long previous = -1;
        try (EventLog events = log.open();
                EventReader reader = events.reader()) {
            long first = events.firstIndex();
            long end = events.lastIndex(); // before reading: servers may append meanwhile
            while (previous < end) {
                IndexedEncodedEvent e;
                try {
                    e = reader.nextEncoded();
                } catch (DamagedEventException ex) {
                    return fail(ex.index(), ex.getMessage());
                }
                if (e == null) {
                    return fail(
                            previous + 1, "the topic ends at offset " + end + " but reading stops after " + previous);
                }
                long expected = previous < 0 ? first : previous + 1;
                if (e.index() != expected) {
                    return fail(e.index(), "offset " + e.index() + " follows " + previous + " (a hole in the topic)");
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
            out().println("OK: " + count + " events, last offset " + previous + ", " + view.size()
                    + " records rebuilt");
        }
        return 0;
    }

    /** Where the log says it ends; -1 when it cannot say (a file cut short: the reading finds where). */
    private static long recordedEnd(ChronicleEventLog events) {
        try {
            return events.lastIndex();
        } catch (IllegalStateException cut) {
            return -1;
        }
    }

    /** What the file check found wrong with {@code file}, as an addition to a message; empty when nothing. */
    private static String fileDamage(List<ChronicleFileCheck.Damage> damage, String file) {
        return damage.stream()
                .filter(d -> d.file().getFileName().toString().equals(file))
                .findFirst()
                .map(d -> " (" + d.problem() + ")")
                .orElse("");
    }

    /** The index a roll file's first event takes, or -1 for another file (the metadata). */
    private static long firstIndexOf(Path file) {
        String name = file.getFileName().toString();
        return RollPeriod.ofFileName(name)
                .flatMap(p -> p.cycleOf(file).map(p::firstIndexOf))
                .orElse(-1L);
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
