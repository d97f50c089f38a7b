package dev.registry.api.client;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.registry.api.ServiceRecord;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.StringJoiner;

/**
 * A client of the registry's HTTP API, on the JDK's HTTP client and Jackson, nothing else.
 * Thread-safe; keep one per registry.
 *
 * <p>Given several registry nodes ({@code "http://a:8901,http://b:8901"}: nodes sharing one
 * log), it uses one at a time and moves to the next when a node does not answer, answers 503, or
 * (for reads) says its state is stale ({@code X-Registry-Stale}). Positions ({@link
 * ServiceList#index()}, event ids) are the shared log's, so a watcher resumes on the next node
 * where it left off. A write whose node failed after it acted may be retried on the next one: a
 * registration or heartbeat twice is harmless; a delete then answers 404.
 *
 * <p>Errors: {@link ServiceNotFoundException} for a 404 on a named record, {@link RegistryException}
 * (with the status and the server's {@code error} text) for any other 4xx/5xx, and
 * {@link RegistryUnavailableException} when there is no answer (refused, timed out, cut).
 */
public final class RegistryClient {

    private static final ObjectMapper JSON = JsonMapper.builder()
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .build();

    private final List<URI> bases;
    private final java.util.concurrent.atomic.AtomicInteger current = new java.util.concurrent.atomic.AtomicInteger();
    private final HttpClient http;
    private final Duration requestTimeout;
    private final String token;

    private RegistryClient(
            List<URI> bases,
            Duration connectTimeout,
            Duration requestTimeout,
            String token,
            javax.net.ssl.SSLContext sslContext) {
        this.token = token;
        this.bases = bases.stream()
                .map(b -> {
                    String text = b.toString();
                    return URI.create(text.endsWith("/") ? text.substring(0, text.length() - 1) : text);
                })
                .toList();
        this.requestTimeout = requestTimeout;
        HttpClient.Builder http =
                HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(connectTimeout);
        if (sslContext != null) {
            http.sslContext(sslContext);
        }
        this.http = http.build();
    }

    /** A client of the registry at {@code baseUri} with 5 s connect and 30 s request timeouts. */
    public static RegistryClient create(String baseUri) {
        return builder(baseUri).build();
    }

    /** @param baseUris one registry's URL, or several nodes' separated by commas */
    public static Builder builder(String baseUris) {
        List<URI> bases = new ArrayList<>();
        for (String part : baseUris.split(",")) {
            if (!part.isBlank()) {
                bases.add(URI.create(part.trim()));
            }
        }
        if (bases.isEmpty()) {
            throw new IllegalArgumentException("no registry URL in '" + baseUris + "'");
        }
        return new Builder(bases);
    }

    /** Timeouts of a client. */
    public static final class Builder {
        private final List<URI> bases;
        private Duration connectTimeout = Duration.ofSeconds(5);
        private Duration requestTimeout = Duration.ofSeconds(30);
        private String token;
        private javax.net.ssl.SSLContext sslContext;

        private Builder(List<URI> bases) {
            this.bases = List.copyOf(bases);
        }

        public Builder connectTimeout(Duration timeout) {
            this.connectTimeout = timeout;
            return this;
        }

        /** How long a request may take (blocking queries add their wait to this). */
        public Builder requestTimeout(Duration timeout) {
            this.requestTimeout = timeout;
            return this;
        }

        /** Sends {@code Authorization: Bearer token} with every request (registries started with --token). */
        public Builder token(String bearerToken) {
            this.token = bearerToken;
            return this;
        }

        /** Trust for an {@code https://} registry with a private certificate (default: the JDK's). */
        public Builder sslContext(javax.net.ssl.SSLContext context) {
            this.sslContext = context;
            return this;
        }

        public RegistryClient build() {
            return new RegistryClient(bases, connectTimeout, requestTimeout, token, sslContext);
        }
    }

    /** The node this client talks to now. */
    public URI baseUri() {
        return bases.get(Math.floorMod(current.get(), bases.size()));
    }

    /** Every node this client may talk to, in the order given. */
    public List<URI> baseUris() {
        return bases;
    }

