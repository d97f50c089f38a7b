package dev.registry.router.proxy;

import static org.awaitility.Awaitility.await;
import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.endsWith;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.nullValue;
import static org.hamcrest.Matchers.startsWith;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.fasterxml.jackson.databind.JsonNode;
import dev.registry.router.RouterServer;
import dev.registry.router.RouterSettings;
import dev.registry.router.testing.RouterFixture;
import dev.registry.router.testing.RouterTestBase;
import dev.registry.router.testing.ScriptedBackend;
import dev.registry.server.testing.Http;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.Test;

/** The proxy over real HTTP: pass-through, limits, timeouts, retries and streaming. */
class ProxyTest extends RouterTestBase {

    private static final HttpClient CLIENT =
            HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

    @Test
    void passesRequestsAndRepliesUnchangedButForHopByHopHeadersAndAddsServedBy() throws Exception {
        ScriptedBackend backend = backend((request, reply) -> reply.json(
                201,
                "{\"echo\":" + request.bodyText() + "}",
                "Connection: X-Internal",
                "X-Internal: secret",
                "Keep-Alive: timeout=5",
                "X-Kept: yes"));
        RouterServer router =
                router("[" + RouterFixture.entry("b1", backend.port(), "{\"models\":[\"m\"]}") + "]", s -> s);
        String body = "{\"model\":\"m\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}";
        String reply;
        try (Socket socket = new Socket("127.0.0.1", router.port())) {
            socket.setSoTimeout(10_000);
            socket.getOutputStream()
                    .write(("POST /v1/chat/completions?x=1&path=%2Fa%20b HTTP/1.1\r\nHost: router\r\n"
                                    + "Connection: keep-alive, X-Drop-Me\r\nX-Drop-Me: 1\r\nKeep-Alive: 300\r\nProxy-Authorization: Basic eDp5\r\n"
                                    + "TE: trailers\r\nAuthorization: Bearer abc\r\nX-Request-Id: r-1\r\nContent-Type: application/json\r\n"
                                    + "Content-Length: " + body.length() + "\r\n\r\n" + body)
                            .getBytes(StandardCharsets.ISO_8859_1));
            InputStream in = socket.getInputStream();
            String head = readUntil(in, "\r\n\r\n");
            int length = Integer.parseInt(head.toLowerCase()
                    .split("content-length: ")[1]
                    .split("\r\n")[0]
                    .trim());
            reply = head + new String(in.readNBytes(length), StandardCharsets.UTF_8);
        }
        ScriptedBackend.Request got = backend.requests().getFirst();
        assertThat(got.method(), is("POST"));
        assertThat(got.target(), is("/v1/chat/completions?x=1&path=%2Fa%20b"));
        assertThat(got.bodyText(), is(body));
        assertThat(got.header("Authorization"), is("Bearer abc"));
        assertThat(got.header("X-Request-Id"), is("r-1"));
        assertThat(got.header("Content-Type"), is("application/json"));
        for (String hop :
                List.of("X-Drop-Me", "Keep-Alive", "Proxy-Authorization", "TE", "Transfer-Encoding", "Upgrade")) {
            assertThat(hop, got.header(hop), nullValue());
        }
        assertThat(reply, startsWith("HTTP/1.1 201"));
        String head = reply.substring(0, reply.indexOf("\r\n\r\n")).toLowerCase();
        assertThat(head, containsString("x-served-by: b1"));
        assertThat(head, containsString("x-kept: yes"));
        assertThat(head, not(containsString("x-internal")));
        assertThat(head, not(containsString("keep-alive: timeout")));
        assertThat(reply, endsWith("{\"echo\":" + body + "}"));
    }

