package dev.registry.server.http;

import io.helidon.http.RequestException;
import io.helidon.webserver.http.Filter;
import io.helidon.webserver.http.FilterChain;
import io.helidon.webserver.http.RoutingRequest;
import io.helidon.webserver.http.RoutingResponse;
import io.helidon.webserver.http.ServerRequest;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.OptionalLong;

/**
 * The body limits, as a filter: a declared length over {@code --max-body} is a 413 before any
 * route runs; a body read by an endpoint ({@link ApiRequest#body()}) stops at the limit (chunked
 * bodies declare none) and must arrive within {@code --body-timeout}, or its connection is closed.
 */
public final class RequestBodies implements Filter, AutoCloseable {

    /**
     * The limits of the server whose filter the request on this thread passed: Helidon serves a
     * connection's requests one by one on its thread, and a request's context costs more to build.
     */
    private static final ThreadLocal<RequestBodies> CURRENT = new ThreadLocal<>();

    private final long maxBodyBytes;
    private final BodyDeadline deadline;

    /**
     * @param maxBodyBytes largest request body; larger ones get 413
     * @param bodyTimeout  longest a request body may take to arrive; then the connection is closed
     */
    public RequestBodies(long maxBodyBytes, Duration bodyTimeout) {
        this.maxBodyBytes = maxBodyBytes;
        this.deadline = new BodyDeadline(bodyTimeout);
    }

    @Override
    public void filter(FilterChain chain, RoutingRequest req, RoutingResponse res) {
        OptionalLong declared = req.headers().contentLength();
        if (declared.isPresent() && declared.getAsLong() > maxBodyBytes) {
            ApiReplies.sendError(req, res, 413, tooLarge().getMessage());
            return;
        }
        if (CURRENT.get() != this) { // a set also sweeps the thread's map: only when it changes
            CURRENT.set(this);
        }
        chain.proceed();
    }

    /** The body of {@code req}, read within the limits of the filter it passed. */
    static byte[] read(ServerRequest req) {
        RequestBodies limits = CURRENT.get();
        if (limits == null) {
            throw new IllegalStateException("the request did not pass the body filter");
        }
        return limits.readBody(req);
    }

    private byte[] readBody(ServerRequest req) {
        if (!req.content().hasEntity()) {
            return new byte[0];
        }
        BodyDeadline.Watch watch = deadline.start();
        try (watch;
                InputStream in = req.content().inputStream()) {
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
            String malformed = framingError(cutOff);
            if (malformed != null) {
                // nothing after a broken frame on this connection can be read: 400, then close
                throw ConnectionClose.closing(new ApiException(400, "Request body malformed: " + malformed));
            }
            // Helidon reports a connection closed mid-body this way: the client's doing, not a 500
            throw incomplete(watch, "the connection closed before its end");
        }
    }

    /** What is wrong with the body's framing, where Helidon's refusal of it is behind {@code failure}, else null. */
    private static String framingError(Throwable failure) {
        for (Throwable t = failure; t != null; t = t.getCause()) {
            if (t instanceof NumberFormatException) { // its message holds the client's bytes
                return "invalid chunk size";
            }
            if (t instanceof RequestException refusal) {
                return refusal.getMessage();
            }
        }
        return null;
    }

    private ApiException incomplete(BodyDeadline.Watch watch, String why) {
        if (watch.expired()) {
            // the connection is closed by now; the reply is for the log and for tests in-process
            return new ApiException(
                    408,
                    "Request body not received within " + deadline.timeout().toSeconds() + " s (--body-timeout)");
        }
        return new ApiException(400, "Request body incomplete: " + why);
    }

    private ApiException tooLarge() {
        return new ApiException(413, "Request body too large: the limit is " + maxBodyBytes + " bytes");
    }

    /** Stops the body deadline's timer. */
    @Override
    public void close() {
        deadline.close();
    }
}
