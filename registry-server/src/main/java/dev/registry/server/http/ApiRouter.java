package dev.registry.server.http;

import dev.registry.events.log.DamagedEventException;
import dev.registry.server.audit.AuditEndpoints;
import dev.registry.server.discovery.EventStream;
import dev.registry.server.health.HealthEndpoints;
import dev.registry.server.services.ServiceEndpoints;
import dev.registry.server.stats.StatsEndpoint;
import dev.registry.server.write.WriteFailedException;
import io.helidon.http.HeaderName;
import io.helidon.http.HeaderNames;
import io.helidon.http.Status;
import io.helidon.webserver.http.Handler;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.lang.System.Logger.Level;
import java.time.Duration;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.function.LongSupplier;
import java.util.function.Supplier;

/**
 * Maps requests to the nine endpoints of the contract (and the audit endpoints beside them) and
 * every reply to JSON.
 *
 * <p>It routes on the raw path, split before decoding, so that a name may contain an encoded
 * {@code /}; and it knows which methods each path takes, so that a wrong method is a JSON 405
 * and an unknown path a JSON 404. Errors never escape as HTML or plain text.
 */
public final class ApiRouter implements Handler, AutoCloseable {

    private static final System.Logger LOG = System.getLogger(ApiRouter.class.getName());
    /**
     * The view's log index a read reflects (at least); the {@code index} of a blocking query. Read
     * before the reply is built, unless the endpoint sets it itself (after a blocking wait).
     */
    public static final HeaderName REGISTRY_INDEX = HeaderNames.create("X-Registry-Index");

    private final ServiceEndpoints services;
    private final HealthEndpoints health;
    private final StatsEndpoint stats;
    private final AuditEndpoints audit;
    private final EventStream stream;
    private final LongSupplier viewIndex;
    private final BearerToken token;
    private final long maxBodyBytes;
    private final BodyDeadline bodyDeadline;

    /**
     * @param maxBodyBytes largest request body; larger ones get 413
     * @param bodyTimeout  longest a request body may take to arrive; then the connection is closed
     */
    public ApiRouter(ServiceEndpoints services, HealthEndpoints health, StatsEndpoint stats, AuditEndpoints audit,
                     EventStream stream, LongSupplier viewIndex, BearerToken token, long maxBodyBytes,
                     Duration bodyTimeout) {
        this.bodyDeadline = new BodyDeadline(bodyTimeout);
        this.token = token;
        this.services = services;
        this.health = health;
        this.stats = stats;
        this.audit = audit;
        this.stream = stream;
        this.viewIndex = viewIndex;
        this.maxBodyBytes = maxBodyBytes;
    }

    @Override
    public void handle(ServerRequest req, ServerResponse res) {
        if (token.required(req.prologue().method().text(), req.path().rawPath())
                && !token.accepts(req.headers().first(HeaderNames.AUTHORIZATION))) {
            res.status(Status.UNAUTHORIZED_401);
            res.header(HeaderNames.CONTENT_TYPE, "application/json");
            res.header(HeaderNames.WWW_AUTHENTICATE, "Bearer realm=\"registry\"");
            res.send(ReplyJson.error("Missing or invalid bearer token"));
            return;
        }
        if (EventStream.PATH.equals(req.path().rawPath()) && "GET".equals(req.prologue().method().text())) {
            stream.handle(req, res);
            return;
        }
        long index = viewIndex.getAsLong();
        ApiReply reply;
        try {
            reply = route(req);
        } catch (ApiException ex) {
            reply = ApiReply.of(ex.status(), ReplyJson.error(ex.getMessage(), ex.details()));
        } catch (DamagedEventException ex) {
            reply = DamagedLogReply.of(ex);
        } catch (WriteFailedException ex) {
            LOG.log(Level.WARNING, "write failed: " + ex.getMessage(), ex.getCause());
            reply = ApiReply.of(503, ReplyJson.error("Registry cannot write: " + ex.getMessage()));
        } catch (RuntimeException ex) {
            LOG.log(Level.ERROR, "unexpected failure on " + req.prologue().method().text() + " "
                    + req.path().rawPath(), ex);
            reply = ApiReply.of(500, ReplyJson.error("Internal error"));
        }
        String method = req.prologue().method().text();
        if (reply.status() == 200 && ("GET".equals(method) || "HEAD".equals(method))) {
            String etag = reply.headers().containsKey("ETag") ? reply.headers().get("ETag") : ETags.of(reply.body());
            res.header(HeaderNames.ETAG, etag);
            res.header(REGISTRY_INDEX, reply.headers().getOrDefault(REGISTRY_INDEX.defaultCase(), Long.toString(index)));
            if (req.headers().first(HeaderNames.IF_NONE_MATCH).map(v -> ETags.matches(v, etag)).orElse(false)) {
                res.status(Status.NOT_MODIFIED_304);
                res.send();
                return;
            }
        }
        res.status(Status.create(reply.status()));
        res.header(HeaderNames.CONTENT_TYPE, "application/json");
        reply.headers().forEach((name, value) -> {
            if (!"ETag".equals(name) && !REGISTRY_INDEX.defaultCase().equals(name)) {
                res.header(HeaderNames.create(name), value);
            }
        });
        if (reply.tail() == null) {
            res.send(reply.body());
            return;
        }
        res.header(HeaderNames.CONTENT_LENGTH, Integer.toString(reply.body().length + reply.tail().length));
        try (OutputStream out = res.outputStream()) {
            out.write(reply.body());
            out.write(reply.tail());
        } catch (IOException ex) {
            throw new UncheckedIOException(ex);
        }
    }

