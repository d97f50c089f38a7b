package dev.registry.server.recovery;

import dev.registry.events.log.ChronicleLogRepair;
import dev.registry.events.log.EventLog;
import dev.registry.events.log.EventReader;
import dev.registry.events.log.LoggedEvent;
import dev.registry.events.projection.Projection;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;

/**
 * A start's replay of the embedded log onto the state it starts from. Reading and decoding run
 * on a thread of their own, a batch ahead of applying, so a start-up uses both cores.
 *
 * @param events   events replayed
 * @param lastTime the time of the last one ({@code Instant.EPOCH} when none)
 */
record Replay(long events, Instant lastTime) {

    /** Events handed from the replay's reader thread to the applying thread at a time. */
    private static final int BATCH = 1024;

    /**
     * Applies every event after {@code afterIndex} (all events when null).
     *
     * @throws IllegalStateException naming the place when the log cannot be read to its end
     */
    static Replay run(EventLog log, Projection projection, Long afterIndex) {
        BlockingQueue<List<LoggedEvent>> batches = new ArrayBlockingQueue<>(8);
        List<LoggedEvent> end = List.of();
        RuntimeException[] readFailure = new RuntimeException[1];
        long[] lastRead = {afterIndex == null ? -1 : afterIndex};
        Thread reader = Thread.ofPlatform().name("registry-replay-reader").start(() -> {
            try (EventReader events = log.reader()) {
                if (afterIndex != null) {
                    // +1: the retention base's own event may be deleted; the log holds all after it
                    events.seekAtOrAfter(afterIndex + 1);
                }
                List<LoggedEvent> batch = new ArrayList<>(BATCH);
                for (LoggedEvent e = events.next(); e != null; e = events.next()) {
                    batch.add(e);
                    lastRead[0] = e.index();
                    if (batch.size() == BATCH) {
                        batches.put(batch);
                        batch = new ArrayList<>(BATCH);
                    }
                }
                batches.put(batch);
                if (log.lastIndex() > lastRead[0]) {
                    throw new IllegalStateException(ChronicleLogRepair.unreachable(lastRead[0], log.lastIndex()));
                }
            } catch (RuntimeException damaged) {
                readFailure[0] = damaged;
            } catch (InterruptedException ex) {
                Thread.currentThread().interrupt();
            } finally {
                try {
                    batches.put(end);
                } catch (InterruptedException ex) {
                    Thread.currentThread().interrupt();
                }
            }
        });
        long count = 0;
        Instant last = Instant.EPOCH;
        try {
            for (List<LoggedEvent> batch = batches.take(); batch != end; batch = batches.take()) {
                for (LoggedEvent e : batch) {
                    projection.apply(e);
                    last = e.event().time();
                    count++;
                }
                if (!batch.isEmpty()) {
                    projection.endOfBatch(batch.getLast().index());
                }
            }
            reader.join();
        } catch (InterruptedException ex) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted during replay", ex);
        }
        if (readFailure[0] != null) {
            // Never start silently with a different state: name the place and refuse.
            throw new IllegalStateException(
                    "the log is damaged after index " + lastRead[0]
                            + " (" + readFailure[0].getMessage() + "); refusing to start on a partial history. "
                            + "Inspect it with: registry-tools verify --data-dir DIR; start with --repair to keep what is "
                            + "readable",
                    readFailure[0]);
        }
        return new Replay(count, last);
    }
}
