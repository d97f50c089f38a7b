package dev.registry.server.http;

import io.helidon.webserver.http.ServerRequest;
import java.util.Optional;

/**
 * The pattern of the route that took a request ({@code /services/{name}}), noted in the request's
 * context for metrics and logs, whose labels must not grow with every name a client sends.
 */
public record RoutePattern(String pattern) {

    /** Notes that the route at {@code pattern} takes {@code req}. */
    public static void note(ServerRequest req, String pattern) {
        req.context().register(new RoutePattern(pattern));
    }

    /** The pattern of the route that took {@code req}, if one of ours did. */
    public static Optional<String> of(ServerRequest req) {
        return req.context().get(RoutePattern.class).map(RoutePattern::pattern);
    }
}
