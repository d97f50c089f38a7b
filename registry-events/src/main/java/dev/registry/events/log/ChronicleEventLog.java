package dev.registry.events.log;

import dev.registry.events.event.RegistryEvent;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import net.openhft.chronicle.bytes.Bytes;
import net.openhft.chronicle.bytes.SyncMode;
import net.openhft.chronicle.queue.ChronicleQueue;
import net.openhft.chronicle.queue.ExcerptAppender;
import net.openhft.chronicle.queue.ExcerptTailer;
import net.openhft.chronicle.queue.RollCycle;
import net.openhft.chronicle.queue.impl.single.SingleChronicleQueue;
import net.openhft.chronicle.wire.DocumentContext;

/**
 * The event log on a Chronicle Queue in one directory.
 *
 * <p>Each excerpt holds one {@link EventFrame}, its checksum seeded with the excerpt's index: an
 * event read at any index but its own (an excerpt header turned into metadata, which hides it and
 * shifts every later event; a damaged index sending a seek elsewhere) fails the check as a flipped
 * byte does, and every event can be checked on its own, wherever a reader starts. Every read
 * checks it; a damaged event is a {@link DamagedEventException} naming the index and the file,
 * never data. Before Chronicle opens the files, {@link ChronicleFileCheck} checks their headers.
 *
 * <p>Excerpts are written to memory-mapped files, so a completed append survives a crash of the
 * process (the page cache outlives it). Appends never overlap (the caller orders them), but they
 * may come from any thread, one after another: Chronicle's check that its appender stays on the
 * thread that made it is switched off for that reason. A second <em>writer</em> (another process
 * on the same directory) is refused twice over: at open, when the {@link LogIdentity identity}
 * names a writer that is still running; and at every append, when the log's end has moved past
 * this writer's last event: from then on this writer refuses every append, so two writers never
 * interleave.
 */
public final class ChronicleEventLog implements EventLog {

    private static final System.Logger LOG = System.getLogger(ChronicleEventLog.class.getName());
    /** Directories a writer in this process has open: the identity's pid cannot tell them apart. */
    private static final Set<Path> WRITING = ConcurrentHashMap.newKeySet();

    private final ChronicleQueue queue;
    private final Path dir;
    private final EventCodec codec = new EventCodec();
    private final DateTimeFormatter fileNames;
    /** The appending side; null for a read-only log. */
    private final Appending appending;

    private ChronicleEventLog(ChronicleQueue queue, Path dir, Appending appending) {
        this.queue = queue;
        this.dir = dir;
        this.appending = appending;
        this.fileNames = DateTimeFormatter.ofPattern(queue.rollCycle().format()).withZone(ZoneOffset.UTC);
    }

    /** Opens (creating if needed) the log in {@code dir} for the single writer; {@link #sync()} does nothing. */
    public static ChronicleEventLog openForWriting(Path dir) {
        return openForWriting(dir, false);
    }

    /**
     * Opens (creating if needed) the log in {@code dir} for the single writer.
     *
     * @param syncable whether {@link #sync()} forces events to disk (Chronicle's mapped files only
     *                 msync when opened in sync mode; otherwise sync is a no-op)
     */
    public static ChronicleEventLog openForWriting(Path dir, boolean syncable) {
        return openForWriting(dir, syncable, RollPeriod.DAILY);
    }

    /**
     * Opens (creating if needed) the log in {@code dir} for the single writer.
     *
     * @param syncable whether {@link #sync()} forces events to disk
     * @param roll     how often a new file starts, for a new log; an existing log keeps the period
     *                 it was created with (its files and indexes are laid out by it)
     */
    public static ChronicleEventLog openForWriting(Path dir, boolean syncable, RollPeriod roll) {
        return openForWriting(dir, syncable, roll, Clock.systemUTC());
    }

