package dev.registry.events.projection;

import dev.registry.events.event.HealthChecked;
import dev.registry.events.event.HeartbeatReceived;
import dev.registry.events.event.LeaseGranted;
import dev.registry.events.event.RegistryStarted;
import dev.registry.events.event.ServiceDeregistered;
import dev.registry.events.event.ServiceEvicted;
import dev.registry.events.event.ServiceExpired;
import dev.registry.events.event.ServiceRegistered;
import dev.registry.events.event.ServiceUpdated;
import dev.registry.events.log.LoggedEvent;
import java.time.Instant;

/**
 * Applies events to a {@link RegistryView}. Deterministic: it reads no clock and no state but
 * the view and the event, so the view after N events is a function of those N events.
 *
 * <p>An event takes effect only if it still holds at its place in the log: a heartbeat, update,
 * deregistration or check result needs its record; an expiry needs the record unexpired and its
 * heartbeat unchanged since it was decided; an eviction needs that heartbeat unchanged too; a
 * time-driven event appended under a lease needs that lease current. With one writer (the
 * embedded log) every event is decided against this very view, so every event holds. On a log
 * several nodes share, nodes propose events decided against views that may lag; the log's order
 * decides, and a proposal that lost a race (a heartbeat just after its record was deleted) is
 * skipped here, the same way on every node.
 */
public final class Projector {

    private Projector() {}

    /**
     * Applies {@code logged} if it holds at its place; either way the view moves past its index.
     *
     * @return whether it took effect
     */
    public static boolean apply(RegistryView view, LoggedEvent logged) {
        boolean effective = switch (logged.event()) {
            case ServiceRegistered e -> {
                view.register(e.record(), logged.index());
                yield true;
            }
            case ServiceUpdated e -> view.change(e.name(), r -> e.changes().applyTo(r, epochSeconds(e.time())), true);
            case HeartbeatReceived e ->
                view.change(e.name(), r -> r.withHeartbeat(epochSeconds(e.time()), e.status()), true);
            case ServiceDeregistered e -> view.remove(e.name());
            case HealthChecked e ->
                leaseAllows(view, e.leaseEpoch(), e.time())
                        && view.change(e.name(), r -> r.withHealthStatus(e.newStatus()), false);
            case ServiceExpired e ->
                leaseAllows(view, e.leaseEpoch(), e.time())
                        && !view.isExpired(e.name())
                        && sameHeartbeat(view, e.name(), e.lastHeartbeat())
                        && view.markExpired(e.name());
            case ServiceEvicted e ->
                leaseAllows(view, e.leaseEpoch(), e.time())
                        && sameHeartbeat(view, e.name(), e.record().lastHeartbeat())
                        && view.remove(e.name());
            case RegistryStarted e -> {
                // the latest grace wins: on a shared log a node's warm start must not cut short
                // the grace of the cold start before it
                if (e.evictionGraceUntil().isAfter(view.evictionGraceUntil())) {
                    view.setEvictionGraceUntil(e.evictionGraceUntil());
                }
                yield true;
            }
            case LeaseGranted e -> grant(view, e);
        };
        view.advanceTo(logged.index(), logged.event().time());
        return effective;
    }

    /** Whether a time-driven event of {@code epoch} (0: appended without a lease) may act at {@code time}. */
    private static boolean leaseAllows(RegistryView view, long epoch, Instant time) {
        if (epoch == 0) {
            return true;
        }
        RegistryView.Lease lease = view.lease().orElse(null);
        return lease != null && lease.epoch() == epoch && lease.heldAt(time);
    }

    private static boolean sameHeartbeat(RegistryView view, String name, double lastHeartbeat) {
        return view.get(name).map(r -> r.lastHeartbeat() == lastHeartbeat).orElse(false);
    }

    /** A takeover once the lease ran out (next epoch), or the holder's renewal or release (same epoch). */
    private static boolean grant(RegistryView view, LeaseGranted e) {
        RegistryView.Lease current = view.lease().orElse(null);
        boolean takeover = current == null || !current.heldAt(e.time());
        boolean valid = takeover
                ? e.epoch() == (current == null ? 1 : current.epoch() + 1)
                : e.holder().equals(current.holder()) && e.epoch() == current.epoch();
        if (valid) {
            view.setLease(new RegistryView.Lease(e.holder(), e.epoch(), e.until()));
        }
        return valid;
    }

    /** Epoch seconds with the fraction, the form {@code last_heartbeat} takes on the wire. */
    public static double epochSeconds(Instant time) {
        return time.getEpochSecond() + time.getNano() / 1_000_000_000.0;
    }
}
