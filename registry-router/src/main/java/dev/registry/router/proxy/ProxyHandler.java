package dev.registry.router.proxy;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.registry.router.choice.RequestFacts;
import dev.registry.router.choice.RoutingRules;
import dev.registry.router.membership.Backend;
import dev.registry.router.membership.Membership;
import dev.registry.router.stats.BackendStats;
import dev.registry.router.stats.RouterStats;
import io.helidon.http.Header;
import io.helidon.http.HeaderName;
import io.helidon.http.HeaderNames;
import io.helidon.http.HeaderValues;
import io.helidon.http.Status;
import io.helidon.webserver.CloseConnectionException;
import io.helidon.webserver.http.Handler;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.OptionalLong;
import java.util.Set;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Proxies every request the router does not answer itself to the backend the routing rules pick:
 * path, query, body and headers unchanged (hop-by-hop headers dropped), the reply back unchanged
 * with {@code X-Served-By} added. Replies pass through as they arrive, each read flushed to the
 * client: a streamed reply is never held whole.
 *
 * <p>Failures: a backend that refuses the connection, or closes it before the first byte of a
 * reply, is held out ({@link Ejections}) and the request goes to the next choice (at most two
 * more). Nothing is sent again once a reply has started or the backend timed out, since it may be
 * generating: a timeout before the reply is a 504, a cut in the middle of an event stream ends it
 * with an SSE {@code error} event, a cut in another reply cuts the client's connection too.
 */
public final class ProxyHandler implements Handler, AutoCloseable {

    private static final System.Logger LOG = System.getLogger(ProxyHandler.class.getName());
    private static final ObjectMapper JSON = new ObjectMapper();
    /** The header naming the backend that served a reply. */
    public static final HeaderName SERVED_BY = HeaderNames.create("X-Served-By");
    /** Tries after the first, each on another backend. */
    static final int MAX_RETRIES = 2;
    /** Headers the JDK client sets itself (and refuses to take). */
    private static final Set<String> CLIENT_SETS = Set.of("host", "content-length", "expect");

    private final Membership membership;
    private final Ejections ejections;
    private final RoutingRules rules;
    private final RouterStats stats;
    private final long maxBodyBytes;
    private final Duration timeout;
    private final HttpClient client;
    private final ScheduledThreadPoolExecutor deadlines = new ScheduledThreadPoolExecutor(1, r -> {
        Thread t = new Thread(r, "router-deadlines");
        t.setDaemon(true);
        return t;
    });

    /**
     * @param timeout        longest a backend may take for a whole reply
     * @param connectTimeout longest a connection to a backend may take to open
     */
    public ProxyHandler(
            Membership membership,
            Ejections ejections,
            RoutingRules rules,
            RouterStats stats,
            long maxBodyBytes,
            Duration timeout,
            Duration connectTimeout) {
        this.membership = membership;
        this.ejections = ejections;
        this.rules = rules;
        this.stats = stats;
        this.maxBodyBytes = maxBodyBytes;
        this.timeout = timeout;
        // a reply's deadline is cancelled when it ends: out of the queue at once, not 30 minutes later
        deadlines.setRemoveOnCancelPolicy(true);
        // the client's own work (completing a reply, handing on its bytes) runs on its selector thread:
        // no hop through a thread pool before the request's virtual thread is woken
        this.client = HttpClient.newBuilder()
                .executor(Runnable::run)
                .version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(connectTimeout)
                .followRedirects(HttpClient.Redirect.NEVER)
                .proxy(HttpClient.Builder.NO_PROXY)
                .build();
    }

    /** What one try on one backend came to. */
    private record Outcome(boolean answered, String failure) {
        static final Outcome ANSWERED = new Outcome(true, null);

        static Outcome tryAnother(String failure) {
            return new Outcome(false, failure);
        }
    }

