package dev.registry.api;

import java.math.BigDecimal;
import java.time.DateTimeException;
import java.time.Instant;
import java.time.OffsetDateTime;

/** Reads the times people and scripts write: ISO-8601 with an offset, or epoch seconds. */
public final class Timestamps {

    private Timestamps() {
    }

    /**
     * {@code 2026-11-28T06:30:00Z}, {@code 2026-11-28T07:30:00.5+01:00}, {@code 1795847853} or
     * {@code 1795847853.25}.
     *
     * @throws IllegalArgumentException for anything else
     */
    public static Instant parse(String value) {
        try {
            if (value.matches("\\d{1,12}(\\.\\d{1,9})?")) {
                BigDecimal seconds = new BigDecimal(value);
                return Instant.ofEpochSecond(seconds.longValue(),
                        seconds.remainder(BigDecimal.ONE).movePointRight(9).longValue());
            }
            return OffsetDateTime.parse(value).toInstant();
        } catch (DateTimeException ex) {
            throw new IllegalArgumentException("'" + value
                    + "' is not an ISO-8601 time (2026-11-28T06:30:00Z) or epoch seconds", ex);
        }
    }
}
