package dev.registry.server.audit;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.registry.api.PlainJson;
import dev.registry.events.audit.AuditJson;
import dev.registry.events.audit.HistoryPage;
import dev.registry.events.audit.HistoryQuery;
import dev.registry.events.audit.HistoryUnavailableException;
import dev.registry.events.audit.RegistryDiff;
import dev.registry.events.audit.ServiceHistory;
import dev.registry.events.audit.TimeTravel;
import dev.registry.events.log.EventCodec;
import dev.registry.events.log.EventLog;
import dev.registry.events.log.EventReader;
import dev.registry.events.log.EventReader.IndexedEncodedEvent;
import dev.registry.events.projection.RegistryView;
import dev.registry.server.http.ApiException;
import dev.registry.server.http.ApiReply;
import dev.registry.server.http.ApiRequest;
import dev.registry.server.http.ApiRoute;
import dev.registry.server.http.HeavyReads;
import dev.registry.server.http.QueryParameters;
import dev.registry.server.http.ReplyJson;
import dev.registry.server.services.ServiceEndpoints;
import dev.registry.server.services.ServiceFilter;
import io.helidon.webserver.http.HttpRules;
import io.helidon.webserver.http.HttpService;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.function.LongSupplier;

/**
 * What no other registry answers: a service's history, the raw event feed, the registry as it
 * was at any moment, and what changed between two moments. All read the log; none changes it.
 */
public final class AuditEndpoints implements HttpService {

    /** Default and largest page of {@code GET /events} and history. */
    static final int DEFAULT_LIMIT = 100;

    static final int MAX_LIMIT = 10_000;
    /** Most events {@code GET /events} looks at per request when filters skip most of them. */
    static final int MAX_SCANNED = 100_000;

    /**
     * A history or event page asking more than this many entries is a heavy read (see
     * {@link HeavyReads}); so are every point-in-time view and diff, a history with heartbeats
     * (it reads the log from the service's first event) and a filtered event page (it may scan
     * {@link #MAX_SCANNED} events).
     */
    static final int HEAVY_PAGE = 1000;

    private static final ObjectMapper JSON = PlainJson.newMapper();

    private final EventLog log;
    private final ServiceHistory history;
    private final TimeTravel travel;
    private final ServiceEndpoints services;
    private final EventCodec codec = new EventCodec();
    private final LongSupplier viewIndex;
    private final HeavyReads heavyReads;

    /**
     * @param viewIndex  the log index the live view has reached
     * @param heavyReads the turns every heavy read waits for
     */
    public AuditEndpoints(
            EventLog log,
            ServiceHistory history,
            TimeTravel travel,
            ServiceEndpoints services,
            LongSupplier viewIndex,
            HeavyReads heavyReads) {
        this.heavyReads = heavyReads;
        this.log = log;
        this.history = history;
        this.travel = travel;
        this.services = services;
        this.viewIndex = viewIndex;
    }

    /**
     * Its routes; the past-view one ({@code GET /services?at=}) must come before the services
     * feature's list, which answers every other {@code GET /services}.
     */
    @Override
    public void routing(HttpRules rules) {
        rules.any(ApiRoute.all(
                ApiRoute.at("/services", viewIndex)
                        .whenQueryHasAny("at", "at_index")
                        .heavyWhen(heavyReads, r -> true)
                        .get(this::servicesAt)
                        .build(),
                ApiRoute.at("/services/{name}/history", viewIndex)
                        .heavyWhen(heavyReads, r -> listsHeartbeats(r) || asksMany(r))
                        .get(r -> history(r.path("name"), r))
                        .build(),
                ApiRoute.at("/events", viewIndex)
                        .heavyWhen(
                                heavyReads,
                                r -> r.query("type").isPresent()
                                        || r.query("service").isPresent()
                                        || asksMany(r))
                        .get(this::events)
                        .build(),
                ApiRoute.at("/diff", viewIndex)
                        .heavyWhen(heavyReads, r -> true)
                        .get(this::diff)
                        .build()));
    }

    /** Whether a history asks for its heartbeats too (a bad value is a 400 already here). */
    private static boolean listsHeartbeats(ApiRequest request) {
        return new QueryParameters(request).bool("heartbeats").orElse(false);
    }

    /** Whether {@code limit} asks for more than {@link #HEAVY_PAGE} entries (a bad value is a 400 already here). */
    private static boolean asksMany(ApiRequest request) {
        return limit(new QueryParameters(request)) > HEAVY_PAGE;
    }

