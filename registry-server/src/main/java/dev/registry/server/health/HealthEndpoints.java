package dev.registry.server.health;

import dev.registry.api.ServiceRecord;
import dev.registry.events.projection.RegistryView;
import dev.registry.server.http.ApiException;
import dev.registry.server.http.ApiReply;
import dev.registry.server.http.ReplyJson;
import dev.registry.server.write.ServerTime;

import java.time.Clock;
import java.time.Instant;

/** {@code GET /health} (the registry's own) and {@code GET /services/{name}/health}. */
public final class HealthEndpoints {

    private final RegistryView view;
    private final HealthPolicy health;
    private final Clock clock;

    public HealthEndpoints(RegistryView view, HealthPolicy health, Clock clock) {
        this.view = view;
        this.health = health;
        this.clock = clock;
    }

    public ApiReply registryHealth() {
        Instant now = clock.instant();
        int total = 0;
        int healthy = 0;
        for (ServiceRecord r : view.records()) {
            total++;
            if (health.isHealthy(r, now)) {
                healthy++;
            }
        }
        int registered = total;
        int healthyCount = healthy;
        return ApiReply.of(200, ReplyJson.encode(g -> {
            g.writeStartObject();
            g.writeStringField("status", "healthy");
            g.writeStringField("registry", "running");
            g.writeNumberField("registered_services", registered);
            g.writeNumberField("healthy_services", healthyCount);
            g.writeStringField("timestamp", ServerTime.format(now));
            g.writeEndObject();
        }));
    }

    public ApiReply serviceHealth(String name) {
        ServiceRecord r = view.get(name).orElseThrow(() -> ApiException.serviceNotFound(name));
        Instant now = clock.instant();
        return ApiReply.of(200, ReplyJson.encode(g -> {
            g.writeStartObject();
            g.writeStringField("service", r.name());
            g.writeStringField("health_status", r.healthStatus());
            g.writeBooleanField("is_healthy", health.isHealthy(r, now));
            ReplyJson.writeEpochSeconds(g, "last_heartbeat", r.lastHeartbeat());
            g.writeStringField("timestamp", ServerTime.format(now));
            g.writeEndObject();
        }));
    }
}
