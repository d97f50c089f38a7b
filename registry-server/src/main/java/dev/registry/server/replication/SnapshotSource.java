package dev.registry.server.replication;

import dev.registry.events.snapshot.SnapshotStore;
import dev.registry.server.http.ApiReplies;
import dev.registry.server.http.BearerToken;
import io.helidon.http.HeaderNames;
import io.helidon.http.Method;
import io.helidon.http.PathMatchers;
import io.helidon.http.Status;
import io.helidon.webserver.http.HttpRules;
import io.helidon.webserver.http.HttpService;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * {@code GET /internal/snapshot}: this node's newest snapshot file, for a node that starts after
 * Kafka deleted the topic's beginning ({@code --bootstrap-from}). A snapshot holds every record
 * with its metadata, so it is served only to a caller with the registry's token, even where
 * reads are open; a node without a token serves none.
 */
final class SnapshotSource implements HttpService {

    static final String PATH = "/internal/snapshot";

    private final SnapshotStore store;
    private final BearerToken token;
    private final boolean tokenConfigured;

    SnapshotSource(SnapshotStore store, String token) {
        this.store = store;
        this.token = new BearerToken(token, true);
        this.tokenConfigured = token != null;
    }

    @Override
    public void routing(HttpRules rules) {
        rules.route(Method.predicate(Method.GET, Method.HEAD), PathMatchers.create(PATH), this::serve);
    }

    private void serve(ServerRequest req, ServerResponse res) throws IOException {
        if (!tokenConfigured) {
            ApiReplies.sendError(
                    req, res, 403, "This node serves snapshots only with --token (they hold every record)");
            return;
        }
        if (!token.accepts(req.headers().first(HeaderNames.AUTHORIZATION))) {
            ApiReplies.sendError(req, res, 401, "Missing or invalid bearer token");
            return;
        }
        List<Path> files = store.files();
        if (files.isEmpty()) {
            ApiReplies.sendError(req, res, 404, "This node has no snapshot yet");
            return;
        }
        Path newest = files.getFirst();
        res.status(Status.OK_200);
        res.header(HeaderNames.CONTENT_TYPE, "application/octet-stream");
        res.header(ApiReplies.REGISTRY_INDEX, Long.toString(SnapshotStore.indexOf(newest)));
        ApiReplies.sendBody(req, res, Files.readAllBytes(newest));
    }
}