    /** {@code POST /services}: registers or replaces the record. */
    public ServiceInfo register(Registration registration) {
        ObjectNode body = JSON.createObjectNode();
        body.put("name", registration.name());
        body.put("host", registration.host());
        body.put("port", registration.port());
        body.put("hostname", registration.hostname());
        body.put("url", registration.url());
        body.put("status", registration.status());
        if (registration.timestamp() != null) {
            body.put("timestamp", registration.timestamp());
        }
        body.set("metadata", JSON.valueToTree(registration.metadata()));
        return serviceInfo(send("POST", "/services", body, null, registration.name())
                .json()
                .get("service"));
    }

    /** {@code PUT /services/{name}}: changes the given fields; also a heartbeat. */
    public ServiceInfo update(String name, ServiceUpdate update) {
        ObjectNode body = JSON.createObjectNode();
        if (update.host() != null) body.put("host", update.host());
        if (update.port() != null) body.put("port", update.port());
        if (update.hostname() != null) body.put("hostname", update.hostname());
        if (update.url() != null) body.put("url", update.url());
        if (update.status() != null) body.put("status", update.status());
        if (update.metadata() != null) body.set("metadata", JSON.valueToTree(update.metadata()));
        return serviceInfo(
                send("PUT", servicePath(name), body, null, name).json().get("service"));
    }

    /** {@code POST /services/{name}/heartbeat}; returns the server's time of it. */
    public String heartbeat(String name) {
        return send("POST", servicePath(name) + "/heartbeat", null, null, name)
                .json()
                .get("timestamp")
                .asText();
    }

    /** A heartbeat that also sets the status. */
    public String heartbeat(String name, String status) {
        ObjectNode body = JSON.createObjectNode().put("status", status);
        return send("POST", servicePath(name) + "/heartbeat", body, null, name)
                .json()
                .get("timestamp")
                .asText();
    }

    /** {@code DELETE /services/{name}}. */
    public void deregister(String name) {
        send("DELETE", servicePath(name), null, null, name);
    }

    /** {@code GET /services/{name}}; empty when not registered. */
    public Optional<ServiceInfo> get(String name) {
        try {
            return Optional.of(
                    serviceInfo(send("GET", servicePath(name), null, null, name).json()));
        } catch (ServiceNotFoundException notThere) {
            return Optional.empty();
        }
    }

    /** {@code GET /services}: every record. */
    public ServiceList list() {
        return list(ListQuery.all());
    }

    /** {@code GET /services} with filters, optionally as a blocking query. */
    public ServiceList list(ListQuery query) {
        StringJoiner params = new StringJoiner("&", "?", "").setEmptyValue("");
        if (query.status() != null) params.add("status=" + encode(query.status()));
        if (query.healthy() != null) params.add("healthy=" + query.healthy());
        if (query.index() != null) params.add("index=" + query.index());
        if (query.maxWait() != null) params.add("wait=" + query.maxWait().toMillis() + "ms");
        Duration extra = query.index() == null
                ? Duration.ZERO
                : (query.maxWait() == null ? Duration.ofMinutes(5) : query.maxWait()).plusSeconds(30);
        Reply reply = send("GET", "/services" + params, null, extra, null);
        JsonNode body = reply.json();
        List<ServiceInfo> services = new ArrayList<>();
        body.get("services").forEach(s -> services.add(serviceInfo(s)));
        return new ServiceList(
                services, body.get("total").asInt(), body.path("timestamp").asText(null), reply.index());
    }

    /** {@code GET /stats}. */
    public RegistryStats stats() {
        JsonNode s = send("GET", "/stats", null, null, null).json();
        return new RegistryStats(
                s.get("total_services").asInt(),
                s.get("healthy_services").asInt(),
                s.get("unhealthy_services").asInt(),
                counts(s.get("status_distribution")),
                counts(s.get("host_distribution")),
                s.get("uptime").asDouble(),
                s.get("timestamp").asText());
    }

