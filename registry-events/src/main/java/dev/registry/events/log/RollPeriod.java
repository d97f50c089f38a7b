package dev.registry.events.log;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.Locale;
import java.util.Optional;
import net.openhft.chronicle.queue.RollCycle;
import net.openhft.chronicle.queue.RollCycles;

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

    /** The index the first event of a roll file takes: where the file's events would start. */
    public long firstIndexOf(int cycle) {
        return this.cycle.toIndex(cycle, 0);
    }

    /** The period of a log laid out by {@code cycle}. */
    static RollPeriod of(RollCycle cycle) {
        for (RollPeriod p : values()) {
            if (p.cycle.format().equals(cycle.format()) && p.cycle.lengthInMillis() == cycle.lengthInMillis()) {
                return p;
            }
        }
        throw new IllegalStateException("the log rolls by " + cycle + ", which this registry does not write");
    }

    /** How much time one roll file covers. */
    public Duration length() {
        return length;
    }

    /** The roll file the events of {@code cycle} go to, e.g. {@code 20261128F.cq4}. */
    public String fileName(int cycle) {
        return names().format(Instant.ofEpochMilli(cycle * length.toMillis())) + ChronicleFileCheck.ROLL_SUFFIX;
    }

    /** The cycle of a roll file named as this period names them; empty for another name. */
    public Optional<Integer> cycleOf(Path file) {
        String name = file.getFileName().toString();
        if (!name.endsWith(ChronicleFileCheck.ROLL_SUFFIX)) {
            return Optional.empty();
        }
        try {
            String stamp = name.substring(0, name.length() - ChronicleFileCheck.ROLL_SUFFIX.length());
            LocalDateTime start = this == HOURLY
                    ? LocalDateTime.parse(stamp, names())
                    : java.time.LocalDate.parse(stamp, names()).atStartOfDay();
            return Optional.of((int) (start.toInstant(ZoneOffset.UTC).toEpochMilli() / length.toMillis()));
        } catch (DateTimeParseException ex) {
            return Optional.empty();
        }
    }

    /** The period whose roll files are named like {@code fileName}, if any. */
    public static Optional<RollPeriod> ofFileName(String fileName) {
        for (RollPeriod p : values()) {
            if (p.cycleOf(Path.of(fileName)).isPresent()) {
                return Optional.of(p);
            }
        }
        return Optional.empty();
    }

    private DateTimeFormatter names() {
        return DateTimeFormatter.ofPattern(cycle.format()).withZone(ZoneOffset.UTC);
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
