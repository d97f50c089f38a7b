package dev.registry.server.testing;

import dev.registry.events.event.RegistryEvent;
import dev.registry.events.log.ChronicleQueues;
import dev.registry.events.log.EncodedEvent;
import dev.registry.events.log.EventCodec;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import net.openhft.chronicle.bytes.Bytes;
import net.openhft.chronicle.queue.ChronicleQueue;
import net.openhft.chronicle.queue.ExcerptAppender;
import net.openhft.chronicle.queue.RollCycles;
import net.openhft.chronicle.wire.DocumentContext;

/**
 * Writes a log as registries did before events carried checksums (log format 0, the layout the
 * README documented): type (Chronicle UTF-8), schema version (stop bit), time (epoch µs), payload.
 */
public final class LegacyLog {

    private LegacyLog() {}

    /**
     * A log of a registry with two records ({@code a} on port 1, {@code b} on port 2), written the
     * old way into {@code tmp/old}: the events a real server appended, appended again in the old format.
     */
    public static Path writeSample(Path tmp) {
        Path current = tmp.resolve("current");
        List<RegistryEvent> events;
        try (TestRegistry registry = new TestRegistry(current)) {
            registry.http().post("/services", Http.registration("a", 1, null));
            registry.http().post("/services", Http.registration("b", 2, null));
            registry.http().post("/services/a/heartbeat", null);
            events = registry.logEvents().stream()
                    .map(dev.registry.events.log.LoggedEvent::event)
                    .toList();
        }
        Path old = tmp.resolve("old");
        write(old, events);
        return old;
    }

    /** Appends {@code events} in the old format to the log in {@code dir}; returns their indexes. */
    public static List<Long> write(Path dir, List<RegistryEvent> events) {
        EventCodec codec = new EventCodec();
        List<Long> indexes = new ArrayList<>();
        try (ChronicleQueue queue = ChronicleQueues.builder(dir)
                        .rollCycle(RollCycles.FAST_DAILY)
                        .build();
                ExcerptAppender appender = queue.createAppender()) {
            for (RegistryEvent event : events) {
                EncodedEvent encoded = codec.encode(event);
                try (DocumentContext dc = appender.writingDocument()) {
                    Bytes<?> bytes = dc.wire().bytes();
                    bytes.writeUtf8(encoded.type());
                    bytes.writeStopBit(encoded.version());
                    bytes.writeLong(encoded.timeMicros());
                    bytes.write(encoded.payload());
                }
                indexes.add(appender.lastIndexAppended());
            }
        }
        return indexes;
    }
}