    /** {@code GET /services/{name}/history}: the lifecycle, oldest first (heartbeats counted). */
    public List<HistoryItem> history(String name) {
        JsonNode body = send("GET", servicePath(name) + "/history?limit=10000", null, null, name)
                .json();
        List<HistoryItem> items = new ArrayList<>();
        for (JsonNode e : body.get("history")) {
            ObjectNode fields = e.deepCopy();
            fields.remove(List.of("index", "time", "type", "cause", "heartbeats_before"));
            items.add(new HistoryItem(
                    e.get("index").asLong(),
                    Instant.parse(e.get("time").asText()),
                    e.get("type").asText(),
                    e.get("cause").asText(),
                    fields,
                    e.path("heartbeats_before").asLong(-1)));
        }
        return items;
    }

    /**
     * Opens {@code GET /events/stream} after {@code afterIndex} (or at the end when null). Read it
     * with {@link EventStreamConnection#forEach}; close it from any thread.
     */
    public EventStreamConnection openEventStream(Long afterIndex) {
        return onSomeNode((base, staleIsFine) -> {
            HttpRequest.Builder request =
                    authorized(HttpRequest.newBuilder(base.resolve(base.getPath() + "/events/stream"))
                            .timeout(requestTimeout)
                            .GET());
            if (afterIndex != null) {
                request.header("Last-Event-ID", Long.toString(afterIndex));
            }
            try {
                HttpResponse<InputStream> response =
                        http.send(request.build(), HttpResponse.BodyHandlers.ofInputStream());
                if (response.statusCode() != 200) {
                    String text = new String(response.body().readAllBytes(), StandardCharsets.UTF_8);
                    throw failure(response.statusCode(), text, null);
                }
                if (isStale(response) && !staleIsFine) {
                    response.body().close();
                    throw new StaleNodeException(base);
                }
                return new EventStreamConnection(response.body());
            } catch (IOException ex) {
                throw new RegistryUnavailableException("registry at " + base + " unreachable: " + ex, ex);
            } catch (InterruptedException ex) {
                Thread.currentThread().interrupt();
                throw new RegistryUnavailableException("interrupted", ex);
            }
        });
    }

    /** An open event stream. */
    public static final class EventStreamConnection implements AutoCloseable {
        private final InputStream body;

        EventStreamConnection(InputStream body) {
            this.body = body;
        }

        /** One event: log index, type and the event as JSON. */
        public record StreamEvent(long index, String type, JsonNode data) {}

        /** Calls {@code handler} for each event until the stream ends or is closed. */
        public void forEach(java.util.function.Consumer<StreamEvent> handler) {
            try (BufferedReader in = new BufferedReader(new InputStreamReader(body, StandardCharsets.UTF_8))) {
                long id = -1;
                String type = null;
                StringBuilder data = new StringBuilder();
                for (String line = in.readLine(); line != null; line = in.readLine()) {
                    if (line.isEmpty()) {
                        if (id >= 0) {
                            handler.accept(new StreamEvent(id, type, JSON.readTree(data.toString())));
                        }
                        id = -1;
                        type = null;
                        data.setLength(0);
                    } else if (line.startsWith("id:")) {
                        id = Long.parseLong(line.substring(3).trim());
                    } else if (line.startsWith("event:")) {
                        type = line.substring(6).trim();
                    } else if (line.startsWith("data:")) {
                        data.append(line.substring(5).trim());
                    }
                }
            } catch (IOException ex) {
                throw new RegistryUnavailableException("event stream ended: " + ex, ex);
            }
        }

        @Override
        public void close() {
            try {
                body.close();
            } catch (IOException ignored) {
                // closing anyway
            }
        }
    }

    private record Reply(int status, String body, long index) {
        JsonNode json() {
            try {
                return JSON.readTree(body);
            } catch (IOException ex) {
                throw new RegistryException(status, "registry answered non-JSON: " + body, ex);
            }
        }
    }

    private Reply send(String method, String path, JsonNode body, Duration extraTimeout, String name) {
        return onSomeNode((base, staleIsFine) -> sendTo(base, method, path, body, extraTimeout, name, staleIsFine));
    }