    @Test
    void aBodyOverMaxBodyIs413AndReachesNoBackend() throws Exception {
        ScriptedBackend backend = backend((request, reply) -> reply.json(200, "{}"));
        RouterServer router = router(
                "[" + RouterFixture.entry("b1", backend.port(), "{\"models\":[\"m\"]}") + "]",
                s -> s.withLimits(RouterSettings.DEFAULT_SIZE_THRESHOLD, 1024));
        byte[] big = ("{\"model\":\"m\",\"prompt\":\"" + "x".repeat(2000) + "\"}").getBytes(StandardCharsets.UTF_8);
        HttpResponse<String> declared = send(
                router,
                HttpRequest.newBuilder(uri(router, "/v1/completions"))
                        .POST(HttpRequest.BodyPublishers.ofByteArray(big)));
        assertThat(declared.statusCode(), is(413));
        assertThat(declared.body(), containsString("limit is 1024 bytes"));
        HttpResponse<String> chunked = send(
                router,
                HttpRequest.newBuilder(uri(router, "/v1/completions"))
                        .POST(HttpRequest.BodyPublishers.ofInputStream(() -> new ByteArrayInputStream(big))));
        assertThat(chunked.statusCode(), is(413));
        assertThat(backend.requests().size(), is(0));
        assertThat(
                send(
                                router,
                                HttpRequest.newBuilder(uri(router, "/v1/completions"))
                                        .POST(HttpRequest.BodyPublishers.ofString("{\"model\":\"m\"}")))
                        .statusCode(),
                is(200));
    }

    @Test
    void aBackendTimeoutIs504AndIsNeverRetried() throws Exception {
        CountDownLatch never = new CountDownLatch(1);
        closeAfter(never::countDown);
        ScriptedBackend.Script stall = (request, reply) -> never.await(30, TimeUnit.SECONDS);
        ScriptedBackend a = backend(stall);
        ScriptedBackend b = backend(stall);
        RouterServer router = router(
                "[" + RouterFixture.entry("a", a.port(), "{}") + "," + RouterFixture.entry("b", b.port(), "{}") + "]",
                s -> s.withTimeouts(Duration.ofMillis(500), Duration.ofSeconds(5)));
        HttpResponse<String> reply = send(
                router,
                HttpRequest.newBuilder(uri(router, "/v1/chat/completions"))
                        .POST(HttpRequest.BodyPublishers.ofString("{\"messages\":[]}")));
        assertThat(reply.statusCode(), is(504));
        assertThat(reply.body(), is("{\"error\":\"Service timeout\"}"));
        // the backends note a request once they have read it, which may be after the router gave up
        await().atMost(Duration.ofSeconds(30))
                .until(() -> a.requests().size() + b.requests().size() >= 1);
        await().during(Duration.ofMillis(500))
                .until(() -> a.requests().size() + b.requests().size() == 1);
    }

    @Test
    void aRefusedConnectionIsRetriedElsewhereAndTheBackendHeldOut() throws Exception {
        ScriptedBackend live = backend((request, reply) -> reply.json(200, "{\"ok\":true}"));
        int dead = RouterFixture.closedPort();
        RouterServer router = router(
                "[" + RouterFixture.entry("dead", dead, "{}") + "," + RouterFixture.entry("live", live.port(), "{}")
                        + "]",
                s -> s);
        for (int i = 0; i < 10; i++) {
            HttpResponse<String> reply = send(
                    router,
                    HttpRequest.newBuilder(uri(router, "/v1/chat/completions"))
                            .POST(HttpRequest.BodyPublishers.ofString("{}")));
            assertThat(reply.statusCode(), is(200));
            assertThat(reply.headers().firstValue("X-Served-By").orElseThrow(), is("live"));
        }
        JsonNode services = new Http(router.port()).get("/services").json();
        JsonNode deadStats = services.get("services").get(0);
        assertThat(deadStats.get("name").asText(), is("dead"));
        assertThat(deadStats.get("errors").asInt(), is(1)); // tried once, then held out
        assertThat(deadStats.get("ejected").asBoolean(), is(true));
        assertThat(deadStats.get("healthy").asBoolean(), is(false));
        assertThat(services.get("services").get(1).get("requests").asInt(), is(10));
        assertThat(services.get("requests").asInt(), is(10)); // counted once each, retried or not
        assertThat(services.get("retries").asInt(), is(1));
    }