    /**
     * As {@link #openForWriting(Path, boolean, RollPeriod)}, rolling files by {@code clock}: the
     * registry's clock, so that a file's period agrees with the times of the events in it.
     *
     * @throws DamagedLogException   when a file of the log is damaged (nothing is changed)
     * @throws IllegalStateException when another writer has the log open, the log is gone while the
     *                               directory's identity says it held events, or the log is in a
     *                               format this build does not read
     */
    public static ChronicleEventLog openForWriting(Path dir, boolean syncable, RollPeriod roll, Clock clock) {
        if (syncable) {
            ChronicleQueues.requireMsync();
        }
        try {
            Files.createDirectories(dir);
        } catch (IOException ex) {
            throw new IllegalStateException("cannot create data directory " + dir + ": " + ex.getMessage(), ex);
        }
        ChronicleFileCheck.requireIntact(dir);
        LegacyExcerpt.requireFramed(dir);
        Optional<LogIdentity> identity = LogIdentity.read(dir);
        identity.ifPresent(id -> requireLogOf(id, dir));
        identity.flatMap(LogIdentity::writer)
                .filter(LogIdentity.Writer::isAnotherLiveProcess)
                .ifPresent(w -> {
                    throw new IllegalStateException(
                            "another registry server (pid " + w.pid() + ", writing since " + w.since()
                                    + ") is using " + dir.toAbsolutePath().normalize() + ", as " + LogIdentity.FILE
                                    + " says, although its lock file is not held; one server per data directory");
                });
        Path key = dir.toAbsolutePath().normalize();
        if (!WRITING.add(key)) {
            throw new IllegalStateException("this process already has the log in " + key + " open for writing");
        }
        ChronicleQueue queue = null;
        try {
            AtomicLong floor = new AtomicLong(Long.MIN_VALUE);
            queue = ChronicleQueues.builder(dir)
                    .rollCycle(roll.cycle())
                    .syncMode(syncable ? SyncMode.SYNC : SyncMode.NONE)
                    .timeProvider(() -> Math.max(clock.millis(), floor.get()))
                    .build();
            ChronicleEventLog log = new ChronicleEventLog(queue, dir, new Appending(key, floor));
            log.appending.open(log, identity, clock.instant());
            return log;
        } catch (RuntimeException ex) {
            if (queue != null) {
                queue.close();
            }
            WRITING.remove(key);
            throw ex;
        }
    }

    /**
     * Opens an existing log read-only, for tools; safe while a server appends to it.
     *
     * @throws IllegalArgumentException when {@code dir} holds no log
     * @throws DamagedLogException      when a file of the log is damaged
     */
    public static ChronicleEventLog openReadOnly(Path dir) {
        if (!Files.isDirectory(dir) || !ChronicleFileCheck.hasLogFiles(dir)) {
            throw new IllegalArgumentException("no registry log in " + dir);
        }
        ChronicleFileCheck.requireIntact(dir);
        return readOnly(dir);
    }

    /**
     * Opens a log read-only to find out how far it reads (the verify tool): unlike
     * {@link #openReadOnly}, damage past which Chronicle still reads (a file cut short, a hidden
     * last event, a missing newest file) does not refuse; the caller checks
     * {@link ChronicleFileCheck#find} itself.
     *
     * @throws IllegalArgumentException when {@code dir} holds no log
     * @throws DamagedLogException      when a file's damage keeps Chronicle from reading the log
     */
    public static ChronicleEventLog openForInspection(Path dir) {
        if (!Files.isDirectory(dir) || !ChronicleFileCheck.hasLogFiles(dir)) {
            throw new IllegalArgumentException("no registry log in " + dir);
        }
        ChronicleFileCheck.requireReadable(dir);
        return readOnly(dir);
    }

    private static ChronicleEventLog readOnly(Path dir) {
        LegacyExcerpt.requireFramed(dir);
        return new ChronicleEventLog(ChronicleQueues.builder(dir).readOnly(true).build(), dir, null);
    }

    /** A directory whose identity says its log held events must still have roll files. */
    private static void requireLogOf(LogIdentity identity, Path dir) {
        if (identity.logFormat() > EventFrame.FORMAT) {
            throw new IllegalStateException("the log in " + dir + " has format " + identity.logFormat()
                    + ", this build reads format " + EventFrame.FORMAT + " (written by a newer registry?)");
        }
        if (identity.firstIndex() >= 0 && ChronicleFileCheck.rollFiles(dir).isEmpty()) {
            throw new IllegalStateException("the log in " + dir.toAbsolutePath().normalize() + " is gone: "
                    + LogIdentity.FILE + " says it holds events from index " + identity.firstIndex()
                    + ", but no roll file (*.cq4) is left; refusing to start as an empty registry. Restore the "
                    + "files, or start with --repair to start from the newest snapshot (or empty, without one)");
        }
    }

