package dev.registry.events.audit;

import java.time.Instant;

/** A point in time before the oldest event the log still holds. */
public final class HistoryUnavailableException extends RuntimeException {

    private final Instant availableFrom;

    public HistoryUnavailableException(String what, Instant availableFrom) {
        super(what + " is before the oldest event in the log; history is available from "
                + (availableFrom == null ? "the first event (the log is empty)" : availableFrom));
        this.availableFrom = availableFrom;
    }

    /** Time of the oldest event, or {@code null} for an empty log. */
    public Instant availableFrom() {
        return availableFrom;
    }
}
