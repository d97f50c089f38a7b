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
import java.util.Optional;

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

    /**
     * Most records one sweep looks at: a sweep is one write, and every other write waits for it.
     * A start after a long outage finds them all due at once (a million records took the writer
     * for over ten seconds); the rest are swept right after.
     */
    static final int MAX_NAMES_PER_SWEEP = 10_000;

    public boolean isHealthy(ServiceRecord record, Instant now) {
        return record.isHealthyAt(Projector.epochSeconds(now), seconds(heartbeatTtl));
    }

    /**
     * The events the rules call for at {@code now}; empty when nothing is due. Looks only at the
     * records whose time {@code deadlines} says has come, at most {@link #MAX_NAMES_PER_SWEEP} of
     * them (the others stay due), and puts back those not due yet.
     */
    public List<RegistryEvent> due(RegistryView view, HealthDeadlines deadlines, Instant now) {
        List<RegistryEvent> events = new ArrayList<>();
        double nowSeconds = Projector.epochSeconds(now);
        boolean mayEvict = !now.isBefore(view.evictionGraceUntil());
        for (String name : deadlines.takeDue(now, MAX_NAMES_PER_SWEEP)) {
            Optional<ServiceRecord> found = view.get(name);
            if (found.isEmpty()) {
                continue;
            }
            ServiceRecord r = found.get();
            boolean expired = view.isExpired(name);
            int before = events.size();
            double age = nowSeconds - r.lastHeartbeat();
            if (age >= seconds(heartbeatTtl) && !expired) {
                events.add(new ServiceExpired(now, r.name(), r.lastHeartbeat()));
            }
            if (age > seconds(staleAfter) && mayEvict) {
                events.add(new ServiceEvicted(now, r, age));
            }
            if (events.size() == before) {
                deadlines.schedule(name, nextCheck(r, expired, view.evictionGraceUntil())); // not due yet
            } else {
                deadlines.awaitEvents(name); // applying them reschedules it; a refused append is retried
            }
        }
        return events;
    }

    /**
     * When {@code record} next needs a look: its expiry, or once expired its eviction (never
     * within the restart grace).
     */
    public Instant nextCheck(ServiceRecord record, boolean expired, Instant evictionGraceUntil) {
        Instant beat = instantOf(record.lastHeartbeat());
        return expired ? latest(beat.plus(staleAfter).plusNanos(1_000), evictionGraceUntil) : beat.plus(heartbeatTtl);
    }

    /**
     * The earliest time after {@code now} at which {@link #due} may return something, given no
     * further events; {@code Instant.MAX} when no record is registered. New heartbeats only ever
     * postpone it.
     */
    public Instant nextDue(HealthDeadlines deadlines, Instant now) {
        Instant next = deadlines.earliest();
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
            if (ServiceRecord.STATUS_RUNNING.equals(r.status())
                    && r.lastHeartbeat() + seconds(heartbeatTtl) > nowSeconds) {
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
