package dev.registry.bench;

import io.helidon.http.HeaderNames;
import io.helidon.http.Status;
import io.helidon.webserver.WebServer;
import java.nio.charset.StandardCharsets;
import java.time.Instant;

/**
 * Helidon's own floor for the HTTP figures: a Helidon SE server on the same version and socket
 * options as the registry that answers the registry's paths with replies of the same shape, and
 * does nothing else (no log, no view, no filters). {@code tools/bench/floor.sh} runs it and the
 * registry under the same load, one after the other, and prints each figure as a ratio to it.
 */
final class FloorServer {

    private static final byte[] HEALTH =
            "{\"status\":\"healthy\",\"registry\":\"running\",\"registered_services\":1000,\"healthy_services\":1000,\"timestamp\":\"2026-12-01T00:00:00.000000+00:00\"}"
                    .getBytes(StandardCharsets.US_ASCII);
    private static final byte[] RECORD =
            "{\"name\":\"svc-1\",\"host\":\"10.1.0.1\",\"port\":8001,\"hostname\":\"host-1\",\"url\":\"http://10.1.0.1:8001\",\"status\":\"running\",\"timestamp\":\"2026-12-01T00:00:00.000000+00:00\",\"last_heartbeat\":1796083200.0,\"health_status\":\"unknown\",\"metadata\":{\"type\":\"openai-api\",\"models\":[\"m-1\"]},\"is_healthy\":true}"
                    .getBytes(StandardCharsets.US_ASCII);

    private FloorServer() {}

    /** {@code FloorServer PORT}: serves until killed. */
    static void serve(int port) {
        WebServer.builder()
                .host("127.0.0.1")
                .port(port)
                .connectionOptions(o -> o.tcpNoDelay(true))
                // as the registry: no feature found on the class path (Helidon's metrics would
                // add a filter that measures every request, which a floor must not have)
                .featuresDiscoverServices(false)
                .routing(r -> r.get("/health", (req, res) -> json(res, HEALTH))
                        .post("/services/{name}/heartbeat", (req, res) -> {
                            req.content().consume();
                            json(
                                    res,
                                    ("{\"message\":\"Heartbeat received\",\"timestamp\":\"" + Instant.now() + "\"}")
                                            .getBytes(StandardCharsets.US_ASCII));
                        })
                        .post("/services", (req, res) -> {
                            req.content().consume();
                            res.status(Status.CREATED_201);
                            json(res, RECORD);
                        })
                        .get("/services/{name}", (req, res) -> json(res, RECORD))
                        .get("/services", (req, res) -> {
                            res.header(HeaderNames.ETAG, "\"floor\"");
                            json(res, RECORD);
                        }))
                .build()
                .start();
    }

    private static void json(io.helidon.webserver.http.ServerResponse res, byte[] body) {
        res.header(HeaderNames.CONTENT_TYPE, "application/json");
        res.send(body);
    }
}
