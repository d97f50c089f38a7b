package dev.registry.events.log;

import net.openhft.chronicle.queue.RollCycle;
import net.openhft.chronicle.queue.RollCycles;

import java.time.Duration;
import java.util.Locale;

/** How often the log starts a new file; retention deletes whole files, so this is its granularity. */
public enum RollPeriod {
    HOURLY(RollCycles.FAST_HOURLY, Duration.ofHours(1)),
    DAILY(RollCycles.FAST_DAILY, Duration.ofDays(1));

    private final RollCycle cycle;
    private final Duration length;

    RollPeriod(RollCycle cycle, Duration length) {
        this.cycle = cycle;
        this.length = length;
    }

    RollCycle cycle() {
        return cycle;
    }

    /** How much time one roll file covers. */
    public Duration length() {
        return length;
    }

    /** @throws IllegalArgumentException unless {@code text} is hourly or daily */
    public static RollPeriod parse(String text) {
        try {
            return valueOf(text.trim().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException ex) {
            throw new IllegalArgumentException("expected hourly or daily, got '" + text + "'");
        }
    }
}