    @Override
    public long append(RegistryEvent event) {
        if (appending == null) {
            throw new IllegalStateException("the log in " + dir + " is open read-only");
        }
        return appending.append(this, codec.encode(event));
    }

    @Override
    public void sync() {
        if (appending != null) {
            appending.sync();
        }
    }

    /**
     * Makes every later append take an index after {@code index}, however far the log falls short
     * of it: a log repaired onto a snapshot whose events it lost would otherwise hand out the lost
     * indexes again. A later roll file starts if need be (Chronicle's indexes within a file have
     * no gaps).
     */
    @Override
    public void continueAfter(long index) {
        if (appending == null || index <= lastIndex()) {
            return;
        }
        RollCycle cycle = queue.rollCycle();
        appending.floor.accumulateAndGet((cycle.toCycle(index) + 1L) * cycle.lengthInMillis(), Math::max);
    }

    @Override
    public EventReader reader() {
        return new ChronicleReader(this, queue.createTailer());
    }

    @Override
    public long firstIndex() {
        long first = queue.firstIndex();
        return first == Long.MAX_VALUE ? -1 : first;
    }

    @Override
    public long lastIndex() {
        long last;
        try {
            last = queue.lastIndex();
        } catch (InternalError fault) {
            // Chronicle scans the newest file for its end; a file cut short faults there
            throw new IllegalStateException(
                    "the log's newest file is shorter than the events it records (" + fault.getMessage() + ")", fault);
        }
        return last < 0 ? -1 : last;
    }

    /** The roll file (cycle) an index belongs to. Storage detail, for the verify tool. */
    public int cycleOf(long index) {
        return queue.rollCycle().toCycle(index);
    }

    /** The position of an index within its roll file. Storage detail, for the verify tool. */
    public long sequenceOf(long index) {
        return queue.rollCycle().toSequenceNumber(index);
    }

    /** The name of the roll file that holds {@code index}. */
    public String fileOf(long index) {
        return fileNames.format(Instant.ofEpochMilli(
                        (long) cycleOf(index) * queue.rollCycle().lengthInMillis()))
                + SingleChronicleQueue.SUFFIX;
    }

    /** How often the log starts a new file. */
    public RollPeriod rollPeriod() {
        return RollPeriod.of(queue.rollCycle());
    }

    /** The writer's id every event this log appends carries, or 0 for a read-only log. */
    public int writerId() {
        return appending == null ? 0 : appending.writer.id();
    }

    /** One file of the log: the events appended during one roll period, {@code [start, end)}. */
    public record RollFile(int cycle, Path path, Instant start, Instant end) {}

    /** The log's files, oldest first. */
    public List<RollFile> rollFiles() {
        SingleChronicleQueue q = (SingleChronicleQueue) queue;
        q.refreshDirectoryListing();
        int first = q.firstCycle();
        int last = q.lastCycle();
        if (first == Integer.MAX_VALUE || last == Integer.MIN_VALUE) {
            return List.of();
        }
        long length = q.rollCycle().lengthInMillis();
        List<RollFile> files = new ArrayList<>();
        for (long cycle : q.listCyclesBetween(first, last)) {
            Instant start = Instant.ofEpochMilli(cycle * length);
            Path path = q.file().toPath().resolve(fileNames.format(start) + SingleChronicleQueue.SUFFIX);
            if (Files.exists(path)) {
                files.add(new RollFile((int) cycle, path, start, start.plusMillis(length)));
            }
        }
        return files;
    }

    /** The cycle new events go to now. */
    public int currentCycle() {
        return ((SingleChronicleQueue) queue).cycle();
    }

    /**
     * Deletes one of the log's files, oldest first only (the caller's duty). Readers that are in
     * it keep their mapping; new readers start after it.
     */
    public void delete(RollFile file) throws IOException {
        Files.deleteIfExists(file.path());
        ((SingleChronicleQueue) queue).refreshDirectoryListing();
    }

