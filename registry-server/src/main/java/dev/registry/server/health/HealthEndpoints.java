package dev.registry.server.health;

import dev.registry.api.RecordFields;
import dev.registry.api.ServiceRecord;
import dev.registry.api.Timestamps;
import dev.registry.events.event.HealthChecked;
import dev.registry.events.projection.RegistryView;
import dev.registry.server.http.ApiException;
import dev.registry.server.http.ApiReply;
import dev.registry.server.http.ApiRoute;
import dev.registry.server.http.BearerToken;
import dev.registry.server.http.ReplyJson;
import dev.registry.server.rules.Command;
import dev.registry.server.rules.HealthRules;
import dev.registry.server.write.WriteResult;
import dev.registry.server.write.Writes;
import io.helidon.webserver.http.HttpRules;
import io.helidon.webserver.http.HttpService;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.util.function.BooleanSupplier;

/** {@code GET /health} (the registry's own) and {@code GET /services/{name}/health}. */
public final class HealthEndpoints implements HttpService {

    private final RegistryView view;
    private final HealthRules health;
    private final Probe probe;
    private final Writes writer;
    private final Clock clock;
    private final BooleanSupplier stale;
    private final BearerToken token;
    private volatile Counts counts = new Counts(-2, Instant.MIN, 0, 0);

    /** On an open registry, with a state that never lags its log. */
    public HealthEndpoints(RegistryView view, HealthRules health, Probe probe, Writes writer, Clock clock) {
        this(view, health, probe, writer, clock, () -> false, new BearerToken(null, false));
    }

    /**
     * @param stale whether this node's state may lag its log now: {@code /health} then says {@code "stale": true}
     * @param token who may write: a live check asked for without it is answered but not recorded
     */
    public HealthEndpoints(
            RegistryView view,
            HealthRules health,
            Probe probe,
            Writes writer,
            Clock clock,
            BooleanSupplier stale,
            BearerToken token) {
        this.token = token;
        this.stale = stale;
        this.view = view;
        this.health = health;
        this.probe = probe;
        this.writer = writer;
        this.clock = clock;
    }

    @Override
    public void routing(HttpRules rules) {
        rules.any(ApiRoute.all(
                ApiRoute.at("/health", view::lastIndex)
                        .get(r -> registryHealth())
                        .build(),
                ApiRoute.at("/services/{name}/health", view::lastIndex)
                        .get(r -> serviceHealth(r.path("name"), token.allowsWrites(r.header("Authorization"))))
                        .build()));
    }

    /**
     * The counts at one log index, true until the next record's health flips by itself: load
     * balancers poll {@code /health} often, and counting means a pass over every record. With
     * them, the reply's text up to its time, which is all that changes between two polls.
     */
    private record Counts(long index, Instant validUntil, int total, int healthy, String replyStart) {
        Counts(long index, Instant validUntil, int total, int healthy) {
            this(
                    index,
                    validUntil,
                    total,
                    healthy,
                    "{\"status\":\"healthy\",\"registry\":\"running\",\"registered_services\":" + total
                            + ",\"healthy_services\":" + healthy + ",\"timestamp\":\"");
        }
    }

    private Counts counts(Instant now) {
        long index = view.lastIndex(); // read before the pass: what it counts is at least this index
        Counts known = counts;
        if (known.index() == index && now.isBefore(known.validUntil())) {
            return known;
        }
        int total = 0;
        int healthy = 0;
        for (ServiceRecord r : view.records()) {
            total++;
            if (health.isHealthy(r, now)) {
                healthy++;
            }
        }
        Counts fresh = new Counts(index, health.nextHealthFlip(view, now), total, healthy);
        counts = fresh;
        return fresh;
    }

    /**
     * {@code {"status":"healthy","registry":"running","registered_services":N,"healthy_services":N,
     * "timestamp":"..."}}, and {@code "stale":true} only while this node's state may lag its log
     * (so the contract's body stays as it is). Polled more than any other read, so its text is
     * put together without a JSON generator: every part but the ASCII time is kept with the counts.
     */
    ApiReply registryHealth() {
        Instant now = clock.instant();
        Counts counts = counts(now);
        String end = stale.getAsBoolean() ? "\",\"stale\":true}" : "\"}";
        return ApiReply.of(
                200, (counts.replyStart() + Timestamps.format(now) + end).getBytes(StandardCharsets.US_ASCII));
    }

    /**
     * Checks the service now (as the original did), records a change of {@code health_status},
     * and on success refreshes its heartbeat through a heartbeat event caused by the probe.
     *
     * <p>A GET is a read: a request that may not write (no token where writes need one) gets the
     * check's answer and changes nothing. Its {@code last_heartbeat} and {@code is_healthy} are
     * the stored record's, as no heartbeat was recorded.
     *
     * @param record whether this request may write what the check found to the log
     */
    ApiReply serviceHealth(String name, boolean record) {
        ServiceRecord before = view.get(name).orElseThrow(() -> ApiException.serviceNotFound(name));
        Probe.Result result = probe.check(before).join();
        if (!record) {
            return healthReply(before, result.healthStatus());
        }
        WriteResult recorded = writer.execute(
                new Command.RecordCheck(name, result.healthStatus(), result.detail(), HealthChecked.CAUSE_PROBE, true));
        ServiceRecord r = recorded.recordAfter().orElseThrow(() -> ApiException.serviceNotFound(name));
        return healthReply(r, r.healthStatus());
    }

    private ApiReply healthReply(ServiceRecord r, String healthStatus) {
        Instant now = clock.instant();
        return ApiReply.of(200, ReplyJson.encode(g -> {
            g.writeStartObject();
            g.writeStringField("service", r.name());
            g.writeStringField("health_status", healthStatus);
            g.writeBooleanField("is_healthy", health.isHealthy(r, now));
            ReplyJson.writeEpochSeconds(g, RecordFields.LAST_HEARTBEAT, r.lastHeartbeat());
            g.writeStringField("timestamp", Timestamps.format(now));
            g.writeEndObject();
        }));
    }
}