    /** {@code GET /services/{name}/history?since&until&limit&heartbeats} */
    ApiReply history(String name, ApiRequest request) {
        QueryParameters q = new QueryParameters(request);
        boolean heartbeats = q.bool("heartbeats").orElse(false);
        Instant since = q.time("since").orElse(null);
        Instant until = q.time("until").orElse(null);
        // as for every audit endpoint: a moment before the log's history is a 400 naming available_from
        if (since != null) {
            unavailableAs400(() -> travel.requireAvailable(since, "'since' " + since));
        }
        if (until != null) {
            unavailableAs400(() -> travel.requireAvailable(until, "'until' " + until));
        }
        HistoryQuery query = new HistoryQuery(name, since, until, limit(q), heartbeats);
        HistoryPage page =
                history.read(query).orElseThrow(() -> new ApiException(404, "No history for service '" + name + "'"));
        ObjectNode body = AuditJson.history(page, !heartbeats);
        putAvailableFrom(body);
        return ApiReply.of(200, ReplyJson.tree(body));
    }

    /** {@code GET /events?from=INDEX&limit=N&type=T&service=S}: oldest first, with the index to ask for next. */
    ApiReply events(ApiRequest request) {
        QueryParameters q = new QueryParameters(request);
        Optional<Long> from = q.number("from", 0);
        int limit = limit(q);
        Optional<String> type = q.text("type");
        Optional<String> service = q.text("service");
        ObjectNode body = JSON.createObjectNode();
        ArrayNode events = body.putArray("events");
        long next = from.orElse(0L);
        try (EventReader reader = log.reader()) {
            from.ifPresent(reader::seekAtOrAfter);
            int scanned = 0;
            for (IndexedEncodedEvent e = reader.nextEncoded(); e != null; e = reader.nextEncoded()) {
                next = e.index() + 1;
                ObjectNode event = codec.describe(e.index(), e.encoded());
                String eventType = e.encoded().type();
                if (type.map(eventType::equals).orElse(true)
                        && service.map(s -> s.equals(EventCodec.serviceOf(event)))
                                .orElse(true)) {
                    events.add(event);
                }
                if (events.size() == limit || ++scanned == MAX_SCANNED) {
                    break;
                }
            }
        }
        body.put("count", events.size());
        body.put("next", next);
        putAvailableFrom(body);
        return ApiReply.of(200, ReplyJson.tree(body));
    }

    /** {@code GET /services?at=TIME} or {@code ?at_index=N}: the list as it was, same shape and filters. */
    ApiReply servicesAt(ApiRequest request) {
        QueryParameters q = new QueryParameters(request);
        Optional<Instant> at = q.time("at");
        Optional<Long> atIndex = q.number("at_index", 0);
        if (at.isPresent() && atIndex.isPresent()) {
            throw ApiException.badRequest("Give either 'at' or 'at_index', not both");
        }
        RegistryView past =
                unavailableAs400(() -> at.isPresent() ? travel.atTime(at.get()) : travel.atIndex(atIndex.get()));
        Instant when = at.orElse(past.lastEventTime());
        Instant first = travel.availableFrom();
        ServiceFilter filter = ServiceFilter.of(request);
        return ApiReply.streamed(
                200,
                g -> services.writeList(g, past.records(), filter, when, when, extra -> {
                    extra.writeStringField("at", when.toString());
                    extra.writeNumberField("at_index", past.lastIndex());
                    extra.writeStringField("available_from", first == null ? null : first.toString());
                }));
    }

    /** {@code GET /diff?from=T1&to=T2} */
    ApiReply diff(ApiRequest request) {
        QueryParameters q = new QueryParameters(request);
        Instant from = q.time("from").orElseThrow(() -> ApiException.badRequest("Parameter 'from' is required"));
        Instant to = q.time("to").orElseThrow(() -> ApiException.badRequest("Parameter 'to' is required"));
        if (to.isBefore(from)) {
            throw ApiException.badRequest("Parameter 'to' must not be before 'from'");
        }
        // worked out before the reply starts, so that a moment out of range is still a 400
        RegistryDiff diff = unavailableAs400(() -> travel.diff(from, to));
        Instant first = travel.availableFrom();
        return ApiReply.streamed(200, g -> {
            AuditJson.writeDiffOpen(g, diff);
            g.writeStringField("available_from", first == null ? null : first.toString());
            g.writeEndObject();
        });
    }

    private static int limit(QueryParameters q) {
        long limit = q.number("limit", 1).orElse((long) DEFAULT_LIMIT);
        if (limit > MAX_LIMIT) {
            throw ApiException.badRequest("Parameter 'limit' must be at most " + MAX_LIMIT);
        }
        return (int) limit;
    }

    private void putAvailableFrom(ObjectNode body) {
        Instant first = travel.availableFrom();
        body.put("available_from", first == null ? null : first.toString());
    }

    private static void unavailableAs400(Runnable check) {
        unavailableAs400(() -> {
            check.run();
            return null;
        });
    }

    private static <T> T unavailableAs400(java.util.function.Supplier<T> query) {
        try {
            return query.get();
        } catch (HistoryUnavailableException ex) {
            throw new ApiException(
                    400,
                    ex.getMessage(),
                    ex.availableFrom() == null
                            ? Map.of()
                            : Map.of("available_from", ex.availableFrom().toString()));
        }
    }
}
