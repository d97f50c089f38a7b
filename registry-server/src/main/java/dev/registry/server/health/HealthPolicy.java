package dev.registry.server.health;

import dev.registry.api.ServiceRecord;
import dev.registry.events.projection.Projector;

import java.time.Duration;
import java.time.Instant;

/**
 * When a record counts as healthy: status {@code running} and a heartbeat younger than the TTL,
 * evaluated at the time of the question. Pure; the caller passes the time.
 */
public record HealthPolicy(Duration heartbeatTtl) {

    public boolean isHealthy(ServiceRecord record, Instant now) {
        return record.isHealthyAt(Projector.epochSeconds(now), heartbeatTtl.toNanos() / 1e9);
    }
}
