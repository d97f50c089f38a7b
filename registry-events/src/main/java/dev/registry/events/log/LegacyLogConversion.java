package dev.registry.events.log;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Instant;
import net.openhft.chronicle.bytes.Bytes;
import net.openhft.chronicle.queue.ChronicleQueue;
import net.openhft.chronicle.queue.ExcerptAppender;
import net.openhft.chronicle.queue.ExcerptTailer;
import net.openhft.chronicle.queue.impl.single.InternalAppender;
import net.openhft.chronicle.wire.DocumentContext;

/**
 * Converts a log written before events carried checksums (log format 0) into a new directory in
 * today's format: every event, checked to decode, at its own index, in a {@link EventFrame} (writer
 * 0: converted). The old directory is only read. Snapshots and the retention files are copied as
 * they are (their format did not change, and indexes stay the same), and an identity is written.
 */
public final class LegacyLogConversion {

    private LegacyLogConversion() {}

    /**
     * What was converted.
     *
     * @param events     how many events
     * @param firstIndex the first one's index, or -1 for an empty log
     * @param lastIndex  the last one's index, or -1
     */
    public record Converted(long events, long firstIndex, long lastIndex) {}

    /**
     * Converts the log in {@code from} into {@code to}, which must not exist yet (or be empty).
     * Either every event is converted or nothing is left in {@code to}.
     *
     * @throws IllegalArgumentException when {@code from} holds no log in the old format, or {@code to} is not empty
     * @throws IllegalStateException    when an old event does not decode (the old format has no
     *                                  checksum to tell damage from a newer schema): nothing is converted
     */
    public static Converted convert(Path from, Path to, Instant now) throws IOException {
        if (!ChronicleFileCheck.hasLogFiles(from)) {
            throw new IllegalArgumentException("no registry log in " + from);
        }
        if (Files.exists(to) && (!Files.isDirectory(to) || !isEmpty(to))) {
            throw new IllegalArgumentException(to + " is not empty: convert into a new directory");
        }
        ChronicleFileCheck.requireIntact(from);
        try {
            Converted converted = copy(from, to);
            copyAlongside(from, to);
            LogIdentity.create(now, converted.firstIndex()).write(to);
            return converted;
        } catch (IOException | RuntimeException ex) {
            ChronicleLogRepair.discard(to);
            throw ex;
        }
    }

    private static Converted copy(Path from, Path to) {
        EventCodec codec = new EventCodec();
        EventFrame.Encoder encoder = new EventFrame.Encoder();
        long first = -1;
        long last = -1;
        long count = 0;
        try (ChronicleQueue old = ChronicleQueues.builder(from).readOnly(true).build();
                ChronicleQueue fresh =
                        ChronicleQueues.builder(to).rollCycle(old.rollCycle()).build();
                ExcerptTailer tailer = old.createTailer();
                ExcerptAppender appender = fresh.createAppender()) {
            Bytes<?> frame = Bytes.allocateElasticOnHeap(256);
            while (true) {
                long index;
                EncodedEvent event;
                try (DocumentContext dc = tailer.readingDocument()) {
                    if (!dc.isPresent()) {
                        break;
                    }
                    index = dc.index();
                    Bytes<?> bytes = dc.wire().bytes();
                    if (!LegacyExcerpt.isLegacy(bytes)) {
                        throw new IllegalArgumentException(
                                count == 0
                                        ? from
                                                + " is not in the old format (its events carry checksums already): nothing to convert"
                                        : "the event at index " + index + " in " + from
                                                + " is not in the old format: nothing converted");
                    }
                    event = LegacyExcerpt.read(bytes);
                }
                try {
                    codec.decode(event);
                } catch (RuntimeException undecodable) {
                    throw new IllegalStateException(
                            "the event at index " + index + " in " + from + " does not decode ("
                                    + undecodable.getMessage()
                                    + "): it may be damaged, and the old format has no checksum "
                                    + "to tell; nothing converted",
                            undecodable);
                }
                int length = encoder.encode(event, 0, index);
                frame.clear();
                frame.write(encoder.buffer(), 0, length);
                ((InternalAppender) appender).writeBytes(index, frame);
                first = first < 0 ? index : first;
                last = index;
                count++;
            }
            if (old.lastIndex() > last) {
                throw new IllegalStateException(
                        ChronicleLogRepair.unreachable(last, old.lastIndex()) + "; nothing converted");
            }
        }
        return new Converted(count, first, last);
    }

    /** Snapshots, the retention base and marker: unchanged by the conversion. */
    private static void copyAlongside(Path from, Path to) throws IOException {
        Path snapshots = from.resolve("snapshots");
        if (Files.isDirectory(snapshots)) {
            Files.createDirectories(to.resolve("snapshots"));
            try (var files = Files.list(snapshots)) {
                for (Path f : files.filter(p -> p.getFileName().toString().endsWith(".snap"))
                        .toList()) {
                    Files.copy(f, to.resolve("snapshots").resolve(f.getFileName()), StandardCopyOption.COPY_ATTRIBUTES);
                }
            }
        }
        Path marker = from.resolve("retention.json");
        if (Files.exists(marker)) {
            Files.copy(marker, to.resolve("retention.json"), StandardCopyOption.COPY_ATTRIBUTES);
        }
    }

    private static boolean isEmpty(Path dir) throws IOException {
        try (var files = Files.list(dir)) {
            return files.findAny().isEmpty();
        }
    }
}
