package dev.registry.server.services;

import dev.registry.api.ServiceRecord;
import dev.registry.events.projection.RegistryView;
import dev.registry.server.discovery.BlockingQuery;
import dev.registry.server.discovery.ListCache;
import dev.registry.server.discovery.ViewChanges;
import dev.registry.server.health.HealthRules;
import dev.registry.server.http.ApiException;
import dev.registry.server.http.ApiReply;
import dev.registry.server.http.ApiRequest;
import dev.registry.server.http.ApiRouter;
import dev.registry.server.http.ETags;
import dev.registry.server.http.ReplyJson;
import dev.registry.server.write.Command;
import dev.registry.server.write.RegistryWriter;
import dev.registry.server.write.ServerTime;
import dev.registry.server.write.WriteResult;

import java.time.Clock;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Map;

/** The record endpoints: list, get, register, update, deregister, heartbeat. */
public final class ServiceEndpoints {

    private final RegistryView view;
    private final RegistryWriter writer;
    private final HealthRules health;
    private final Clock clock;
    private final ViewChanges changes;
    private final ListCache cache = new ListCache();
    private final int maxRecords;
    private final ServiceRequests requests;
    private java.util.function.Function<ApiRequest, ApiReply> pastView =
            r -> { throw ApiException.badRequest("Point-in-time views are not available"); };

    public ServiceEndpoints(RegistryView view, RegistryWriter writer, HealthRules health, Clock clock,
                            ViewChanges changes, int maxRecords, RequestLimits limits) {
        this.requests = new ServiceRequests(limits);
        this.maxRecords = maxRecords;
        this.view = view;
        this.writer = writer;
        this.health = health;
        this.clock = clock;
        this.changes = changes;
    }

    /**
     * {@code GET /services?status=S&healthy=B}: both filters optional, empty values ignored. With
     * {@code at=TIME} or {@code at_index=N}, the view as it was then.
     */
    public ApiReply list(ApiRequest request) {
        if (request.query("at").isPresent() || request.query("at_index").isPresent()) {
            return pastView.apply(request);
        }
        ServiceFilter filter = ServiceFilter.of(request);
        BlockingQuery.awaitIfAsked(request, changes);
        long index = view.lastIndex();
        Instant now = clock.instant();
        ListCache.Entry list = cache.get(filter, index, now, () -> {
            byte[] body = listWithoutTimestamp(view.records(), filter, now, g -> { });
            return new ListCache.Entry(index, health.nextHealthFlip(view, now), body, ETags.of(body));
        });
        return new ApiReply(200, list.body(), timestampTail(now),
                Map.of("ETag", list.etag(), ApiRouter.REGISTRY_INDEX.defaultCase(), Long.toString(index)));
    }

    /**
     * A complete list reply's body: the records that pass {@code filter}, {@code is_healthy}
     * evaluated at {@code healthAt}, {@code extra} fields, and the timestamp.
     */
    public byte[] listBody(Iterable<ServiceRecord> records, ServiceFilter filter, Instant healthAt,
                           Instant timestamp, ReplyJson.Body extra) {
        return new ApiReply(200, listWithoutTimestamp(records, filter, healthAt, extra), timestampTail(timestamp), Map.of())
                .wholeBody();
    }

    /** The list reply up to its timestamp: {@code {"services":[...],"total":n,<extra>} without the closing brace. */
    private byte[] listWithoutTimestamp(Iterable<ServiceRecord> records, ServiceFilter filter, Instant healthAt,
                                        ReplyJson.Body extra) {
        return ReplyJson.encodeOpen(g -> {
            g.writeStartObject();
            g.writeArrayFieldStart("services");
            int total = 0;
            for (ServiceRecord r : records) {
                boolean healthy = health.isHealthy(r, healthAt);
                if (filter.keeps(r, healthy)) {
                    ReplyJson.record(g, r, healthy);
                    total++;
                }
            }
            g.writeEndArray();
            g.writeNumberField("total", total);
            extra.writeTo(g);
        });
    }

    /** What closes a list body: its timestamp, fresh per reply. */
    private static byte[] timestampTail(Instant timestamp) {
        return (",\"timestamp\":\"" + ServerTime.format(timestamp) + "\"}").getBytes(StandardCharsets.UTF_8);
    }

    /** Where {@code GET /services?at=...} goes: the audit feature answers it. */
    public void answerPastViewsWith(java.util.function.Function<ApiRequest, ApiReply> handler) {
        this.pastView = handler;
    }

    /** {@code GET /services/{name}}, also as a blocking query. */
    public ApiReply get(String name, ApiRequest request) {
        BlockingQuery.awaitIfAsked(request, changes);
        long index = view.lastIndex();
        ServiceRecord r = view.get(name).orElseThrow(() -> ApiException.serviceNotFound(name));
        boolean healthy = health.isHealthy(r, clock.instant());
        return new ApiReply(200, ReplyJson.encode(g -> ReplyJson.record(g, r, healthy)),
                Map.of(ApiRouter.REGISTRY_INDEX.defaultCase(), Long.toString(index)));
    }

    /**
     * {@code POST /services}: 201 with the stored record. A new name beyond the record limit is a
     * 413 (checked against the view, so concurrent registrations may pass it by a few).
     */
    public ApiReply register(ApiRequest request) {
        Command.Register command = requests.register(request.body());
        if (view.size() >= maxRecords && view.get(command.name()).isEmpty()) {
            throw new ApiException(413, "Record limit reached: the registry holds at most " + maxRecords
                    + " records (--max-records)");
        }
        WriteResult result = writer.execute(command);
        ServiceRecord r = result.recordAfter().orElseThrow();
        return ApiReply.of(201, recordReply("Service '" + r.name() + "' registered successfully", r));
    }

    /** {@code PUT /services/{name}}: 404 before looking at the body, as the original did. */
    public ApiReply update(String name, ApiRequest request) {
        if (view.get(name).isEmpty()) {
            throw ApiException.serviceNotFound(name);
        }
        WriteResult result = writer.execute(requests.update(name, request.body()));
        ServiceRecord r = result.recordAfter().orElseThrow(() -> ApiException.serviceNotFound(name));
        return ApiReply.of(200, recordReply("Service '" + name + "' updated successfully", r));
    }

    /** {@code DELETE /services/{name}} */
    public ApiReply deregister(String name) {
        if (writer.execute(new Command.Deregister(name)).notFound()) {
            throw ApiException.serviceNotFound(name);
        }
        return ApiReply.of(200, ReplyJson.message("Service '" + name + "' unregistered successfully"));
    }

    /** {@code POST /services/{name}/heartbeat}: any body, or none. */
    public ApiReply heartbeat(String name, ApiRequest request) {
        WriteResult result = writer.execute(requests.heartbeat(name, request.body()));
        if (result.notFound()) {
            throw ApiException.serviceNotFound(name);
        }
        String time = ServerTime.format(result.lastEvent().event().time());
        return ApiReply.of(200, ReplyJson.encode(g -> {
            g.writeStartObject();
            g.writeStringField("message", "Heartbeat received");
            g.writeStringField("timestamp", time);
            g.writeEndObject();
        }));
    }

    private byte[] recordReply(String message, ServiceRecord r) {
        boolean healthy = health.isHealthy(r, clock.instant());
        return ReplyJson.encode(g -> {
            g.writeStartObject();
            g.writeStringField("message", message);
            g.writeFieldName("service");
            ReplyJson.record(g, r, healthy);
            g.writeEndObject();
        });
    }
}
