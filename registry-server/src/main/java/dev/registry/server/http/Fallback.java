package dev.registry.server.http;

import io.helidon.common.Weighted;
import io.helidon.webserver.http.Handler;
import io.helidon.webserver.http.HttpFeature;
import io.helidon.webserver.http.HttpRouting;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Optional;

/**
 * The last route: what no route took. A path some route knows, asked with a method none takes,
 * is a JSON 405 with an {@code Allow} header; any other path a JSON 404.
 */
public final class Fallback implements Handler {

    /** The methods the routes that knew the path take, gathered as the request passes them. */
    private record Allowed(LinkedHashSet<String> methods) {}

    /**
     * The fallback as the routing's last feature. Helidon sets features up by weight, the routing
     * given to the web server (weight 100) before its observe feature (80); a fallback among the
     * routing's own routes would answer {@code /observe/metrics} with a 404 before the observers
     * saw it. As a feature of the least weight it comes after every other.
     */
    public static HttpFeature last() {
        return new Last();
    }

    private static final class Last implements HttpFeature, Weighted {
        @Override
        public void setup(HttpRouting.Builder routing) {
            routing.any(new Fallback());
        }

        @Override
        public double weight() {
            return 1;
        }
    }

    /** Notes that a route at this request's path takes {@code methods}. */
    static void allow(ServerRequest req, Collection<String> methods) {
        Optional<Allowed> known = req.context().get(Allowed.class);
        Allowed allowed = known.orElseGet(() -> {
            Allowed fresh = new Allowed(new LinkedHashSet<>());
            req.context().register(fresh);
            return fresh;
        });
        allowed.methods().addAll(methods);
    }

    @Override
    public void handle(ServerRequest req, ServerResponse res) {
        Optional<Allowed> allowed = req.context().get(Allowed.class);
        String rawPath = req.path().rawPath();
        if (allowed.isEmpty()) {
            ApiReplies.sendError(req, res, 404, "Not found: " + rawPath);
            return;
        }
        String method = req.prologue().method().text();
        ApiReplies.send(
                req,
                res,
                new ApiReply(
                        405,
                        ReplyJson.error("Method " + method + " not allowed on " + rawPath),
                        Map.of("Allow", String.join(", ", allowed.get().methods()))));
    }
}