    @Override
    public void close() {
        try {
            if (appending != null) {
                appending.close(dir);
            }
            queue.close();
        } finally {
            if (appending != null) {
                WRITING.remove(appending.key);
            }
        }
    }

    /** The single writer's side of an open log: its id, its last event, and whether another writer was met. */
    private static final class Appending {
        private final Path key;
        private final AtomicLong floor;
        private final EventFrame.Encoder encoder = new EventFrame.Encoder();
        private ExcerptAppender appender;
        private LogIdentity.Writer writer;
        private LogIdentity identity;
        private long lastAppended;
        /** Why appends are refused for good: another writer appended to the log. */
        private String fenced;

        Appending(Path key, AtomicLong floor) {
            this.key = key;
            this.floor = floor;
        }

        /** Takes the log over: never writes into a file before its newest, records this writer in the identity. */
        void open(ChronicleEventLog log, Optional<LogIdentity> existing, Instant now) {
            lastAppended = log.lastIndex();
            if (lastAppended >= 0) {
                floor.set(
                        (long) log.cycleOf(lastAppended) * log.queue.rollCycle().lengthInMillis());
            }
            writer = LogIdentity.Writer.current(now);
            long first = log.firstIndex();
            identity = existing.orElseGet(() -> LogIdentity.create(now, first)).withWriter(writer);
            if (identity.firstIndex() < 0 && first >= 0) {
                identity = identity.withFirstIndex(first);
            }
            record(log);
        }

        /**
         * Writes the identity. A failure (a full disk) does not stop the log: it is a check on top of
         * the OS lock, and an append that is in the log must never be reported as failed.
         */
        private void record(ChronicleEventLog log) {
            try {
                identity.write(log.dir);
            } catch (IllegalStateException ex) {
                LOG.log(System.Logger.Level.WARNING, ex.getMessage() + "; it is written again with the next start");
            }
        }

        long append(ChronicleEventLog log, EncodedEvent encoded) {
            if (fenced != null) {
                throw new IllegalStateException(fenced);
            }
            if (appender == null) {
                appender = log.queue.createAppender();
                appender.singleThreadedCheckDisabled(true); // see the class comment
            }
            long index;
            try {
                DocumentContext dc = appender.writingDocument();
                try {
                    index = dc.index();
                    requireSoleWriter(log, index);
                    int length = encoder.encode(encoded, writer.id(), index);
                    dc.wire().bytes().write(encoder.buffer(), 0, length);
                } catch (RuntimeException | InternalError failure) {
                    dc.rollbackOnClose(); // a half-written excerpt must never count as an event
                    throw failure;
                } finally {
                    dc.close();
                }
            } catch (InternalError fault) {
                // the JVM's report of a SIGBUS on the mapped file: the file system could not give it a page
                throw new IllegalStateException(
                        "the log file could not be written (is the disk full?): " + fault.getMessage(), fault);
            }
            lastAppended = index;
            if (identity.firstIndex() < 0) {
                identity = identity.withFirstIndex(log.firstIndex());
                record(log);
            }
            return index;
        }

        /**
         * The index Chronicle hands this append must follow this writer's last event: the next in
         * its file, or the first of a later file. Anything else means another process appended.
         */
        private void requireSoleWriter(ChronicleEventLog log, long index) {
            if (lastAppended < 0) {
                return;
            }
            RollCycle cycle = log.queue.rollCycle();
            boolean follows = cycle.toCycle(index) == cycle.toCycle(lastAppended)
                    ? index == lastAppended + 1
                    : cycle.toCycle(index) > cycle.toCycle(lastAppended) && cycle.toSequenceNumber(index) == 0;
            if (!follows) {
                fenced = "another writer appended to the log in " + log.dir + ": this writer's next event would "
                        + "follow index " + lastAppended + ", but the log's end is now before index " + index
                        + "; refusing every write from now on (one server per data directory)";
                throw new IllegalStateException(fenced);
            }
        }

        void sync() {
            if (appender != null) {
                appender.sync();
            }
        }