    @Override
    public void handle(ServerRequest req, ServerResponse res) {
        stats.request();
        byte[] body;
        try {
            body = readBody(req);
        } catch (BodyTooLarge ex) {
            error(res, 413, "Request body too large: the limit is " + maxBodyBytes + " bytes (--max-body)");
            return;
        } catch (IOException | RuntimeException ex) {
            error(res, 400, "Request body incomplete: the connection closed before its end");
            return;
        }
        RequestFacts facts = RequestFacts.of(body, name -> req.headers().first(HeaderNames.create(name)));
        List<Backend> set = rules.eligible(membership.view().members(), facts);
        List<Backend> available =
                set.stream().filter(b -> !ejections.isEjected(b.name())).toList();
        if (set.isEmpty()) {
            error(
                    res,
                    503,
                    facts.model() == null
                            ? "No healthy services available"
                            : "No healthy services available for model '" + facts.model() + "'");
            return;
        }
        // all held out: try them anyway rather than refuse
        List<Backend> order = rules.order(available.isEmpty() ? set : available, facts, stats::inFlight);
        String failure = null;
        for (int i = 0; i < Math.min(order.size(), 1 + MAX_RETRIES); i++) {
            if (i > 0) {
                stats.retry();
            }
            Outcome outcome = forward(order.get(i), req, body, res);
            if (outcome.answered()) {
                return;
            }
            failure = outcome.failure();
        }
        error(res, 502, "Bad gateway: " + failure);
    }

