package dev.registry.kafka.testkit;

import static org.awaitility.Awaitility.await;

import dev.registry.events.log.EventReader;
import dev.registry.events.log.LoggedEvent;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * Reads a log until a reader has caught up: a Kafka reader's {@code next()} answers {@code null} when
 * nothing is there <em>yet</em>, so a test reads in a loop until what it waits for has arrived.
 */
public final class ReaderCatchUp {

    private static final Duration PATIENCE = Duration.ofSeconds(60);

    private ReaderCatchUp() {}

    /** Reads until {@code count} events have come (and returns them all, in order), for a minute at most. */
    public static List<LoggedEvent> readAtLeast(EventReader reader, int count) {
        List<LoggedEvent> read = new ArrayList<>();
        await().atMost(PATIENCE)
                .pollDelay(Duration.ZERO)
                .pollInterval(Duration.ofMillis(10))
                .until(() -> {
                    LoggedEvent event;
                    while (read.size() < count && (event = reader.next()) != null) {
                        read.add(event);
                    }
                    return read.size() >= count;
                });
        return read;
    }

    /** As {@link #readAtLeast}, as stored: with each event's writer. */
    public static List<dev.registry.events.log.EventReader.IndexedEncodedEvent> readEncodedAtLeast(
            EventReader reader, int count) {
        List<dev.registry.events.log.EventReader.IndexedEncodedEvent> read = new ArrayList<>();
        await().atMost(PATIENCE)
                .pollDelay(Duration.ZERO)
                .pollInterval(Duration.ofMillis(10))
                .until(() -> {
                    dev.registry.events.log.EventReader.IndexedEncodedEvent event;
                    while (read.size() < count && (event = reader.nextEncoded()) != null) {
                        read.add(event);
                    }
                    return read.size() >= count;
                });
        return read;
    }

    /** Reads until the event at {@code lastIndex} has come (and returns every event read), for a minute at most. */
    public static List<LoggedEvent> readThrough(EventReader reader, long lastIndex) {
        List<LoggedEvent> read = new ArrayList<>();
        await().atMost(PATIENCE)
                .pollDelay(Duration.ZERO)
                .pollInterval(Duration.ofMillis(10))
                .until(() -> {
                    LoggedEvent event;
                    while ((read.isEmpty() || read.getLast().index() < lastIndex) && (event = reader.next()) != null) {
                        read.add(event);
                    }
                    return !read.isEmpty() && read.getLast().index() >= lastIndex;
                });
        return read;
    }
}
