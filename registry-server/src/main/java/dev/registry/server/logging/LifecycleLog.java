package dev.registry.server.logging;

import dev.registry.api.ServiceRecord;
import dev.registry.events.audit.EventCause;
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
import dev.registry.events.projection.Projection;
import dev.registry.events.projection.RegistryView;
import java.lang.System.Logger.Level;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/**
 * One log line per lifecycle event, with its cause: registered, updated, deregistered, expired,
 * evicted, health changed (an active check's new result, or a heartbeat that brings an expired
 * record back). Heartbeats that change nothing are not logged. As a projection it hears events in
 * log order; it starts logging once the start-up replay is over ({@link #enable}).
 */
public final class LifecycleLog implements Projection {

    private static final System.Logger LOG = System.getLogger("dev.registry.server.lifecycle");

    private final RegistryView view;
    /** Names expired now, to tell a heartbeat that revives a record from one that keeps it alive. */
    private final Set<String> expired = new HashSet<>();

    private volatile boolean enabled;

    public LifecycleLog(RegistryView view) {
        this.view = view;
    }

    /** Starts logging, from the view as the replay left it. Call on the writer's thread or before it runs. */
    public void enable() {
        for (ServiceRecord r : view.records()) {
            if (view.isExpired(r.name())) {
                expired.add(r.name());
            }
        }
        enabled = true;
    }

    @Override
    public void apply(LoggedEvent logged) {
        if (!enabled) {
            return;
        }
        Map<String, Object> f = new LinkedHashMap<>();
        String what = switch (logged.event()) {
            case ServiceRegistered e -> {
                expired.remove(e.record().name());
                f.put("url", e.record().url());
                f.put("status", e.record().status());
                f.put("replaced", e.replaced());
                yield "registered";
            }
            case ServiceUpdated e -> {
                expired.remove(e.name());
                yield "updated";
            }
            case ServiceDeregistered e -> {
                expired.remove(e.name());
                yield "deregistered";
            }
            case ServiceExpired e -> {
                expired.add(e.name());
                f.put("last_heartbeat", e.lastHeartbeat());
                yield "expired";
            }
            case ServiceEvicted e -> {
                expired.remove(e.record().name());
                f.put("age_seconds", e.ageSeconds());
                yield "evicted";
            }
            case HealthChecked e -> {
                f.put("from", e.oldStatus());
                f.put("to", e.newStatus());
                f.put("detail", e.detail());
                yield "health changed";
            }
            case HeartbeatReceived e -> {
                if (!expired.remove(e.name())) {
                    yield null;
                }
                f.put("from", "expired");
                f.put("to", "alive");
                yield "health changed";
            }
            case RegistryStarted e -> null;
            case LeaseGranted e -> null;
        };
        if (what == null) {
            return;
        }
        String name = logged.event() instanceof dev.registry.events.event.ServiceEvent s ? s.name() : "";
        String cause = EventCause.of(logged.event());
        StringBuilder text = new StringBuilder()
                .append(name)
                .append(' ')
                .append(what)
                .append(" (cause ")
                .append(cause)
                .append(')');
        f.forEach((k, v) -> text.append(' ').append(k).append('=').append(v));
        Map<String, Object> fields = new LinkedHashMap<>();
        fields.put("event", what);
        fields.put("service", name);
        fields.put("cause", cause);
        fields.put("index", logged.index());
        fields.putAll(f);
        LOG.log(Level.INFO, "{0}", new LogLine(text.toString(), fields));
    }
}
