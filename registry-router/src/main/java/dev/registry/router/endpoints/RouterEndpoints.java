package dev.registry.router.endpoints;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.registry.router.membership.Backend;
import dev.registry.router.membership.Membership;
import dev.registry.router.membership.RegistrySources;
import dev.registry.router.proxy.Ejections;
import dev.registry.router.stats.BackendStats;
import dev.registry.router.stats.RouterStats;
import io.helidon.http.HeaderNames;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * What the router answers itself: {@code GET /models} and {@code /v1/models} (the models of the
 * healthy backends), {@code GET /health} and {@code /status} (the fleet router's shape), and
 * {@code GET /services} and {@code /stats} (each backend with its counters).
 */
public final class RouterEndpoints {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSSSSS'+00:00'");

    private final Membership membership;
    private final RegistrySources sources;
    private final Ejections ejections;
    private final RouterStats stats;

    public RouterEndpoints(Membership membership, RegistrySources sources, Ejections ejections, RouterStats stats) {
        this.membership = membership;
        this.sources = sources;
        this.ejections = ejections;
        this.stats = stats;
    }

    /** {@code {"object":"list","data":[…]}}: {@code models_list} objects (first seen wins) or {@code {"id": m}}, by id. */
    public void models(ServerRequest req, ServerResponse res) {
        Map<String, JsonNode> byId = new TreeMap<>();
        for (Backend b : routable()) {
            JsonNode list = b.record().metadata().path("models_list");
            for (JsonNode m : list) {
                if (m.path("id").isTextual()) {
                    byId.putIfAbsent(m.get("id").asText(), m);
                }
            }
            for (String id : b.models()) {
                byId.putIfAbsent(id, JSON.createObjectNode().put("id", id));
            }
        }
        ObjectNode body = JSON.createObjectNode().put("object", "list");
        ArrayNode data = body.putArray("data");
        byId.values().forEach(data::add);
        send(res, body);
    }

    public void health(ServerRequest req, ServerResponse res) {
        send(res, health("healthy"));
    }

    public void status(ServerRequest req, ServerResponse res) {
        send(res, health("running"));
    }

    private ObjectNode health(String status) {
        Membership.View view = membership.view();
        int healthy = routable().size();
        ObjectNode body = JSON.createObjectNode();
        body.put("status", status);
        body.put("router", "running");
        body.put("healthy_services", healthy + "/" + view.known().size());
        body.put("registry_url", sources.activeUrl());
        body.put(
                "message",
                view.registryReachable()
                        ? "Router running: " + healthy + " healthy service(s)"
                        : "Registry unreachable: serving the last known " + healthy + " service(s)");
        body.put("timestamp", now());
        return body;
    }

    /** Every known backend with its counters; requests are counted once per backend they were sent to. */
    public void services(ServerRequest req, ServerResponse res) {
        Membership.View view = membership.view();
        Set<String> members = new HashSet<>();
        view.members().forEach(b -> members.add(b.name()));
        ObjectNode body = JSON.createObjectNode();
        ArrayNode services = body.putArray("services");
        int healthy = 0;
        Set<String> names = new HashSet<>();
        for (Backend b : view.known()) {
            names.add(b.name());
            BackendStats s = stats.of(b.name());
            boolean up = members.contains(b.name()) && !ejections.isEjected(b.name());
            healthy += up ? 1 : 0;
            ObjectNode o = services.addObject();
            o.put("name", b.name());
            o.put("host", b.host());
            o.put("port", b.port());
            o.put("url", b.url());
            o.put("healthy", up);
            o.put("ejected", ejections.isEjected(b.name()));
            o.put("static", b.isStatic());
            o.put("weight", b.weight());
            o.set("models", JSON.valueToTree(b.models()));
            if (b.cacheType() != null) {
                o.put("cache_type", b.cacheType());
            }
            o.put("in_flight", s.inFlight());
            o.put("requests", s.requests());
            o.put("errors", s.errors());
            o.put("latency_p50_ms", s.latencyMillis(50));
            o.put("latency_p99_ms", s.latencyMillis(99));
        }
        stats.retainOnly(names);
        body.put("total", view.known().size());
        body.put("healthy", healthy);
        body.put("requests", stats.requests());
        body.put("retries", stats.retries());
        body.put("registry_url", sources.activeUrl());
        body.put("registry_reachable", view.registryReachable());
        body.put("timestamp", now());
        send(res, body);
    }

    private java.util.List<Backend> routable() {
        return membership.view().members().stream()
                .filter(b -> !ejections.isEjected(b.name()))
                .toList();
    }

    private static String now() {
        return ZonedDateTime.now(ZoneOffset.UTC).format(TIME);
    }

    private static void send(ServerResponse res, ObjectNode body) {
        res.header(HeaderNames.CONTENT_TYPE, "application/json");
        res.send(body.toString().getBytes(java.nio.charset.StandardCharsets.UTF_8));
    }
}
