package dev.registry.events.audit;

import dev.registry.api.ServiceRecord;
import dev.registry.events.event.HealthChecked;
import dev.registry.events.event.HeartbeatReceived;
import dev.registry.events.event.RegistryEvent;
import dev.registry.events.event.ServiceDeregistered;
import dev.registry.events.event.ServiceEvicted;
import dev.registry.events.event.ServiceRegistered;
import dev.registry.events.event.ServiceUpdated;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The registry's state from a list of events, written separately from the projector (no view,
 * no ordering, no expiry marks), so tests can check the projector and time travel against it.
 */
public final class IndependentFold {

    private IndependentFold() {}

    /** Name to record after {@code events}, sorted by name. */
    public static Map<String, ServiceRecord> fold(List<? extends RegistryEvent> events) {
        Map<String, ServiceRecord> state = new TreeMap<>();
        for (RegistryEvent event : events) {
            double t = event.time().getEpochSecond() + event.time().getNano() / 1e9;
            if (event instanceof ServiceRegistered e) {
                state.put(e.name(), e.record());
            } else if (event instanceof ServiceDeregistered e) {
                state.remove(e.name());
            } else if (event instanceof ServiceEvicted e) {
                state.remove(e.name());
            } else if (event instanceof HeartbeatReceived e && state.containsKey(e.name())) {
                ServiceRecord r = state.get(e.name());
                state.put(
                        e.name(),
                        new ServiceRecord(
                                r.name(),
                                r.host(),
                                r.port(),
                                r.hostname(),
                                r.url(),
                                e.status() == null ? r.status() : e.status(),
                                r.timestamp(),
                                t,
                                r.healthStatus(),
                                r.metadata()));
            } else if (event instanceof ServiceUpdated e && state.containsKey(e.name())) {
                ServiceRecord r = state.get(e.name());
                var c = e.changes();
                state.put(
                        e.name(),
                        new ServiceRecord(
                                r.name(),
                                c.host() == null ? r.host() : c.host(),
                                c.port() == null ? r.port() : c.port(),
                                c.hostname() == null ? r.hostname() : c.hostname(),
                                c.url() == null ? r.url() : c.url(),
                                c.status() == null ? r.status() : c.status(),
                                r.timestamp(),
                                t,
                                r.healthStatus(),
                                c.metadata() == null ? r.metadata() : c.metadata()));
            } else if (event instanceof HealthChecked e && state.containsKey(e.name())) {
                ServiceRecord r = state.get(e.name());
                state.put(
                        e.name(),
                        new ServiceRecord(
                                r.name(),
                                r.host(),
                                r.port(),
                                r.hostname(),
                                r.url(),
                                r.status(),
                                r.timestamp(),
                                r.lastHeartbeat(),
                                e.newStatus(),
                                r.metadata()));
            }
        }
        return state;
    }
}
