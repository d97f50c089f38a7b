package dev.registry.server.rules;

import dev.registry.api.ServiceRecord;
import dev.registry.events.event.RegistryEvent;
import dev.registry.events.event.ServiceEvicted;
import dev.registry.events.event.ServiceExpired;
import dev.registry.events.projection.Projector;
import dev.registry.events.projection.RegistryView;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * The health rules, as pure functions of a view and a time (the caller passes the time in, so
 * they test without a clock):
 * <ul>
 *   <li>healthy: status {@code running} and a heartbeat younger than the TTL;</li>
 *   <li>expired: once the heartbeat is TTL old or older, one {@code expired} event until the
 *       next heartbeat;</li>
 *   <li>evicted: once the heartbeat is older than the stale period, the record is removed, but
 *       never before the restart grace of the view ends. An expiry always comes first, so every
 *       eviction's history reads "expired, then evicted".</li>
 * </ul>
 *
 * @param heartbeatTtl how long a heartbeat keeps a record healthy
 * @param staleAfter   how long without a heartbeat before a record is removed
 */
public record HealthRules(Duration heartbeatTtl, Duration staleAfter) {

    public boolean isHealthy(ServiceRecord record, Instant now) {
        return record.isHealthyAt(Projector.epochSeconds(now), seconds(heartbeatTtl));
    }

    /** The events the rules call for at {@code now}; empty when nothing is due. */
    public List<RegistryEvent> due(RegistryView view, Instant now) {
        List<RegistryEvent> events = new ArrayList<>();
        double nowSeconds = Projector.epochSeconds(now);
        boolean mayEvict = !now.isBefore(view.evictionGraceUntil());
        for (ServiceRecord r : view.records()) {
            double age = nowSeconds - r.lastHeartbeat();
            if (age >= seconds(heartbeatTtl) && !view.isExpired(r.name())) {
                events.add(new ServiceExpired(now, r.name(), r.lastHeartbeat()));
            }
            if (age > seconds(staleAfter) && mayEvict) {
                events.add(new ServiceEvicted(now, r, age));
            }
        }
        return events;
    }

    /**
     * The earliest time after {@code now} at which {@link #due} may return something, given no
     * further events; {@code Instant.MAX} when no record is registered. New heartbeats only ever
     * postpone it.
     */
    public Instant nextDue(RegistryView view, Instant now) {
        Instant next = Instant.MAX;
        for (ServiceRecord r : view.records()) {
            Instant beat = instantOf(r.lastHeartbeat());
            Instant candidate = view.isExpired(r.name())
                    ? latest(beat.plus(staleAfter).plusNanos(1_000), view.evictionGraceUntil())
                    : beat.plus(heartbeatTtl);
            if (candidate.isBefore(next)) {
                next = candidate;
            }
        }
        return next.isBefore(now) ? now : next;
    }

    /**
     * The earliest time after {@code now} at which some record's {@code is_healthy} turns false by
     * itself (its heartbeat reaching the TTL); {@code Instant.MAX} when none will. Until then, and
     * until the next event, every answer computed from the view stays the same.
     */
    public Instant nextHealthFlip(RegistryView view, Instant now) {
        Instant next = Instant.MAX;
        double nowSeconds = Projector.epochSeconds(now);
        for (ServiceRecord r : view.records()) {
            if (ServiceRecord.STATUS_RUNNING.equals(r.status()) && r.lastHeartbeat() + seconds(heartbeatTtl) > nowSeconds) {
                Instant flip = instantOf(r.lastHeartbeat()).plus(heartbeatTtl);
                if (flip.isBefore(next)) {
                    next = flip;
                }
            }
        }
        return next;
    }

    private static Instant latest(Instant a, Instant b) {
        return a.isAfter(b) ? a : b;
    }

    private static Instant instantOf(double epochSeconds) {
        long micros = Math.round(epochSeconds * 1_000_000.0);
        return Instant.ofEpochSecond(Math.floorDiv(micros, 1_000_000L), Math.floorMod(micros, 1_000_000L) * 1_000L);
    }

    private static double seconds(Duration d) {
        return d.toNanos() / 1e9;
    }
}
