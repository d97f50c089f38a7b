package dev.registry.events.event;

import java.time.Instant;

/**
 * An active health check changed a record's {@code health_status}. Checks whose result equals
 * the current status append nothing, so every one of these is a flip.
 *
 * @param time      append time
 * @param name      the record
 * @param oldStatus {@code health_status} before
 * @param newStatus {@code health_status} after: {@code healthy} or {@code unhealthy}
 * @param detail    what the probe saw: {@code HTTP 200}, {@code HTTP 500}, {@code timeout},
 *                  {@code refused}, {@code dns}, ...
 * @param cause     {@link #CAUSE_CHECK} (the periodic round) or {@link #CAUSE_PROBE} (a client
 *                  asked {@code GET /services/{name}/health})
 * @param leaseEpoch the epoch of the {@link LeaseGranted lease} a periodic round's result was
 *                  appended under, or 0 (one writer, or a client's live check)
 */
public record HealthChecked(
        Instant time, String name, String oldStatus, String newStatus, String detail, String cause, long leaseEpoch)
        implements ServiceEvent {

    /** On a log with one writer, or a client's live check: no lease. */
    public HealthChecked(Instant time, String name, String oldStatus, String newStatus, String detail, String cause) {
        this(time, name, oldStatus, newStatus, detail, cause, 0);
    }

    /** The periodic round of active checks. */
    public static final String CAUSE_CHECK = "check";
    /** A live check that a client's request triggered. */
    public static final String CAUSE_PROBE = "probe";
}