    private Outcome forward(Backend backend, ServerRequest req, byte[] body, ServerResponse res) {
        BackendStats s = stats.of(backend.name());
        long started = System.nanoTime();
        s.started();
        boolean failed = true;
        try {
            HttpRequest request;
            try {
                request = backendRequest(backend, req, body);
            } catch (IllegalArgumentException badUrl) {
                return Outcome.tryAnother(backend.name() + ": cannot make a request to " + backend.url()
                        + req.path().rawPath() + ": " + badUrl.getMessage());
            }
            HttpResponse<InputStream> reply;
            try {
                reply = client.send(request, HttpResponse.BodyHandlers.ofInputStream());
            } catch (HttpConnectTimeoutException | ConnectException ex) {
                ejections.failed(backend.name());
                return Outcome.tryAnother(backend.name() + ": cannot connect: " + describe(ex));
            } catch (HttpTimeoutException ex) {
                error(res, 504, "Service timeout");
                return Outcome.ANSWERED;
            } catch (IOException ex) {
                // cut before the first byte of a reply: the backend is gone, or going
                ejections.failed(backend.name());
                return Outcome.tryAnother(backend.name() + ": connection closed before a reply: " + describe(ex));
            }
            ejections.reset(backend.name());
            failed = !relay(backend, reply, res, started);
            return Outcome.ANSWERED;
        } catch (InterruptedException ex) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", ex);
        } finally {
            s.finished((System.nanoTime() - started) / 1000, failed);
        }
    }

    private HttpRequest backendRequest(Backend backend, ServerRequest req, byte[] body) {
        String query = req.query().rawValue();
        URI target = URI.create(backend.url() + req.path().rawPath() + (query.isEmpty() ? "" : "?" + query));
        HttpRequest.Builder b = HttpRequest.newBuilder(target)
                .timeout(timeout)
                .method(
                        req.prologue().method().text(),
                        req.content().hasEntity() || body.length > 0
                                ? HttpRequest.BodyPublishers.ofByteArray(body)
                                : HttpRequest.BodyPublishers.noBody());
        Set<String> drop = HopByHop.names(req.headers().values(HeaderNames.CONNECTION));
        for (Header h : req.headers()) {
            String name = h.name().toLowerCase(Locale.ROOT);
            if (drop.contains(name) || CLIENT_SETS.contains(name)) {
                continue;
            }
            for (String value : h.allValues()) {
                try {
                    b.header(h.name(), value);
                } catch (IllegalArgumentException refused) {
                    // a header the JDK client will not send (it sets it itself)
                }
            }
        }
        return b.build();
    }

    /** Sends the reply on; false when the backend failed before its end. */
    private boolean relay(Backend backend, HttpResponse<InputStream> reply, ServerResponse res, long started) {
        res.status(Status.create(reply.statusCode()));
        Set<String> drop = HopByHop.names(reply.headers().allValues("connection"));
        for (Map.Entry<String, List<String>> h : reply.headers().map().entrySet()) {
            if (!drop.contains(h.getKey().toLowerCase(Locale.ROOT))
                    && !h.getKey().startsWith(":")) {
                res.header(HeaderValues.create(h.getKey(), h.getValue()));
            }
        }
        res.header(SERVED_BY, backend.name());
        boolean eventStream = reply.headers()
                .firstValue("content-type")
                .map(t -> t.toLowerCase(Locale.ROOT).startsWith("text/event-stream"))
                .orElse(false);
        InputStream in = reply.body();
        AtomicBoolean expired = new AtomicBoolean();
        long left = timeout.toNanos() - (System.nanoTime() - started);
        ScheduledFuture<?> deadline = deadlines.schedule(
                () -> {
                    expired.set(true);
                    closeQuietly(in);
                },
                Math.max(1, left),
                TimeUnit.NANOSECONDS);
        OutputStream out = res.outputStream();
        // most replies are small and say so: no 16 KiB buffer to allocate and clear for each
        long length = reply.headers().firstValueAsLong("content-length").orElse(Long.MAX_VALUE);
        byte[] buffer = new byte[(int) Math.max(1, Math.min(16 * 1024, length))];
        try {
            while (true) {
                int n;
                try {
                    n = in.read(buffer);
                } catch (IOException ex) {
                    String why = expired.get() ? "Service timeout" : "the backend failed mid-reply: " + describe(ex);
                    LOG.log(System.Logger.Level.WARNING, backend.name() + ": " + why);
                    if (!eventStream) {
                        // no way to say it in this reply: cut the client's connection, never end it as if whole
                        throw new BackendCut(backend.name() + ": " + why, ex);
                    }
                    out.write(sseError(why, expired.get() ? 504 : 502));
                    out.close();
                    return false;
                }
                if (n < 0) {
                    out.close();
                    return true;
                }
                out.write(buffer, 0, n);
                if (in.available() == 0) {
                    out.flush();
                }
            }
        } catch (BackendCut cut) {
            throw cut;
        } catch (IOException | UncheckedIOException | CloseConnectionException clientGone) {
            return true; // the client left: not the backend's failure (closing the body stops the backend's work)
        } finally {
            deadline.cancel(false);
            closeQuietly(in);
        }
    }

    private static byte[] sseError(String message, int code) {
        var error = JSON.createObjectNode();
        error.putObject("error")
                .put("message", message)
                .put("type", "router_error")
                .put("code", code);
        return ("event: error\ndata: " + error + "\n\n").getBytes(StandardCharsets.UTF_8);
    }

    private byte[] readBody(ServerRequest req) throws IOException {
        OptionalLong declared = req.headers().contentLength();
        if (declared.isPresent() && declared.getAsLong() > maxBodyBytes) {
            throw new BodyTooLarge();
        }
        if (!req.content().hasEntity()) {
            return new byte[0];
        }
        try (InputStream in = req.content().inputStream()) {
            long expected = declared.isPresent() ? declared.getAsLong() : maxBodyBytes + 1;
            byte[] body = in.readNBytes((int) Math.min(Integer.MAX_VALUE - 8, expected));
            if (body.length > maxBodyBytes) {
                throw new BodyTooLarge();
            }
            return body;
        }
    }

    /** A reply cut short that cannot say so: thrown to the web server, which then closes the connection. */
    private static final class BackendCut extends CloseConnectionException {
        BackendCut(String message, IOException cause) {
            super(message, cause);
        }
    }

    private static final class BodyTooLarge extends IOException {
        BodyTooLarge() {
            super("body too large");
        }
    }

    static void error(ServerResponse res, int status, String message) {
        res.status(Status.create(status));
        res.header(HeaderNames.CONTENT_TYPE, "application/json");
        res.send(JSON.createObjectNode().put("error", message).toString().getBytes(StandardCharsets.UTF_8));
    }

    private static String describe(Throwable ex) {
        List<String> parts = new ArrayList<>();
        for (Throwable t = ex; t != null && parts.size() < 3; t = t.getCause()) {
            String m = t.getMessage() == null ? t.getClass().getSimpleName() : t.getMessage();
            if (!parts.contains(m)) {
                parts.add(m);
            }
        }
        return String.join(": ", parts);
    }

    private static void closeQuietly(InputStream in) {
        try {
            in.close();
        } catch (IOException ignored) {
            // already broken
        }
    }

    @Override
    public void close() {
        deadlines.shutdownNow();
    }
}
