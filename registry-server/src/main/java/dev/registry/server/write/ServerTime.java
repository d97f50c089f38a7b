package dev.registry.server.write;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;

/**
 * The server's time as the registry writes it in {@code timestamp} fields: ISO-8601 in UTC with
 * microseconds and an explicit {@code +00:00} offset, which Python's {@code fromisoformat}
 * reads on every version the fleet's clients run (a trailing {@code Z} needs Python 3.11).
 */
public final class ServerTime {

    private static final DateTimeFormatter FORMAT =
            DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH:mm:ss.SSSSSSxxx").withZone(ZoneOffset.UTC);

    private ServerTime() {
    }

    public static String format(Instant time) {
        return FORMAT.format(time);
    }
}
