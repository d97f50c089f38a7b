package dev.registry.server.http;

import io.helidon.http.Header;
import io.helidon.http.HeaderName;
import io.helidon.http.HeaderNames;
import io.helidon.http.HeaderValues;
import io.helidon.http.Method;
import io.helidon.http.Status;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;

/**
 * Sends an {@link ApiReply}: JSON, and on a successful read an {@code ETag} and the
 * {@code X-Registry-Index} it reflects, answering {@code 304} when the client's
 * {@code If-None-Match} already names that tag. A {@code HEAD} gets the headers of the
 * {@code GET}, its {@code Content-Length} included, and no body: Helidon 4.5 would send the body.
 */
public final class ApiReplies {

    /**
     * The view's log index a read reflects (at least); the {@code index} of a blocking query. Read
     * before the reply is built, unless the endpoint sets it itself (after a blocking wait).
     */
    public static final HeaderName REGISTRY_INDEX = HeaderNames.create("X-Registry-Index");
    /** {@link #REGISTRY_INDEX} as an endpoint names it among its reply's headers. */
    public static final String REGISTRY_INDEX_NAME = REGISTRY_INDEX.defaultCase();

    private static final String VARY_NAME = HeaderNames.VARY.defaultCase();
    private static final Header JSON = HeaderValues.createCached(HeaderNames.CONTENT_TYPE, "application/json");

    /** Largest piece of a cached body handed to Helidon at once. */
    private static final int SLICE = 64 * 1024;

    private static final System.Logger LOG = System.getLogger(ApiReplies.class.getName());

    private ApiReplies() {}

    /**
     * @param index the view's index read before the endpoint ran: the reply reflects at least it
     */
    public static void send(ServerRequest req, ServerResponse res, ApiReply reply, long index) {
        String method = req.prologue().method().text();
        if (reply.status() == 200 && ("GET".equals(method) || "HEAD".equals(method))) {
            res.header(REGISTRY_INDEX, reply.headers().getOrDefault(REGISTRY_INDEX_NAME, Long.toString(index)));
            if (reply.stream() != null) { // its bytes are not known before they are sent
                send(req, res, reply);
                return;
            }
            String etag = reply.headers().containsKey("ETag") ? reply.headers().get("ETag") : ETags.of(reply.body());
            res.header(HeaderNames.ETAG, etag);
            if (req.headers()
                    .first(HeaderNames.IF_NONE_MATCH)
                    .map(v -> ETags.matches(v, etag))
                    .orElse(false)) {
                res.status(Status.NOT_MODIFIED_304);
                String vary = reply.headers().get(VARY_NAME);
                if (vary != null) { // a cache matches the 304 to what it holds by the same rule as the 200
                    res.header(HeaderNames.VARY, vary);
                }
                res.send();
                return;
            }
        }
        send(req, res, reply);
    }

    /** Sends {@code reply} as it is (errors, and replies that carry no view). */
    public static void send(ServerRequest req, ServerResponse res, ApiReply reply) {
        res.status(reply.status() == 200 ? Status.OK_200 : Status.create(reply.status()));
        res.header(JSON);
        reply.headers().forEach((name, value) -> {
            if (REGISTRY_INDEX_NAME.equals(name)) {
                res.header(REGISTRY_INDEX, value);
            } else if (!"ETag".equals(name)) { // set above for a read; a write's index goes out as it is
                res.header(HeaderNames.create(name), value);
            }
        });
        if (reply.stream() != null) {
            sendStream(req, res, reply.stream());
            return;
        }
        if (reply.tail() == null) {
            sendBody(req, res, reply.body());
            return;
        }
        int length = reply.body().length + reply.tail().length;
        if (isHead(req)) {
            sendHeadOnly(res, length);
            return;
        }
        res.header(HeaderNames.CONTENT_LENGTH, Integer.toString(length));
        try (OutputStream out = res.outputStream()) {
            writeInSlices(out, reply.body());
            out.write(reply.tail());
        } catch (IOException ex) {
            throw new UncheckedIOException(ex);
        }
    }

    /**
     * Helidon copies each write into a buffer of its size: a cached list of 200,000 records in one
     * write is an 80 MB copy per poll, straight into the old generation; slices keep the copies small.
     */
    private static void writeInSlices(OutputStream out, byte[] body) throws IOException {
        for (int offset = 0; offset < body.length; offset += SLICE) {
            out.write(body, offset, Math.min(SLICE, body.length - offset));
        }
    }

    /**
     * Writes {@code body} to the connection as it is encoded (chunked); to a {@code HEAD}, only
     * its length, counted by encoding it into nothing. A client that goes away mid-reply ends it.
     */
    private static void sendStream(ServerRequest req, ServerResponse res, ReplyJson.Body body) {
        if (isHead(req)) {
            sendHeadOnly(res, ReplyJson.length(body));
            return;
        }
        try (OutputStream out = res.outputStream()) {
            ReplyJson.stream(body, out);
        } catch (IOException | UncheckedIOException gone) {
            LOG.log(System.Logger.Level.DEBUG, "client left during a streamed reply: " + gone);
        }
    }

    /** {@code {"error": message}} with {@code status}. */
    public static void sendError(ServerRequest req, ServerResponse res, int status, String message) {
        send(req, res, ApiReply.of(status, ReplyJson.error(message)));
    }

    /** Sends {@code body} with the headers already set; to a {@code HEAD}, only its length. */
    public static void sendBody(ServerRequest req, ServerResponse res, byte[] body) {
        if (isHead(req)) {
            sendHeadOnly(res, body.length);
        } else {
            res.send(body);
        }
    }

    /** Whether {@code req} asks for the headers of a {@code GET} only. */
    public static boolean isHead(ServerRequest req) {
        return Method.HEAD.equals(req.prologue().method());
    }

    private static void sendHeadOnly(ServerResponse res, long length) {
        // with Content-Length set, Helidon sends it as it is and the (empty) body after it
        res.header(HeaderNames.CONTENT_LENGTH, Long.toString(length));
        res.send();
    }
}
