package dev.registry.api;

import java.math.BigDecimal;
import java.time.DateTimeException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;

/**
 * Times as the registry writes them in {@code timestamp} fields, and as people and scripts write
 * them in queries.
 */
public final class Timestamps {

    /**
     * ISO-8601 in UTC with microseconds and an explicit {@code +00:00} offset, which Python's
     * {@code fromisoformat} reads on every version the fleet's clients run (a trailing {@code Z}
     * needs Python 3.11).
     */
    private static final DateTimeFormatter WIRE =
            DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH:mm:ss.SSSSSSxxx").withZone(ZoneOffset.UTC);

    private static final DateTimeFormatter WIRE_SECOND =
            DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH:mm:ss.").withZone(ZoneOffset.UTC);
    /** Years 0000 to 9999, where every formatted second has the same width. */
    private static final long FIRST_SECOND = -62_167_219_200L;

    private static final long LAST_SECOND = 253_402_300_799L;

    /** The last second formatted, shared by every thread: a heartbeat's reply reuses it. */
    private static volatile SecondText lastSecond = new SecondText(Long.MIN_VALUE, "");

    private record SecondText(long epochSecond, String text) {}

    private Timestamps() {}

    /** {@code time} as the registry writes {@code timestamp} fields: {@code 2026-11-28T06:37:33.802243+00:00}. */
    public static String format(Instant time) {
        long second = time.getEpochSecond();
        if (second < FIRST_SECOND || second > LAST_SECOND) {
            return WIRE.format(time);
        }
        SecondText known = lastSecond;
        if (known.epochSecond() != second) {
            // the date and clock change once a second; formatting them costs more than the rest
            known = new SecondText(second, WIRE_SECOND.format(time));
            lastSecond = known;
        }
        int micros = time.getNano() / 1_000;
        StringBuilder text = new StringBuilder(32).append(known.text());
        for (int unit = 100_000; unit > 0; unit /= 10) {
            text.append((char) ('0' + micros / unit % 10));
        }
        return text.append("+00:00").toString();
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
                return Instant.ofEpochSecond(
                        seconds.longValue(),
                        seconds.remainder(BigDecimal.ONE).movePointRight(9).longValue());
            }
            return OffsetDateTime.parse(value).toInstant();
        } catch (DateTimeException ex) {
            throw new IllegalArgumentException(
                    "'" + value + "' is not an ISO-8601 time (2026-11-28T06:30:00Z) or epoch seconds", ex);
        }
    }
}