    private Reply sendTo(
            URI base,
            String method,
            String path,
            JsonNode body,
            Duration extraTimeout,
            String name,
            boolean staleIsFine) {
        HttpRequest.Builder request = authorized(HttpRequest.newBuilder(URI.create(base + path))
                .timeout(extraTimeout == null ? requestTimeout : requestTimeout.plus(extraTimeout)));
        try {
            request.method(
                    method,
                    body == null
                            ? HttpRequest.BodyPublishers.noBody()
                            : HttpRequest.BodyPublishers.ofByteArray(JSON.writeValueAsBytes(body)));
            if (body != null) {
                request.header("Content-Type", "application/json");
            }
            HttpResponse<String> response = http.send(request.build(), HttpResponse.BodyHandlers.ofString());
            int status = response.statusCode();
            if (status == 404 && name != null) {
                throw new ServiceNotFoundException(name, errorText(response.body()));
            }
            if (status >= 400) {
                throw failure(status, response.body(), null);
            }
            if ("GET".equals(method) && isStale(response) && !staleIsFine) {
                throw new StaleNodeException(base);
            }
            long index = response.headers()
                    .firstValue("X-Registry-Index")
                    .map(Long::parseLong)
                    .orElse(-1L);
            return new Reply(status, response.body(), index);
        } catch (IOException ex) {
            throw new RegistryUnavailableException(method + " " + base + path + " failed: " + ex, ex);
        } catch (InterruptedException ex) {
            Thread.currentThread().interrupt();
            throw new RegistryUnavailableException("interrupted", ex);
        }
    }

    /**
     * Runs {@code call} on the current node, and on the next ones in turn while a node does not
     * answer or answers 503 (or, for a read, is stale): the first node that answers becomes the
     * current one. With every node stale, a read takes the stale answer of the first.
     */
    private <T> T onSomeNode(NodeCall<T> call) {
        int start = current.get();
        RegistryException last = null;
        for (int attempt = 0; attempt < bases.size(); attempt++) {
            int at = start + attempt;
            URI base = bases.get(Math.floorMod(at, bases.size()));
            try {
                T result = call.on(base, bases.size() == 1);
                current.compareAndSet(start, at);
                return result;
            } catch (StaleNodeException stale) {
                last = stale;
            } catch (RegistryUnavailableException unavailable) {
                last = unavailable;
            } catch (RegistryException refused) {
                if (refused.status() != 503 || bases.size() == 1) {
                    throw refused;
                }
                last = refused;
            }
        }
        if (last instanceof StaleNodeException) {
            // every node is stale: answer from the one we were on, marked as it is
            return call.on(bases.get(Math.floorMod(start, bases.size())), true);
        }
        throw last;
    }

    /** One request to one node; {@code staleIsFine}: take a stale node's answer rather than try another. */
    @FunctionalInterface
    private interface NodeCall<T> {
        T on(URI base, boolean staleIsFine);
    }

    private static boolean isStale(HttpResponse<?> response) {
        return response.headers()
                .firstValue("X-Registry-Stale")
                .map("true"::equalsIgnoreCase)
                .orElse(false);
    }

    /** A node that answered a read from a state it says may lag; another node may know more. */
    private static final class StaleNodeException extends RegistryException {
        StaleNodeException(URI base) {
            super(200, "registry at " + base + " serves a stale state", null);
        }
    }

    private HttpRequest.Builder authorized(HttpRequest.Builder request) {
        return token == null ? request : request.header("Authorization", "Bearer " + token);
    }

    private static RegistryException failure(int status, String body, Throwable cause) {
        return new RegistryException(status, "registry answered " + status + ": " + errorText(body), cause);
    }

    private static String errorText(String body) {
        try {
            JsonNode n = JSON.readTree(body);
            return n != null && n.has("error") ? n.get("error").asText() : body;
        } catch (IOException ex) {
            return body;
        }
    }

    private static ServiceInfo serviceInfo(JsonNode node) {
        return new ServiceInfo(
                ServiceRecord.fromJson(node), node.path("is_healthy").asBoolean(false));
    }

    private static Map<String, Integer> counts(JsonNode node) {
        Map<String, Integer> out = new LinkedHashMap<>();
        node.properties().forEach(e -> out.put(e.getKey(), e.getValue().asInt()));
        return out;
    }

    private static String servicePath(String name) {
        return "/services/" + encode(name);
    }

    private static String encode(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8).replace("+", "%20");
    }
}
