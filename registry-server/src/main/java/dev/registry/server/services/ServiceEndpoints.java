package dev.registry.server.services;

import com.fasterxml.jackson.core.JsonGenerator;
import dev.registry.api.ServiceRecord;
import dev.registry.api.Timestamps;
import dev.registry.events.projection.RegistryView;
import dev.registry.server.config.RequestLimits;
import dev.registry.server.discovery.BlockingQuery;
import dev.registry.server.discovery.ViewChanges;
import dev.registry.server.http.AcceptEncoding;
import dev.registry.server.http.ApiException;
import dev.registry.server.http.ApiReplies;
import dev.registry.server.http.ApiReply;
import dev.registry.server.http.ApiRequest;
import dev.registry.server.http.ApiRoute;
import dev.registry.server.http.ETags;
import dev.registry.server.http.GzipPrefix;
import dev.registry.server.http.HeavyReads;
import dev.registry.server.http.ReplyJson;
import dev.registry.server.rules.Command;
import dev.registry.server.rules.HealthRules;
import dev.registry.server.rules.RecordLimitReachedException;
import dev.registry.server.write.WriteResult;
import dev.registry.server.write.Writes;
import io.helidon.webserver.http.HttpRules;
import io.helidon.webserver.http.HttpService;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;

/** The record endpoints: list, get, register, update, deregister, heartbeat. */
public final class ServiceEndpoints implements HttpService {

    private static final String HEARTBEAT_REPLY_START = "{\"message\":\"Heartbeat received\",\"timestamp\":\"";

    private final RegistryView view;
    private final Writes writer;
    private final HealthRules health;
    private final Clock clock;
    private final ViewChanges changes;
    private final ListCache cache = new ListCache();
    private final ServiceRequests requests;
    private final HeavyReads heavyReads;

    /**
     * A list is a heavy read (see {@link HeavyReads}) while the registry holds more than this many
     * records: some 4 MB of reply to copy out, and to encode after each change.
     */
    static final int HEAVY_LIST_RECORDS = 10_000;

    /** @param heavyReads the turns a list of many records waits for */
    public ServiceEndpoints(
            RegistryView view,
            Writes writer,
            HealthRules health,
            Clock clock,
            ViewChanges changes,
            int maxRecords,
            RequestLimits limits,
            HeavyReads heavyReads) {
        this.heavyReads = heavyReads;
        this.requests = new ServiceRequests(limits, maxRecords);
        this.view = view;
        this.writer = writer;
        this.health = health;
        this.clock = clock;
        this.changes = changes;
    }

    @Override
    public void routing(HttpRules rules) {
        rules.any(ApiRoute.all(
                ApiRoute.at("/services", view::lastIndex)
                        .heavyWhen(heavyReads, r -> view.size() > HEAVY_LIST_RECORDS)
                        .get(this::list)
                        .post(this::register)
                        .build(),
                ApiRoute.at("/services/{name}", view::lastIndex)
                        .get(this::get)
                        .put(this::update)
                        .delete(this::deregister)
                        .build(),
                ApiRoute.at("/services/{name}/heartbeat", view::lastIndex)
                        .post(this::heartbeat)
                        .build()));
    }

    /**
     * {@code GET /services?status=S&healthy=B}: both filters optional, empty values ignored.
     * ({@code ?at=} and {@code ?at_index=}, the view as it was, are the audit feature's.) Gzip to
     * a client whose {@code Accept-Encoding} takes it, from the cached compression.
     */
    ApiReply list(ApiRequest request) {
        ServiceFilter filter = ServiceFilter.of(request);
        BlockingQuery.awaitIfAsked(request, changes);
        long index = view.lastIndex();
        Instant now = clock.instant();
        ListCache.Entry list = cache.get(filter, index, now, stale -> {
            byte[] body =
                    listWithoutTimestamp(view.records(), filter, now, g -> {}, stale == null ? 0 : stale.body().length);
            return new ListCache.Entry(index, health.nextHealthFlip(view, now), body, ETags.of(body));
        });
        byte[] tail = timestampTail(now);
        String indexText = Long.toString(index);
        Optional<String> ifNoneMatch = request.header("If-None-Match");
        if (AcceptEncoding.allowsGzip(request.header(AcceptEncoding.HEADER))) {
            GzipPrefix gzip = list.gzip();
            return new ApiReply(
                    200,
                    gzip.compressed(),
                    gzip.tail(tail),
                    Map.of(
                            "ETag",
                            tagToSend(ifNoneMatch, list.gzipEtag(), list.etag()),
                            "Content-Encoding",
                            "gzip",
                            "Vary",
                            AcceptEncoding.HEADER,
                            ApiReplies.REGISTRY_INDEX_NAME,
                            indexText));
        }
        return new ApiReply(
                200,
                list.body(),
                tail,
                Map.of(
                        "ETag",
                        tagToSend(ifNoneMatch, list.etag(), list.gzipEtag()),
                        "Vary",
                        AcceptEncoding.HEADER,
                        ApiReplies.REGISTRY_INDEX_NAME,
                        indexText));
    }

    /**
     * The tag of the encoding sent, unless {@code If-None-Match} names only the other one: both
     * encode the same list, so a client (or a cache) holding either is up to date, and its 304
     * carries the tag of what it holds.
     */
    private static String tagToSend(Optional<String> ifNoneMatch, String sent, String other) {
        if (ifNoneMatch.isPresent()
                && !ETags.matches(ifNoneMatch.get(), sent)
                && ETags.matches(ifNoneMatch.get(), other)) {
            return other;
        }
        return sent;
    }

