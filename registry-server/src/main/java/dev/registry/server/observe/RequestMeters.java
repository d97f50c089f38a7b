package dev.registry.server.observe;

import dev.registry.server.http.RoutePattern;
import io.helidon.webserver.http.Filter;
import io.helidon.webserver.http.FilterChain;
import io.helidon.webserver.http.RoutingRequest;
import io.helidon.webserver.http.RoutingResponse;
import java.util.Set;

/**
 * Requests by endpoint, method and status with their latency, as a filter: one histogram
 * {@code registry_http_request_duration_seconds} (its {@code _count} is the number of requests).
 * The endpoint is the route's pattern ({@code /services/{name}}), never the raw path, so the series
 * do not grow with the names clients send; a blocking query is its own endpoint
 * ({@code /services?index}), since its wait is not latency.
 */
final class RequestMeters implements Filter {

    private static final Set<String> METHODS = Set.of("GET", "HEAD", "POST", "PUT", "DELETE", "PATCH", "OPTIONS");
    private static final String OBSERVE = "/observe/";

    private final Deferred<ProcessMeters> meters;

    RequestMeters(Deferred<ProcessMeters> meters) {
        this.meters = meters;
    }

    @Override
    public void filter(FilterChain chain, RoutingRequest req, RoutingResponse res) {
        long t0 = System.nanoTime();
        RoutePattern.begin();
        String path = req.prologue().uriPath().rawPath(); // routing changes req.path() as it goes
        try {
            chain.proceed();
        } finally {
            String method = req.prologue().method().text();
            int status = res.status().code();
            String endpoint = endpoint(req, path, status);
            String knownMethod = METHODS.contains(method) ? method : "other";
            long nanos = System.nanoTime() - t0;
            ProcessMeters m = meters.now(); // no lambda per request once the meters are made
            if (m != null) {
                m.request(endpoint, knownMethod, status).record(nanos);
            } else {
                meters.use(late -> late.request(endpoint, knownMethod, status).record(nanos));
            }
        }
    }

    private static String endpoint(RoutingRequest req, String path, int status) {
        String pattern = RoutePattern.current().orElse(null);
        if (pattern != null) {
            return req.query().contains("index") ? pattern + "?index" : pattern;
        }
        if (path.startsWith(OBSERVE) && status != 404) {
            return path; // Helidon's own few endpoints
        }
        return "unmatched";
    }
}
