package dev.registry.events.projection;

import dev.registry.api.ServiceRecord;
import dev.registry.events.event.HealthChecked;
import dev.registry.events.event.HeartbeatReceived;
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
 */
public final class Projector {

    private Projector() {
    }

    public static void apply(RegistryView view, LoggedEvent logged) {
        switch (logged.event()) {
            case ServiceRegistered e -> view.register(e.record(), logged.index());
            case ServiceUpdated e -> view.change(e.name(), r -> e.changes().applyTo(r, epochSeconds(e.time())), true);
            case HeartbeatReceived e -> view.change(e.name(), r -> r.withHeartbeat(epochSeconds(e.time()), e.status()), true);
            case ServiceDeregistered e -> view.remove(e.name());
            case HealthChecked e -> view.change(e.name(), r -> r.withHealthStatus(e.newStatus()), false);
            case ServiceExpired e -> view.markExpired(e.name());
            case ServiceEvicted e -> view.remove(e.name());
            case RegistryStarted e -> view.setEvictionGraceUntil(e.evictionGraceUntil());
        }
        view.advanceTo(logged.index(), logged.event().time());
    }

    /** Epoch seconds with the fraction, the form {@code last_heartbeat} takes on the wire. */
    public static double epochSeconds(Instant time) {
        return time.getEpochSecond() + time.getNano() / 1_000_000_000.0;
    }
}
