package dev.registry.events.log;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import net.openhft.chronicle.bytes.Bytes;
import net.openhft.chronicle.queue.ChronicleQueue;
import net.openhft.chronicle.queue.ExcerptAppender;
import net.openhft.chronicle.queue.ExcerptTailer;
import net.openhft.chronicle.queue.RollCycle;
import net.openhft.chronicle.queue.impl.single.InternalAppender;
import net.openhft.chronicle.wire.DocumentContext;

/**
 * Finds damage in a Chronicle log and rewrites the log to hold only what is readable, every event
 * at its own index. In steps, so that the caller can decide what to keep: {@link #setAsideDamagedFiles}
 * moves files whose headers are damaged out of the way (and rebuilds Chronicle's metadata file when
 * it is damaged or out of step), {@link #copy} copies the readable prefix into a new log,
 * {@link #damageAfter} says whether the log reads on from a snapshot's index, and
 * {@link #replaceLog} puts a copy in the old log's place. Damaged files are never changed: they are
 * read read-only, and moved whole.
 */
public final class ChronicleLogRepair {

    private ChronicleLogRepair() {}

    /**
     * What {@link #copy} kept.
     *
     * @param damage        what ended the events kept; {@code null} when the log ran to its end
     * @param firstKept     the first event kept, or -1 when none was
     * @param lastKept      the last event kept, or -1 when none was
     * @param eventsKept    how many events the rewritten log holds
     */
    public record Kept(String damage, long firstKept, long lastKept, long eventsKept) {}

    /**
     * Moves every file whose damage {@link ChronicleFileCheck} finds {@link ChronicleFileCheck.Damage#blocksReading
     * blocks reading} into {@code saveDir}, and writes a new {@code metadata.cq4t} when the old one
     * was damaged, missing, or names a file that is gone. Afterwards Chronicle reads the log; what
     * the moved files held is lost to it. Files damaged further in are left for {@link #copy}, which
     * keeps what they hold before the damage.
     *
     * @return the damage found, empty when there was none (then nothing changed)
     */
    public static List<ChronicleFileCheck.Damage> setAsideDamagedFiles(Path dir, Path saveDir) throws IOException {
        List<ChronicleFileCheck.Damage> damage = ChronicleFileCheck.find(dir);
        if (damage.isEmpty()) {
            return damage;
        }
        Files.createDirectories(saveDir);
        for (ChronicleFileCheck.Damage d : damage) {
            if (d.blocksReading() && Files.exists(d.file())) {
                Files.move(d.file(), saveDir.resolve(d.file().getFileName()));
            }
        }
        Path metadata = dir.resolve(ChronicleFileCheck.METADATA);
        boolean rebuild = damage.stream()
                .anyMatch(d ->
                        d.blocksReading() || !Files.exists(d.file()) || d.file().equals(metadata));
        if (rebuild && Files.exists(metadata)) {
            // it records files that are gone now; a new one is written from the files that remain
            Files.move(metadata, saveDir.resolve(metadata.getFileName()));
        }
        List<Path> rolls = ChronicleFileCheck.rollFiles(dir);
        if (rebuild && !rolls.isEmpty()) {
            RollPeriod roll = RollPeriod.ofFileName(
                            rolls.getFirst().getFileName().toString())
                    .orElse(RollPeriod.DAILY);
            ChronicleQueues.builder(dir).rollCycle(roll.cycle()).build().close(); // no appender: roll files untouched
        }
        return damage;
    }

    /**
     * Copies the readable events of the log in {@code dir}, from its start up to the first that
     * cannot be read or that follows a hole, each at its own index, into a new log in
     * {@code into}. The log in {@code dir} is only read.
     *
     * @param setAside names of roll files already set aside: an event after one of them follows a hole
     * @throws IllegalStateException when the log was written before events carried checksums
     *                               (repairing it would throw every event away: it is converted instead)
     */
    public static Kept copy(Path dir, Path into, Set<String> setAside) throws IOException {
        FileTree.delete(into);
        if (!ChronicleFileCheck.hasLogFiles(dir)) {
            return new Kept(null, -1, -1, 0);
        }
        LegacyExcerpt.requireFramed(dir);
        return copyReadable(dir, into, setAside);
    }

    /**
     * Whether a start from the state at {@code index} can replay the log in {@code dir}: the log
     * holds that event, and every event after it, to the log's end, reads. Damage before it does not
     * matter to such a start.
     *
     * @return what stops it; empty when the log serves from {@code index}
     */
    public static Optional<String> damageAfter(Path dir, long index) {
        if (!ChronicleFileCheck.hasLogFiles(dir)) {
            return Optional.of("there is no log");
        }
        try (ChronicleEventLog log = ChronicleEventLog.openForInspection(dir);
                EventReader reader = log.reader()) {
            Optional<ChronicleFileCheck.Damage> later = ChronicleFileCheck.find(dir).stream()
                    .filter(d -> d.file().getFileName().toString().compareTo(log.fileOf(index)) >= 0)
                    .findFirst();
            if (later.isPresent()) {
                return Optional.of(later.get().describe());
            }
            if (reader.readAt(index) == null) {
                return Optional.of("the log does not hold index " + index);
            }
            long last = index;
            for (LoggedEvent e = reader.next(); e != null; e = reader.next()) {
                last = e.index();
            }
            return log.lastIndex() > last ? Optional.of(unreachable(last, log.lastIndex())) : Optional.empty();
        } catch (RuntimeException | InternalError damaged) {
            return Optional.of(damaged.getMessage());
        }
    }