        void close(Path dir) {
            if (appender != null) {
                appender.close();
            }
            try {
                LogIdentity.read(dir)
                        .filter(i -> i.writer().equals(Optional.of(writer)))
                        .ifPresent(i -> i.withoutWriter().write(dir));
            } catch (IllegalStateException gone) {
                // the directory went away or is read-only now: the writer's process ends it anyway
            }
        }
    }

    private static final class ChronicleReader implements EventReader {
        private final ChronicleEventLog log;
        private final ExcerptTailer tailer;
        private final EventFrame frame = new EventFrame();
        private byte[] buffer = new byte[256];
        /** The last index read since the last seek, or -1: where a read that faults was. */
        private long lastRead = -1;

        ChronicleReader(ChronicleEventLog log, ExcerptTailer tailer) {
            this.log = log;
            this.tailer = tailer;
        }

        /** Checks and decodes straight from the excerpt through a reused buffer: replay's hot path. */
        @Override
        public LoggedEvent next() {
            try (DocumentContext dc = tailer.readingDocument()) {
                if (!dc.isPresent()) {
                    return null;
                }
                long index = readFrame(dc);
                return new LoggedEvent(index, log.codec.decode(frame));
            } catch (InternalError fault) {
                throw shorterThanRecorded(fault);
            }
        }

        @Override
        public IndexedEncodedEvent nextEncoded() {
            try (DocumentContext dc = tailer.readingDocument()) {
                if (!dc.isPresent()) {
                    return null;
                }
                long index = readFrame(dc);
                return new IndexedEncodedEvent(index, frame.encoded(), frame.writer());
            } catch (InternalError fault) {
                throw shorterThanRecorded(fault);
            }
        }

        /** Copies the excerpt out and checks its frame against its index; returns the index. */
        private long readFrame(DocumentContext dc) {
            Bytes<?> bytes = dc.wire().bytes();
            int length = Math.toIntExact(bytes.readRemaining());
            if (length > buffer.length) {
                buffer = new byte[Math.max(length, buffer.length * 2)];
            }
            bytes.read(buffer, 0, length);
            long index = dc.index();
            try {
                frame.read(buffer, 0, length, index);
            } catch (DamagedEventException damaged) {
                throw damaged.at(index, log.fileOf(index));
            }
            lastRead = index;
            return index;
        }

        /**
         * A read-only mapping past a file's end faults (the JVM turns the SIGBUS into an
         * InternalError): the file was cut shorter than what it records, or an excerpt's length
         * was damaged to reach past it.
         */
        private DamagedEventException shorterThanRecorded(InternalError fault) {
            long at = lastRead >= 0 ? lastRead + 1 : tailer.index();
            DamagedEventException damage = new DamagedEventException(
                    at,
                    log.fileOf(at),
                    "the file is shorter than the events it records (cut short, or an event's length is damaged)");
            damage.initCause(fault);
            return damage;
        }

        @Override
        public void seekAfter(long index) {
            lastRead = -1;
            if (!tailer.moveToIndex(index)) {
                throw new IllegalArgumentException("no event at index " + index);
            }
            tailer.readingDocument().close(); // consumed: the next read returns the event after index
        }

        @Override
        public void seekAtOrAfter(long index) {
            lastRead = -1;
            if (tailer.moveToIndex(index)) {
                return;
            }
            long first = log.queue.firstIndex();
            long last = log.queue.lastIndex();
            if (first == Long.MAX_VALUE || index > last) {
                tailer.toEnd();
                return;
            }
            if (index <= first) {
                tailer.toStart();
                return;
            }
            // Between roll files: the next file that holds events starts the answer.
            RollCycle cycle = log.queue.rollCycle();
            int lastCycle = cycle.toCycle(last);
            for (int c = cycle.toCycle(index) + 1; c <= lastCycle; c++) {
                if (tailer.moveToIndex(cycle.toIndex(c, 0))) {
                    return;
                }
            }
            tailer.toEnd();
        }

        @Override
        public IndexedEncodedEvent readAt(long index) {
            lastRead = index - 1;
            if (!tailer.moveToIndex(index)) {
                return null;
            }
            IndexedEncodedEvent e = nextEncoded();
            return e != null && e.index() == index ? e : null;
        }

        @Override
        public void close() {
            tailer.close();
        }
    }
}