    @Test
    void whenNoBackendCanBeReachedThreeAreTriedThen502() throws Exception {
        String entries = "[" + RouterFixture.entry("d1", RouterFixture.closedPort(), "{}") + ","
                + RouterFixture.entry("d2", RouterFixture.closedPort(), "{}") + ","
                + RouterFixture.entry("d3", RouterFixture.closedPort(), "{}") + ","
                + RouterFixture.entry("d4", RouterFixture.closedPort(), "{}") + "]";
        RouterServer router = router(entries, s -> s);
        HttpResponse<String> reply =
                send(router, HttpRequest.newBuilder(uri(router, "/v1/models/x")).GET());
        assertThat(reply.statusCode(), is(502));
        assertThat(reply.body(), containsString("Bad gateway"));
        assertThat(
                new Http(router.port()).get("/services").json().get("retries").asInt(), is(2));
    }

    @Test
    void aReplyCutAfterItStartedIsNotRetriedAndTheClientSeesTheCut() throws Exception {
        ScriptedBackend.Script cutting = (request, reply) -> {
            reply.raw("HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: 100\r\n\r\n{\"partial\":");
            reply.cut();
        };
        ScriptedBackend a = backend(cutting);
        ScriptedBackend b = backend(cutting);
        RouterServer router = router(
                "[" + RouterFixture.entry("a", a.port(), "{}") + "," + RouterFixture.entry("b", b.port(), "{}") + "]",
                s -> s);
        assertThrows(
                IOException.class,
                () -> CLIENT.send(
                        HttpRequest.newBuilder(uri(router, "/v1/chat/completions"))
                                .POST(HttpRequest.BodyPublishers.ofString("{}"))
                                .build(),
                        HttpResponse.BodyHandlers.ofString()));
        assertThat(a.requests().size() + b.requests().size(), is(1));
    }

    @Test
    void aStreamPassesChunkByChunkBeforeTheBackendFinishes() throws Exception {
        CountDownLatch firstRead = new CountDownLatch(1);
        CountDownLatch backendDone = new CountDownLatch(1);
        ScriptedBackend backend = backend((request, reply) -> {
            reply.startChunked(200, "text/event-stream");
            reply.chunk("data: {\"n\":1}\n\n");
            firstRead.await(30, TimeUnit.SECONDS); // held until the client has the first chunk
            reply.chunk("data: {\"n\":2}\n\n");
            reply.chunk("data: [DONE]\n\n");
            reply.endChunks();
            backendDone.countDown();
        });
        RouterServer router = router("[" + RouterFixture.entry("s", backend.port(), "{}") + "]", s -> s);
        HttpResponse<InputStream> reply = CLIENT.send(
                HttpRequest.newBuilder(uri(router, "/v1/chat/completions"))
                        .POST(HttpRequest.BodyPublishers.ofString("{\"stream\":true}"))
                        .build(),
                HttpResponse.BodyHandlers.ofInputStream());
        assertThat(reply.headers().firstValue("content-type").orElseThrow(), is("text/event-stream"));
        try (InputStream in = reply.body()) {
            String first = readUntil(in, "\n\n");
            assertThat(first, is("data: {\"n\":1}\n\n"));
            assertThat(backendDone.getCount(), is(1L)); // the backend has not finished: nothing was held back
            firstRead.countDown();
            assertThat(
                    new String(in.readAllBytes(), StandardCharsets.UTF_8), is("data: {\"n\":2}\n\ndata: [DONE]\n\n"));
        }
    }

    @Test
    void aStreamCutMidwayEndsWithAnSseErrorEvent() throws Exception {
        ScriptedBackend backend = backend((request, reply) -> {
            reply.startChunked(200, "text/event-stream");
            reply.chunk("data: {\"n\":1}\n\n");
            reply.cut();
        });
        RouterServer router = router("[" + RouterFixture.entry("s", backend.port(), "{}") + "]", s -> s);
        HttpResponse<String> reply = send(
                router,
                HttpRequest.newBuilder(uri(router, "/v1/chat/completions"))
                        .POST(HttpRequest.BodyPublishers.ofString("{\"stream\":true}")));
        assertThat(reply.statusCode(), is(200));
        assertThat(reply.body(), startsWith("data: {\"n\":1}\n\nevent: error\ndata: {\"error\":{"));
        assertThat(reply.body(), endsWith("}\n\n"));
        assertThat(backend.requests().size(), is(1));
    }

