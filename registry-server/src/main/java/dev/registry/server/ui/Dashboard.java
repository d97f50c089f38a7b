package dev.registry.server.ui;

import dev.registry.server.http.ApiException;
import dev.registry.server.http.ApiReplies;
import dev.registry.server.http.ApiRoute;
import io.helidon.http.HeaderNames;
import io.helidon.webserver.http.HttpRules;
import io.helidon.webserver.http.HttpService;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * {@code GET /ui}: the dashboard, a page and its script and style, served from the jar (no build
 * step, nothing fetched from elsewhere). The files are read once; only these names are served.
 * The page reads the API like any client ({@code /services}, {@code /events/stream}, history,
 * time travel, {@code /stats}, {@code /observe/metrics}), with the token if the registry needs one.
 */
public final class Dashboard implements HttpService {

    private static final String ROOT = "/dev/registry/server/ui/";
    private static final Map<String, String> TYPES = Map.of(
            "index.html", "text/html; charset=utf-8",
            "app.js", "text/javascript; charset=utf-8",
            "app.css", "text/css; charset=utf-8",
            "favicon.svg", "image/svg+xml");

    private final Map<String, byte[]> files = new LinkedHashMap<>();

    public Dashboard() {
        for (String name : TYPES.keySet()) {
            files.put(name, read(name));
        }
    }

    @Override
    public void routing(HttpRules rules) {
        rules.any(ApiRoute.all(
                ApiRoute.at("/ui", () -> -1)
                        .getStream((req, res) -> send(req, res, "index.html"))
                        .build(),
                ApiRoute.at("/ui/", () -> -1)
                        .getStream((req, res) -> send(req, res, "index.html"))
                        .build(),
                ApiRoute.at("/ui/{file}", () -> -1).getStream(this::file).build()));
    }

    private void file(ServerRequest req, ServerResponse res) {
        String name = req.path().rawPath().substring("/ui/".length());
        if (!files.containsKey(name)) {
            throw new ApiException(404, "Not found: " + req.path().rawPath());
        }
        send(req, res, name);
    }

    private void send(ServerRequest req, ServerResponse res, String name) {
        res.header(HeaderNames.CONTENT_TYPE, TYPES.get(name));
        res.header(HeaderNames.CACHE_CONTROL, "no-cache");
        res.header(HeaderNames.create("X-Content-Type-Options"), "nosniff");
        // the page loads nothing from anywhere else, and no other site may frame it
        res.header(
                HeaderNames.create("Content-Security-Policy"),
                "default-src 'self'; img-src 'self' data:; frame-ancestors 'none'");
        ApiReplies.sendBody(req, res, files.get(name));
    }

    private static byte[] read(String name) {
        try (InputStream in = Dashboard.class.getResourceAsStream(ROOT + name)) {
            if (in == null) {
                throw new IllegalStateException("the dashboard's " + name + " is missing from the jar");
            }
            return in.readAllBytes();
        } catch (IOException ex) {
            throw new UncheckedIOException(ex);
        }
    }
}
