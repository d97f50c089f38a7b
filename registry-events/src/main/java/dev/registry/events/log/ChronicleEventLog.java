package dev.registry.events.log;

import dev.registry.events.event.RegistryEvent;
import net.openhft.chronicle.bytes.Bytes;
import net.openhft.chronicle.bytes.SyncMode;
import net.openhft.chronicle.queue.ChronicleQueue;
import net.openhft.chronicle.queue.ExcerptAppender;
import net.openhft.chronicle.queue.ExcerptTailer;
import net.openhft.chronicle.queue.impl.single.SingleChronicleQueueBuilder;
import net.openhft.chronicle.wire.DocumentContext;

import net.openhft.chronicle.queue.impl.single.SingleChronicleQueue;

import java.io.IOException;
import java.nio.file.Files;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.nio.file.Path;
import java.util.logging.Level;
import java.util.logging.LogManager;
import java.util.logging.Logger;

/**
 * The event log on a Chronicle Queue in one directory.
 *
 * <p>Each excerpt holds one {@link EncodedEvent}: type (UTF-8), schema version (stop bit),
 * time (epoch micros), then the JSON payload up to the excerpt's end. Excerpts are written to
 * memory-mapped files, so a completed append survives a crash of the process (the page cache
 * outlives it). Chronicle's appender belongs to one thread; the first thread that appends owns
 * it, and a second appending thread is a bug that Chronicle reports.
 */
public final class ChronicleEventLog implements EventLog {

    /** Held so the level set below stays (JUL keeps loggers weakly). */
    private static final Logger CHRONICLE_LOGGER = Logger.getLogger("net.openhft");

    static {
        // Chronicle otherwise phones home on first use; a registry must not.
        System.setProperty("chronicle.analytics.disable", "true");
        // Chronicle reports file growth and mappings at INFO; only its warnings matter here,
        // unless the operator's logging configuration says otherwise.
        if (LogManager.getLogManager().getProperty("net.openhft.level") == null) {
            CHRONICLE_LOGGER.setLevel(Level.WARNING);
        }
    }

    private final ChronicleQueue queue;
    private final EventCodec codec = new EventCodec();
    private ExcerptAppender appender;

