package dev.registry.server.stats;

import dev.registry.api.ServiceRecord;
import dev.registry.api.Timestamps;
import dev.registry.events.projection.RegistryView;
import dev.registry.server.http.ApiReply;
import dev.registry.server.http.ApiRoute;
import dev.registry.server.http.ReplyJson;
import dev.registry.server.rules.HealthRules;
import io.helidon.webserver.http.HttpRules;
import io.helidon.webserver.http.HttpService;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.TreeMap;

/** {@code GET /stats}: counts by health, status and host, and the server's uptime. */
public final class StatsEndpoint implements HttpService {

    private final RegistryView view;
    private final HealthRules health;
    private final Clock clock;
    private final Instant startedAt;

    public StatsEndpoint(RegistryView view, HealthRules health, Clock clock, Instant startedAt) {
        this.view = view;
        this.health = health;
        this.clock = clock;
        this.startedAt = startedAt;
    }

    @Override
    public void routing(HttpRules rules) {
        rules.any(ApiRoute.at("/stats", view::lastIndex).get(r -> stats()).build());
    }

    ApiReply stats() {
        Instant now = clock.instant();
        int total = 0;
        int healthy = 0;
        Map<String, Integer> byStatus = new TreeMap<>();
        Map<String, Integer> byHost = new TreeMap<>();
        for (ServiceRecord r : view.records()) {
            total++;
            if (health.isHealthy(r, now)) {
                healthy++;
            }
            byStatus.merge(r.status(), 1, Integer::sum);
            byHost.merge(r.host(), 1, Integer::sum);
        }
        int totalCount = total;
        int healthyCount = healthy;
        double uptime = Duration.between(startedAt, now).toNanos() / 1e9;
        return ApiReply.of(200, ReplyJson.encode(g -> {
            g.writeStartObject();
            g.writeNumberField("total_services", totalCount);
            g.writeNumberField("healthy_services", healthyCount);
            g.writeNumberField("unhealthy_services", totalCount - healthyCount);
            g.writeObjectFieldStart("status_distribution");
            for (var e : byStatus.entrySet()) {
                g.writeNumberField(e.getKey(), e.getValue());
            }
            g.writeEndObject();
            g.writeObjectFieldStart("host_distribution");
            for (var e : byHost.entrySet()) {
                g.writeNumberField(e.getKey(), e.getValue());
            }
            g.writeEndObject();
            g.writeNumberField("uptime", uptime);
            g.writeStringField("timestamp", Timestamps.format(now));
            g.writeEndObject();
        }));
    }
}
