package dev.registry.kafka;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;

/**
 * When a {@link KafkaEventLog} last heard from Kafka: an acknowledged append, a reader's fetch that
 * returned events, or the log's own probe (the topic's end offset, asked every
 * {@link KafkaLogSettings#contactProbeInterval()}). While Kafka answers, the time is at most one probe
 * interval old; when it stops answering, the time stays where it was. The server decides from it, with
 * its own threshold, whether its reads are stale and whether to refuse writes. Silence is measured on the
 * JVM's monotonic clock, so a wall clock that jumps (or a test's clock set ahead) is no silence.
 */
public final class KafkaContact {

    private static final long NEVER = Long.MIN_VALUE;

    private final Clock clock;
    private final AtomicLong lastMillis = new AtomicLong(NEVER);
    private final AtomicLong lastNanos = new AtomicLong(NEVER);

    KafkaContact(Clock clock) {
        this.clock = clock;
    }

    /** The time of the last successful exchange with Kafka, or empty when there was none yet. */
    public Optional<Instant> last() {
        long millis = lastMillis.get();
        return millis == NEVER ? Optional.empty() : Optional.of(Instant.ofEpochMilli(millis));
    }

    /** Whether Kafka answered within the last {@code maxSilence}. */
    public boolean isRecent(Duration maxSilence) {
        long nanos = lastNanos.get();
        return nanos != NEVER && System.nanoTime() - nanos <= maxSilence.toNanos();
    }

    void heard() {
        lastMillis.accumulateAndGet(clock.millis(), Math::max);
        lastNanos.set(System.nanoTime());
    }
}