    private ChronicleEventLog(ChronicleQueue queue) {
        this.queue = queue;
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
     */
    public static ChronicleEventLog openForWriting(Path dir, boolean syncable, RollPeriod roll, Clock clock) {
        try {
            Files.createDirectories(dir);
        } catch (java.io.IOException ex) {
            throw new IllegalStateException("cannot create data directory " + dir + ": " + ex.getMessage(), ex);
        }
        return new ChronicleEventLog(SingleChronicleQueueBuilder.binary(dir)
                .rollCycle(roll.cycle())
                .syncMode(syncable ? SyncMode.SYNC : SyncMode.NONE)
                .timeProvider(clock::millis)
                .build());
    }

    /**
     * Opens an existing log read-only, for tools; safe while a server appends to it.
     *
     * @throws IllegalArgumentException when {@code dir} holds no log
     */
    public static ChronicleEventLog openReadOnly(Path dir) {
        if (!Files.isDirectory(dir) || !Files.exists(dir.resolve("metadata.cq4t"))) {
            throw new IllegalArgumentException("no registry log in " + dir);
        }
        return new ChronicleEventLog(SingleChronicleQueueBuilder.binary(dir).readOnly(true).build());
    }

    @Override
    public long append(RegistryEvent event) {
        EncodedEvent encoded = codec.encode(event);
        if (appender == null) {
            appender = queue.createAppender();
        }
        try {
            DocumentContext dc = appender.writingDocument();
            try {
                Bytes<?> bytes = dc.wire().bytes();
                bytes.writeUtf8(encoded.type());
                bytes.writeStopBit(encoded.version());
                bytes.writeLong(encoded.timeMicros());
                bytes.write(encoded.payload());
            } catch (RuntimeException | InternalError failure) {
                dc.rollbackOnClose(); // a half-written excerpt must never count as an event
                throw failure;
            } finally {
                dc.close();
            }
        } catch (InternalError fault) {
            // the JVM's report of a SIGBUS on the mapped file: the file system could not give it a page
            throw new IllegalStateException("the log file could not be written (is the disk full?): "
                    + fault.getMessage(), fault);
        }
        return appender.lastIndexAppended();
    }

    @Override
    public void sync() {
        if (appender != null) {
            appender.sync();
        }
    }

    @Override
    public EventReader reader() {
        return new ChronicleReader(queue, queue.createTailer(), codec);
    }

    @Override
    public long firstIndex() {
        long first = queue.firstIndex();
        return first == Long.MAX_VALUE ? -1 : first;
    }

    @Override
    public long lastIndex() {
        long last = queue.lastIndex();
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

    /** Reads one excerpt as {@link #append} wrote it: type, schema version, time, payload. */
    static EncodedEvent readExcerpt(Bytes<?> bytes) {
        String type = EventCodec.canonicalType(bytes.readUtf8());
        int version = Math.toIntExact(bytes.readStopBit());
        long micros = bytes.readLong();
        byte[] payload = new byte[Math.toIntExact(bytes.readRemaining())];
        bytes.read(payload);
        return new EncodedEvent(type, version, micros, payload);
    }

    /** One file of the log: the events appended during one roll period, {@code [start, end)}. */
    public record RollFile(int cycle, Path path, Instant start, Instant end) {
    }

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
        DateTimeFormatter names = DateTimeFormatter.ofPattern(q.rollCycle().format()).withZone(ZoneOffset.UTC);
        List<RollFile> files = new ArrayList<>();
        for (long cycle : q.listCyclesBetween(first, last)) {
            Instant start = Instant.ofEpochMilli(cycle * length);
            Path path = q.file().toPath().resolve(names.format(start) + SingleChronicleQueue.SUFFIX);
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
        if (appender != null) {
            appender.close();
        }
        queue.close();
    }

    private static final class ChronicleReader implements EventReader {
        private final ChronicleQueue queue;
        private final ExcerptTailer tailer;
        private final EventCodec codec;
        private final StringBuilder type = new StringBuilder(16);
        private byte[] buffer = new byte[256];

        ChronicleReader(ChronicleQueue queue, ExcerptTailer tailer, EventCodec codec) {
            this.queue = queue;
            this.tailer = tailer;
            this.codec = codec;
        }

        /** Decodes straight from the excerpt through a reused buffer: replay's hot path. */
        @Override
        public LoggedEvent next() {
            try {
                return nextOrFault();
            } catch (InternalError fault) {
                throw shorterThanRecorded(fault);
            }
        }

        private LoggedEvent nextOrFault() {
            try (DocumentContext dc = tailer.readingDocument()) {
                if (!dc.isPresent()) {
                    return null;
                }
                Bytes<?> bytes = dc.wire().bytes();
                bytes.readUtf8(type);
                int version = Math.toIntExact(bytes.readStopBit());
                long micros = bytes.readLong();
                int length = Math.toIntExact(bytes.readRemaining());
                if (length > buffer.length) {
                    buffer = new byte[Math.max(length, buffer.length * 2)];
                }
                bytes.read(buffer, 0, length);
                return new LoggedEvent(dc.index(),
                        codec.decode(EventCodec.canonicalType(type), version, micros, buffer, length));
            }
        }

        @Override
        public IndexedEncodedEvent nextEncoded() {
            try {
                return nextEncodedOrFault();
            } catch (InternalError fault) {
                throw shorterThanRecorded(fault);
            }
        }

        /**
         * A read-only mapping past a file's end faults (the JVM turns the SIGBUS into an
         * InternalError): the file was cut shorter than what it records.
         */
        private static IllegalStateException shorterThanRecorded(InternalError fault) {
            return new IllegalStateException("a log file is shorter than the events it records (" + fault.getMessage() + ")",
                    fault);
        }

        private IndexedEncodedEvent nextEncodedOrFault() {
            try (DocumentContext dc = tailer.readingDocument()) {
                if (!dc.isPresent()) {
                    return null;
                }
                return new IndexedEncodedEvent(dc.index(), readExcerpt(dc.wire().bytes()));
            }
        }

        @Override
        public void seekAfter(long index) {
            if (!tailer.moveToIndex(index)) {
                throw new IllegalArgumentException("no event at index " + index);
            }
            try (DocumentContext dc = tailer.readingDocument()) {
                // consumed: the next read returns the event after index
            }
        }

        @Override
        public void seekAtOrAfter(long index) {
            if (tailer.moveToIndex(index)) {
                return;
            }
            long first = queue.firstIndex();
            long last = queue.lastIndex();
            if (first == Long.MAX_VALUE || index > last) {
                tailer.toEnd();
                return;
            }
            if (index <= first) {
                tailer.toStart();
                return;
            }
            // Between roll files: the next file that holds events starts the answer.
            int cycle = queue.rollCycle().toCycle(index);
            int lastCycle = queue.rollCycle().toCycle(last);
            for (int c = cycle + 1; c <= lastCycle; c++) {
                if (tailer.moveToIndex(queue.rollCycle().toIndex(c, 0))) {
                    return;
                }
            }
            tailer.toEnd();
        }

        @Override
        public IndexedEncodedEvent readAt(long index) {
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
