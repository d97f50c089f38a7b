package dev.registry.server.http;

import dev.registry.api.Timestamps;
import java.time.Instant;
import java.util.Locale;
import java.util.Optional;

/** Typed query parameters; a value that does not parse is a 400 naming the parameter. */
public final class QueryParameters {

    private final ApiRequest request;

    public QueryParameters(ApiRequest request) {
        this.request = request;
    }

    /** A non-empty value, if given. */
    public Optional<String> text(String name) {
        return request.query(name).filter(v -> !v.isEmpty());
    }

    /** A time written as ISO-8601 ({@code 2026-11-28T06:30:00Z}, any offset) or epoch seconds. */
    public Optional<Instant> time(String name) {
        return text(name).map(v -> parseTime(name, v));
    }

    /** A whole number of at least {@code min}. */
    public Optional<Long> number(String name, long min) {
        return text(name).map(v -> {
            try {
                long n = Long.parseLong(v);
                if (n >= min) {
                    return n;
                }
            } catch (NumberFormatException ignored) {
                // reported below
            }
            throw ApiException.badRequest("Parameter '" + name + "' must be a whole number of at least " + min);
        });
    }

    /** {@code true}/{@code false} in any case. */
    public Optional<Boolean> bool(String name) {
        return text(name).map(v -> switch (v.toLowerCase(Locale.ROOT)) {
            case "true", "1", "yes" -> true;
            case "false", "0", "no" -> false;
            default -> throw ApiException.badRequest("Parameter '" + name + "' must be true or false");
        });
    }

    static Instant parseTime(String name, String value) {
        try {
            return Timestamps.parse(value);
        } catch (IllegalArgumentException ex) {
            throw ApiException.badRequest(
                    "Parameter '" + name + "' must be an ISO-8601 time (2026-11-28T06:30:00Z) or epoch seconds");
        }
    }
}
