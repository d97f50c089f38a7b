package dev.registry.server.logging;

import io.helidon.webserver.http.Filter;
import io.helidon.webserver.http.FilterChain;
import io.helidon.webserver.http.RoutingRequest;
import io.helidon.webserver.http.RoutingResponse;
import java.lang.System.Logger.Level;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * {@code --access-log}: one line per request, once it is answered: method, path (with its query),
 * status, duration and the bytes of the reply as sent (head and body), on the logger
 * {@code dev.registry.server.access}.
 */
public final class AccessLog implements Filter {

    private static final System.Logger LOG = System.getLogger("dev.registry.server.access");

    @Override
    public void filter(FilterChain chain, RoutingRequest req, RoutingResponse res) {
        long t0 = System.nanoTime();
        // read before routing: a reroute (GET /metrics) changes the request's path
        String method = req.prologue().method().text();
        String query = req.query().rawValue();
        String path = req.prologue().uriPath().rawPath() + (query.isEmpty() ? "" : "?" + query);
        try {
            chain.proceed();
        } finally {
            double millis = (System.nanoTime() - t0) / 1e6;
            int status = res.status().code();
            long bytes = res.bytesWritten();
            Map<String, Object> fields = new LinkedHashMap<>();
            fields.put("method", method);
            fields.put("path", path);
            fields.put("status", status);
            fields.put("duration_ms", Math.round(millis * 1000) / 1000.0);
            fields.put("bytes", bytes);
            fields.put("remote", req.remotePeer().host());
            LOG.log(
                    Level.INFO,
                    "{0}",
                    new LogLine(
                            String.format(
                                    java.util.Locale.ROOT,
                                    "%s %s %d %.3fms %dB %s",
                                    method,
                                    path,
                                    status,
                                    millis,
                                    bytes,
                                    req.remotePeer().host()),
                            fields));
        }
    }
}