    /**
     * A complete list reply's body: the records that pass {@code filter}, {@code is_healthy}
     * evaluated at {@code healthAt}, {@code extra} fields, and the timestamp.
     */
    public byte[] listBody(
            Iterable<ServiceRecord> records,
            ServiceFilter filter,
            Instant healthAt,
            Instant timestamp,
            ReplyJson.Body extra) {
        return ReplyJson.encode(g -> writeList(g, records, filter, healthAt, timestamp, extra));
    }

    /** {@link #listBody} written to {@code g} as it goes, for a reply streamed to the client. */
    public void writeList(
            JsonGenerator g,
            Iterable<ServiceRecord> records,
            ServiceFilter filter,
            Instant healthAt,
            Instant timestamp,
            ReplyJson.Body extra)
            throws IOException {
        writeListOpen(g, records, filter, healthAt, extra);
        g.writeStringField("timestamp", Timestamps.format(timestamp));
        g.writeEndObject();
    }

    /** The list reply up to its timestamp: {@code {"services":[...],"total":n,<extra>} without the closing brace. */
    private byte[] listWithoutTimestamp(
            Iterable<ServiceRecord> records,
            ServiceFilter filter,
            Instant healthAt,
            ReplyJson.Body extra,
            int expectedBytes) {
        return ReplyJson.encodeOpen(g -> writeListOpen(g, records, filter, healthAt, extra), expectedBytes);
    }

    private void writeListOpen(
            JsonGenerator g,
            Iterable<ServiceRecord> records,
            ServiceFilter filter,
            Instant healthAt,
            ReplyJson.Body extra)
            throws IOException {
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
    }

    /** What closes a list body: its timestamp, fresh per reply. */
    private static byte[] timestampTail(Instant timestamp) {
        return (",\"timestamp\":\"" + Timestamps.format(timestamp) + "\"}").getBytes(StandardCharsets.UTF_8);
    }

    /** {@code GET /services/{name}}, also as a blocking query. */
    ApiReply get(ApiRequest request) {
        String name = request.path("name");
        BlockingQuery.awaitIfAsked(request, changes);
        long index = view.lastIndex();
        ServiceRecord r = view.get(name).orElseThrow(() -> ApiException.serviceNotFound(name));
        boolean healthy = health.isHealthy(r, clock.instant());
        return new ApiReply(
                200,
                ReplyJson.encode(g -> ReplyJson.record(g, r, healthy)),
                Map.of(ApiReplies.REGISTRY_INDEX_NAME, Long.toString(index)));
    }

    /**
     * {@code POST /services}: 201 with the stored record. A new name beyond the record limit is a
     * 413, decided by the writer in log order, so concurrent registrations never pass it.
     */
    ApiReply register(ApiRequest request) {
        Command.Register command = requests.register(request.body());
        WriteResult result;
        try {
            result = writer.execute(command);
        } catch (RecordLimitReachedException full) {
            throw new ApiException(
                    413,
                    "Record limit reached: the registry holds at most " + full.limit() + " records (--max-records)");
        }
        ServiceRecord r = result.recordAfter().orElseThrow();
        return written(201, recordReply("Service '" + r.name() + "' registered successfully", r), result);
    }

    /** {@code PUT /services/{name}}: 404 before looking at the body, as the original did. */
    ApiReply update(ApiRequest request) {
        String name = request.path("name");
        if (!writer.exists(name)) {
            throw ApiException.serviceNotFound(name);
        }
        WriteResult result = writer.execute(requests.update(name, request.body()));
        ServiceRecord r = result.recordAfter().orElseThrow(() -> notFound(name, result));
        return written(200, recordReply("Service '" + name + "' updated successfully", r), result);
    }

    /** {@code DELETE /services/{name}} */
    ApiReply deregister(ApiRequest request) {
        String name = request.path("name");
        WriteResult result = writer.execute(new Command.Deregister(name));
        if (result.notFound()) {
            throw notFound(name, result);
        }
        return written(200, ReplyJson.message("Service '" + name + "' unregistered successfully"), result);
    }

    /** {@code POST /services/{name}/heartbeat}: any body, or none. */
    ApiReply heartbeat(ApiRequest request) {
        String name = request.path("name");
        WriteResult result = writer.execute(requests.heartbeat(name, request.body()));
        if (result.notFound()) {
            throw notFound(name, result);
        }
        // the busiest reply: its text is fixed but for an ASCII time, so it is built without a generator
        String time = Timestamps.format(result.lastEvent().event().time());
        return written(200, (HEARTBEAT_REPLY_START + time + "\"}").getBytes(StandardCharsets.US_ASCII), result);
    }

    /** A write's reply says the log position it is true at, for a client to read it back anywhere. */
    private static ApiReply written(int status, byte[] body, WriteResult result) {
        return new ApiReply(status, body, Map.of(ApiReplies.REGISTRY_INDEX_NAME, Long.toString(result.index())));
    }

    private static ApiException notFound(String name, WriteResult result) {
        return ApiException.serviceNotFound(name)
                .withHeader(ApiReplies.REGISTRY_INDEX_NAME, Long.toString(result.index()));
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