    @Test
    void unparsableBodiesGoWithoutAModelFilterAndAnUnknownModelIs503() throws Exception {
        ScriptedBackend backend = backend((request, reply) -> reply.json(200, "{\"ok\":true}"));
        RouterServer router =
                router("[" + RouterFixture.entry("b", backend.port(), "{\"models\":[\"m\"]}") + "]", s -> s);
        assertThat(
                send(
                                router,
                                HttpRequest.newBuilder(uri(router, "/v1/chat/completions"))
                                        .POST(HttpRequest.BodyPublishers.ofString("{not json")))
                        .statusCode(),
                is(200));
        assertThat(backend.requests().getFirst().bodyText(), is("{not json"));
        HttpResponse<String> unknown = send(
                router,
                HttpRequest.newBuilder(uri(router, "/v1/chat/completions"))
                        .POST(HttpRequest.BodyPublishers.ofString("{\"model\":\"ghost\"}")));
        assertThat(unknown.statusCode(), is(503));
        assertThat(unknown.body(), is("{\"error\":\"No healthy services available for model 'ghost'\"}"));
    }

    @Test
    void theSizePicksTheCacheTypeAndTheKeyABackendWithinItTheSameOnTwoRouters() throws Exception {
        List<String> entries = new ArrayList<>();
        for (String name : List.of("static-1", "static-2", "paged-1", "paged-2")) {
            ScriptedBackend b = backend((request, reply) -> reply.json(200, "{}"));
            entries.add(RouterFixture.entry(
                    name, b.port(), "{\"models\":[\"m\"],\"cache_type\":\"" + name.split("-")[0] + "\"}"));
        }
        String all = "[" + String.join(",", entries) + "]";
        UnaryOperator<RouterSettings> threshold = s -> s.withLimits(100, RouterSettings.DEFAULT_MAX_BODY);
        RouterServer first = router(all, threshold);
        RouterServer second = router(all, threshold);
        String small = "{\"model\":\"m\",\"messages\":[{\"role\":\"user\",\"content\":\"" + "s".repeat(100) + "\"}]";
        String large = "{\"model\":\"m\",\"messages\":[{\"role\":\"user\",\"content\":\"" + "l".repeat(101) + "\"}]";
        java.util.Set<String> used = new java.util.HashSet<>();
        for (int k = 0; k < 40; k++) {
            String key = ",\"prompt_cache_key\":\"user-" + k + "\"}";
            String viaFirst = servedBy(first, large + key);
            assertThat(viaFirst, startsWith("static-"));
            assertThat(servedBy(second, large + key), is(viaFirst));
            assertThat(servedBy(first, large + key), is(viaFirst));
            used.add(viaFirst);
            assertThat(servedBy(first, small + key), startsWith("paged-"));
        }
        assertThat(used, is(java.util.Set.of("static-1", "static-2")));
    }

    private static String servedBy(RouterServer router, String body) throws Exception {
        HttpResponse<String> r = send(
                router,
                HttpRequest.newBuilder(uri(router, "/v1/chat/completions"))
                        .POST(HttpRequest.BodyPublishers.ofString(body)));
        assertThat(r.body(), r.statusCode(), is(200));
        return r.headers().firstValue("X-Served-By").orElseThrow();
    }

    private RouterServer router(String entries, UnaryOperator<RouterSettings> customize) {
        return router(entries, List.of(RouterFixture.nowhere()), customize);
    }

    private static URI uri(RouterServer router, String path) {
        return URI.create("http://127.0.0.1:" + router.port() + path);
    }

    private static HttpResponse<String> send(RouterServer router, HttpRequest.Builder request) throws Exception {
        return CLIENT.send(request.timeout(Duration.ofSeconds(30)).build(), HttpResponse.BodyHandlers.ofString());
    }

    private static String readUntil(InputStream in, String end) throws IOException {
        StringBuilder b = new StringBuilder();
        while (!b.toString().endsWith(end)) {
            int c = in.read();
            if (c < 0) {
                break;
            }
            b.append((char) c);
        }
        return b.toString();
    }
}