    private ApiReply route(ServerRequest req) {
        String method = req.prologue().method().text();
        List<String> path = PathSegments.of(req.path().rawPath());
        ApiRequest request = new ApiRequest(queryOf(req),
                name -> req.headers().first(HeaderNames.create(name)), () -> readBody(req));
        Map<String, Supplier<ApiReply>> methods = endpointsAt(path, request);
        if (methods.isEmpty()) {
            throw new ApiException(404, "Not found: " + req.path().rawPath());
        }
        Supplier<ApiReply> endpoint = methods.get("HEAD".equals(method) ? "GET" : method);
        if (endpoint == null) {
            ApiReply refused = ApiReply.of(405, ReplyJson.error("Method " + method + " not allowed on "
                    + req.path().rawPath()));
            return new ApiReply(405, refused.body(), Map.of("Allow", String.join(", ", methods.keySet())));
        }
        return endpoint.get();
    }

    /** The endpoints at {@code path} by method; empty when no endpoint lives there. */
    private Map<String, Supplier<ApiReply>> endpointsAt(List<String> path, ApiRequest request) {
        Map<String, Supplier<ApiReply>> m = new LinkedHashMap<>();
        String first = path.getFirst();
        if (path.size() == 1) {
            switch (first) {
                case "health" -> m.put("GET", health::registryHealth);
                case "stats" -> m.put("GET", stats::stats);
                case "events" -> m.put("GET", () -> audit.events(request));
                case "diff" -> m.put("GET", () -> audit.diff(request));
                case "services" -> {
                    m.put("GET", () -> services.list(request));
                    m.put("POST", () -> services.register(request));
                }
                default -> { }
            }
            return m;
        }
        if (!"services".equals(first) || path.get(1).isEmpty() || path.size() > 3) {
            return m;
        }
        String name = path.get(1);
        if (path.size() == 2) {
            m.put("GET", () -> services.get(name, request));
            m.put("PUT", () -> services.update(name, request));
            m.put("DELETE", () -> services.deregister(name));
        } else if ("heartbeat".equals(path.get(2))) {
            m.put("POST", () -> services.heartbeat(name, request));
        } else if ("health".equals(path.get(2))) {
            m.put("GET", () -> health.serviceHealth(name));
        } else if ("history".equals(path.get(2))) {
            m.put("GET", () -> audit.history(name, request));
        }
        return m;
    }

    private static Map<String, String> queryOf(ServerRequest req) {
        Map<String, String> query = new HashMap<>();
        for (String name : req.query().names()) {
            List<String> values = req.query().all(name);
            query.put(name, values.isEmpty() ? "" : values.getFirst());
        }
        return query;
    }

    private byte[] readBody(ServerRequest req) {
        OptionalLong declared = req.headers().contentLength();
        if (declared.isPresent() && declared.getAsLong() > maxBodyBytes) {
            throw tooLarge();
        }
        if (!req.content().hasEntity()) {
            return new byte[0];
        }
        BodyDeadline.Watch watch = bodyDeadline.start();
        try (watch; InputStream in = req.content().inputStream()) {
            byte[] body = in.readNBytes((int) Math.min(Integer.MAX_VALUE - 8, maxBodyBytes + 1));
            if (body.length > maxBodyBytes) {
                throw tooLarge();
            }
            return body;
        } catch (IOException | UncheckedIOException ex) {
            throw incomplete(watch, ex.getMessage());
        } catch (ApiException ex) {
            throw ex;
        } catch (RuntimeException cutOff) {
            // Helidon reports a connection closed mid-body this way: the client's doing, not a 500
            throw incomplete(watch, "the connection closed before its end");
        }
    }

    private ApiException incomplete(BodyDeadline.Watch watch, String why) {
        if (watch.expired()) {
            // the connection is closed by now; the reply is for the log and for tests in-process
            return new ApiException(408, "Request body not received within " + bodyDeadline.timeout().toSeconds()
                    + " s (--body-timeout)");
        }
        return new ApiException(400, "Request body incomplete: " + why);
    }

    /** Stops the body deadline's timer. */
    @Override
    public void close() {
        bodyDeadline.close();
    }

    private ApiException tooLarge() {
        return new ApiException(413, "Request body too large: the limit is " + maxBodyBytes + " bytes");
    }
}
