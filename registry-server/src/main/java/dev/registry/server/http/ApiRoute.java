package dev.registry.server.http;

import io.helidon.http.HeaderNames;
import io.helidon.webserver.http.Handler;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.LongSupplier;
import java.util.function.Predicate;

/**
 * The endpoints at one path pattern ({@code /services/{name}/history}), by method, as one Helidon
 * handler. It matches the raw path split before decoding (see {@link RequestPath}), so a name may
 * hold an encoded {@code /}; Helidon's own patterns match the decoded path, where
 * {@code team%2Fmodel} would be two segments. A path it does not match, or a method it does not
 * take, goes on to the next route; {@link Fallback} answers 404 or 405 when none took it.
 */
public final class ApiRoute implements Handler {

    private final List<String> pattern;
    /** By segment, the parameter's name where the pattern has {@code {name}}, else null. */
    private final String[] parameterNames;

    private final String patternText;
    private final List<String> queryGate;
    private final Map<String, ApiHandler> endpoints;
    private final Map<String, Handler> streams;
    private final List<String> allowed;
    private final LongSupplier viewIndex;
    private final HeavyReads heavyReads;
    private final Predicate<ApiRequest> heavy;

    private ApiRoute(Builder b) {
        this.pattern = b.pattern;
        this.parameterNames = b.pattern.stream()
                .map(p -> p.startsWith("{") ? p.substring(1, p.length() - 1) : null)
                .toArray(String[]::new);
        this.patternText = b.patternText;
        this.queryGate = b.queryGate;
        this.endpoints = Map.copyOf(b.endpoints);
        this.streams = Map.copyOf(b.streams);
        this.allowed = List.copyOf(b.methods);
        this.viewIndex = b.viewIndex;
        this.heavyReads = b.heavyReads;
        this.heavy = b.heavy;
    }

    /**
     * A route at {@code pattern}: literal segments and {@code {parameter}} segments.
     *
     * @param viewIndex the log index the view has reached, read before each endpoint runs
     */
    public static Builder at(String pattern, LongSupplier viewIndex) {
        return new Builder(pattern, viewIndex);
    }

    /**
     * A feature's routes as one Helidon route, tried in order: Helidon walks its routes one by one
     * for every request, and each step costs more than matching a pattern here.
     */
    public static Handler all(ApiRoute... routes) {
        List<ApiRoute> inOrder = List.of(routes);
        return (req, res) -> {
            for (ApiRoute route : inOrder) {
                if (route.tryHandle(req, res)) {
                    return;
                }
            }
            res.next();
        };
    }

    @Override
    public void handle(ServerRequest req, ServerResponse res) throws Exception {
        if (!tryHandle(req, res)) {
            res.next();
        }
    }

    /** Answers {@code req} if this route takes it; false leaves it to the next route. */
    private boolean tryHandle(ServerRequest req, ServerResponse res) throws Exception {
        Map<String, String> parameters = match(RequestPath.of(req).segments());
        if (parameters == null || !passesQueryGate(req)) {
            return false;
        }
        RoutePattern.note(patternText);
        String method = req.prologue().method().text();
        String endpointMethod = "HEAD".equals(method) ? "GET" : method;
        Handler stream = streams.get(endpointMethod); // a HEAD too: the stream sends the headers only
        if (stream != null) {
            stream.handle(req, res);
            return true;
        }
        ApiHandler endpoint = endpoints.get(endpointMethod);
        if (endpoint == null) {
            Fallback.allow(req, allowed);
            return false;
        }
        ApiRequest request = new ApiRequest(
                parameters,
                queryOf(req),
                name -> req.headers().first(HeaderNames.create(name)),
                () -> RequestBodies.read(req));
        if (heavyReads != null && "GET".equals(endpointMethod) && heavy.test(request)) {
            // the turn is held until the reply is sent: a streamed one too
            heavyReads.run(() -> answer(req, res, endpoint, request));
        } else {
            answer(req, res, endpoint, request);
        }
        return true;
    }

    private void answer(ServerRequest req, ServerResponse res, ApiHandler endpoint, ApiRequest request) {
        long index = viewIndex.getAsLong();
        ApiReply reply = endpoint.handle(request);
        ApiReplies.send(req, res, reply, index);
    }

    private boolean passesQueryGate(ServerRequest req) {
        if (queryGate.isEmpty()) {
            return true;
        }
        for (String name : queryGate) {
            if (req.query().contains(name)) {
                return true;
            }
        }
        return false;
    }

    /** The path parameters when {@code segments} match, else null. */
    Map<String, String> match(List<String> segments) {
        if (segments.size() != pattern.size()) {
            return null;
        }
        Map<String, String> parameters = Map.of(); // most patterns have one parameter at most
        for (int i = 0; i < parameterNames.length; i++) {
            String s = segments.get(i);
            if (parameterNames[i] != null) {
                if (s.isEmpty()) {
                    return null;
                }
                if (parameters.isEmpty()) {
                    parameters = Map.of(parameterNames[i], s);
                } else {
                    parameters = new HashMap<>(parameters);
                    parameters.put(parameterNames[i], s);
                }
            } else if (!pattern.get(i).equals(s)) {
                return null;
            }
        }
        return parameters;
    }

    private static Map<String, String> queryOf(ServerRequest req) {
        if (req.query().isEmpty()) {
            return Map.of();
        }
        Map<String, String> query = new HashMap<>();
        for (String name : req.query().names()) {
            List<String> values = req.query().all(name);
            query.put(name, values.isEmpty() ? "" : values.getFirst());
        }
        return query;
    }

    /** The endpoints of one path, method by method, in the order an {@code Allow} header lists them. */
    public static final class Builder {
        private final List<String> pattern;
        private final String patternText;
        private final LongSupplier viewIndex;
        private final Map<String, ApiHandler> endpoints = new LinkedHashMap<>();
        private final Map<String, Handler> streams = new LinkedHashMap<>();
        private final List<String> methods = new ArrayList<>();
        private List<String> queryGate = List.of();
        private HeavyReads heavyReads;
        private Predicate<ApiRequest> heavy;

        private Builder(String pattern, LongSupplier viewIndex) {
            this.viewIndex = viewIndex;
            this.pattern = RequestPath.split(pattern);
            this.patternText = pattern;
        }

        /** Only requests with at least one of these query parameters; the rest go on to the next route. */
        public Builder whenQueryHasAny(String... names) {
            this.queryGate = List.of(names);
            return this;
        }

        /** GET requests {@code heavy} accepts (and their HEADs) wait for a turn among {@code reads} (or get a 503). */
        public Builder heavyWhen(HeavyReads reads, Predicate<ApiRequest> heavy) {
            this.heavyReads = reads;
            this.heavy = heavy;
            return this;
        }

        public Builder get(ApiHandler h) {
            return method("GET", h);
        }

        public Builder post(ApiHandler h) {
            return method("POST", h);
        }

        public Builder put(ApiHandler h) {
            return method("PUT", h);
        }

        public Builder delete(ApiHandler h) {
            return method("DELETE", h);
        }

        /** A GET answered by a handler that writes the response itself (a stream). */
        public Builder getStream(Handler h) {
            streams.put("GET", h);
            methods.add("GET");
            return this;
        }

        private Builder method(String method, ApiHandler h) {
            endpoints.put(method, h);
            methods.add(method);
            return this;
        }

        public ApiRoute build() {
            return new ApiRoute(this);
        }
    }
}