    /** Moves the log files of {@code dir} into {@code saveDir} and those of {@code with} into {@code dir}. */
    public static void replaceLog(Path dir, Path with, Path saveDir) throws IOException {
        Files.createDirectories(saveDir);
        for (Path f : queueFiles(dir)) {
            if (Files.exists(saveDir.resolve(f.getFileName()))) {
                Files.delete(f); // a metadata file rebuilt by this repair: the damaged original is saved already
            } else {
                Files.move(f, saveDir.resolve(f.getFileName()));
            }
        }
        for (Path f : queueFiles(with)) {
            Files.move(f, dir.resolve(f.getFileName()));
        }
        FileTree.delete(with);
    }

    /** Deletes a directory {@link #copy} wrote into and that is not used. */
    public static void discard(Path copy) throws IOException {
        FileTree.delete(copy);
    }

    private static Kept copyReadable(Path dir, Path fresh, Set<String> setAside) {
        String damage = null;
        long firstKept = -1;
        long previous;
        long kept = 0;
        EventCodec codec = new EventCodec();
        EventFrame frame = new EventFrame();
        // read-only: the damaged files stay exactly as found, to be saved as they are
        try (ChronicleQueue damaged =
                        ChronicleQueues.builder(dir).readOnly(true).build();
                ChronicleQueue repaired = ChronicleQueues.builder(fresh)
                        .rollCycle(damaged.rollCycle())
                        .build();
                ExcerptTailer tailer = damaged.createTailer();
                ExcerptAppender appender = repaired.createAppender()) {
            RollNames names = new RollNames(damaged.rollCycle());
            previous = -1;
            byte[] buffer = new byte[256];
            Bytes<?> copy = Bytes.allocateElasticOnHeap(256);
            while (damage == null) {
                long index;
                try (DocumentContext dc = tailer.readingDocument()) {
                    if (!dc.isPresent()) {
                        break;
                    }
                    index = dc.index();
                    Bytes<?> excerpt = dc.wire().bytes();
                    int length = Math.toIntExact(excerpt.readRemaining());
                    if (length > buffer.length) {
                        buffer = new byte[Math.max(length, buffer.length * 2)];
                    }
                    excerpt.read(buffer, 0, length);
                    damage = names.holeBetween(previous, index, setAside);
                    if (damage == null) {
                        try {
                            codec.decode(frame.read(buffer, 0, length, index));
                        } catch (DamagedEventException bad) {
                            damage = bad.at(index, names.of(index)).getMessage();
                        } catch (RuntimeException undecodable) {
                            damage = "the event at index " + index + " in " + names.of(index) + " does not decode: "
                                    + undecodable.getMessage();
                        }
                    }
                    copy.clear();
                    copy.write(buffer, 0, length);
                } catch (RuntimeException | InternalError unreadable) {
                    damage = "unreadable entry after index " + previous + ": " + unreadable.getMessage();
                    break;
                }
                if (damage != null) {
                    break;
                }
                ((InternalAppender) appender).writeBytes(index, copy);
                if (firstKept < 0) {
                    firstKept = index;
                }
                previous = index;
                kept++;
            }
            if (damage == null) {
                damage = endProblem(damaged, previous);
            }
        }
        return new Kept(damage, firstKept, kept == 0 ? -1 : previous, kept);
    }

    /** Why reading stopped after {@code lastRead} although the log records more; null when it reached the end. */
    private static String endProblem(ChronicleQueue queue, long lastRead) {
        try {
            long recorded = queue.lastIndex();
            return recorded > lastRead ? unreachable(lastRead, recorded) : null;
        } catch (InternalError cut) {
            return "the newest file is shorter than the events it records, after index " + lastRead;
        }
    }

    /** The damage a reader stopping at {@code lastRead} before the log's recorded end has met. */
    public static String unreachable(long lastRead, long lastRecorded) {
        return "the log records events up to index " + lastRecorded + " but reading stops after index " + lastRead
                + " (a file ends early or its header is damaged)";
    }

    /** Roll file names by index, for one queue's roll cycle. */
    private record RollNames(RollCycle cycle, DateTimeFormatter format) {
        RollNames(RollCycle cycle) {
            this(cycle, DateTimeFormatter.ofPattern(cycle.format()).withZone(ZoneOffset.UTC));
        }

        String of(long index) {
            return ofCycle(cycle.toCycle(index));
        }

        String ofCycle(int c) {
            return format.format(Instant.ofEpochMilli((long) c * cycle.lengthInMillis()))
                    + ChronicleFileCheck.ROLL_SUFFIX;
        }

        /**
         * Why {@code index} cannot follow {@code previous} (-1: the start): a hole in a file, or a
         * file set aside before it. Roll file names sort as their periods do.
         */
        String holeBetween(long previous, long index, Set<String> setAside) {
            String file = of(index);
            if (previous >= 0 && cycle.toCycle(previous) == cycle.toCycle(index)) {
                return index == previous + 1 ? null : "hole in " + file + " after index " + previous;
            }
            String after = previous < 0 ? "" : of(previous);
            for (String aside : setAside) {
                if (aside.compareTo(after) > 0 && aside.compareTo(file) < 0) {
                    return "the roll file " + aside + " before index " + index + " was set aside";
                }
            }
            return null;
        }
    }

    private static List<Path> queueFiles(Path dir) throws IOException {
        List<Path> files = new ArrayList<>(ChronicleFileCheck.rollFiles(dir));
        Path metadata = dir.resolve(ChronicleFileCheck.METADATA);
        if (Files.exists(metadata)) {
            files.add(metadata);
        }
        return files;
    }
}
