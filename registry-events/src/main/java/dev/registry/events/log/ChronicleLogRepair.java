package dev.registry.events.log;

import net.openhft.chronicle.bytes.Bytes;
import net.openhft.chronicle.queue.ChronicleQueue;
import net.openhft.chronicle.queue.ExcerptAppender;
import net.openhft.chronicle.queue.ExcerptTailer;
import net.openhft.chronicle.queue.impl.single.InternalAppender;
import net.openhft.chronicle.queue.impl.single.SingleChronicleQueue;
import net.openhft.chronicle.queue.impl.single.SingleChronicleQueueBuilder;
import net.openhft.chronicle.wire.DocumentContext;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/** Finds damage in a Chronicle log and cuts the log back to its last good event. */
public final class ChronicleLogRepair {

    private ChronicleLogRepair() {
    }

    /**
     * What {@link #repair} found and did.
     *
     * @param damage        what was wrong, at which index; {@code null} when the log was whole
     * @param lastGoodIndex the last event kept, or -1 when none was
     * @param eventsKept    how many events the repaired log holds
     * @param savedTo       where the damaged files were moved, or {@code null} when nothing was
     */
    public record Repair(String damage, long lastGoodIndex, long eventsKept, Path savedTo) {
    }

    /**
     * Cuts the log in {@code dir} back to its last good event: every event up to the first one that
     * cannot be read or decoded is copied, at its own index, into a fresh log, and the damaged
     * files are moved into {@code saveDir}. Nothing changes when the log is whole. Call with the
     * log closed (and the data directory locked).
     */
    public static Repair repair(Path dir, Path saveDir) throws IOException {
        if (!Files.exists(dir.resolve(SingleChronicleQueue.QUEUE_METADATA_FILE))) {
            return new Repair(null, -1, 0, null); // no log yet: nothing to repair
        }
        Path fresh = dir.resolve("repair.tmp");
        deleteTree(fresh);
        String damage = null;
        long lastGood = -1;
        long kept = 0;
        EventCodec codec = new EventCodec();
        // read-only: the damaged files stay exactly as found, to be saved as they are
        try (ChronicleQueue damaged = SingleChronicleQueueBuilder.binary(dir).readOnly(true).build();
             ChronicleQueue repaired = SingleChronicleQueueBuilder.binary(fresh).rollCycle(damaged.rollCycle()).build();
             ExcerptTailer tailer = damaged.createTailer();
             ExcerptAppender appender = repaired.createAppender()) {
            Bytes<?> copy = Bytes.allocateElasticOnHeap(256);
            while (damage == null) {
                long index;
                try (DocumentContext dc = tailer.readingDocument()) {
                    if (!dc.isPresent()) {
                        break;
                    }
                    index = dc.index();
                    copy.clear();
                    Bytes<?> excerpt = dc.wire().bytes();
                    copy.write(excerpt, excerpt.readPosition(), excerpt.readRemaining());
                } catch (RuntimeException | InternalError unreadable) {
                    damage = "unreadable entry after index " + lastGood + ": " + unreadable.getMessage();
                    break;
                }
                try {
                    decodeCheck(codec, copy);
                } catch (RuntimeException undecodable) {
                    damage = "event at index " + index + " does not decode: " + undecodable.getMessage();
                    break;
                }
                ((InternalAppender) appender).writeBytes(index, copy);
                lastGood = index;
                kept++;
            }
            if (damage == null && damaged.lastIndex() > lastGood) {
                damage = unreachable(lastGood, damaged.lastIndex());
            }
        }
        if (damage == null) {
            deleteTree(fresh);
            return new Repair(null, lastGood, kept, null);
        }
        Files.createDirectories(saveDir);
        for (Path f : queueFiles(dir)) {
            Files.move(f, saveDir.resolve(f.getFileName()));
        }
        for (Path f : queueFiles(fresh)) {
            Files.move(f, dir.resolve(f.getFileName()));
        }
        deleteTree(fresh);
        return new Repair(damage, lastGood, kept, saveDir);
    }

    /** The damage a reader stopping at {@code lastRead} before the log's recorded end has met. */
    public static String unreachable(long lastRead, long lastRecorded) {
        return "the log records events up to index " + lastRecorded + " but reading stops after index " + lastRead
                + " (a file ends early or its header is damaged)";
    }

    /** Decodes an excerpt as a reader would, to find damage inside a payload. */
    private static void decodeCheck(EventCodec codec, Bytes<?> excerpt) {
        long start = excerpt.readPosition();
        codec.decode(ChronicleEventLog.readExcerpt(excerpt));
        excerpt.readPosition(start);
    }

    private static List<Path> queueFiles(Path dir) throws IOException {
        try (var files = Files.list(dir)) {
            return files.filter(f -> f.getFileName().toString().endsWith(SingleChronicleQueue.SUFFIX)
                    || f.getFileName().toString().endsWith(".cq4t")).toList();
        }
    }

    private static void deleteTree(Path root) throws IOException {
        if (!Files.exists(root)) {
            return;
        }
        try (var paths = Files.walk(root)) {
            for (Path p : paths.sorted(java.util.Comparator.reverseOrder()).toList()) {
                Files.delete(p);
            }
        }
    }

}
