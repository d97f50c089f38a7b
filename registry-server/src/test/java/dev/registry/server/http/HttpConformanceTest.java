package dev.registry.server.http;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.anyOf;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalToIgnoringCase;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.lessThan;
import static org.hamcrest.Matchers.notNullValue;
import static org.hamcrest.Matchers.nullValue;
import static org.hamcrest.Matchers.startsWith;

import dev.registry.server.testing.Http;
import dev.registry.server.testing.RawHttp;
import dev.registry.server.testing.RegistryTestBase;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * HTTP itself, over raw sockets where a client library would hide the fault: a HEAD reply with
 * the GET's headers and no body, HTTP/1.0, methods in the wrong case, broken chunked bodies, and
 * {@code Connection: close} closing the connection after the reply.
 */
class HttpConformanceTest extends RegistryTestBase {

    private static final String HOST = "Host: localhost\r\n";

    @Test
    void headGetsTheHeadersOfTheGetAndNoBodyOnEveryEndpoint() {
        register("alpha");
        // path -> whether the GET's body has the same length each time (uptime in /stats does not)
        Map<String, Boolean> paths = new LinkedHashMap<>();
        paths.put("/health", true);
        paths.put("/services", true);
        paths.put("/services?status=running&healthy=true", true);
        paths.put("/services/alpha", true);
        paths.put("/services/alpha/history", true);
        paths.put("/services/alpha/heartbeat", false); // 405 (POST only), naming the method asked
        paths.put("/services/ghost", true); // 404
        paths.put("/nowhere", true); // 404
        paths.put("/events?from=0", true);
        paths.put("/services?at_index=1", true);
        paths.put("/stats", false);
        paths.put("/ui", true);
        paths.put("/ui/app.js", true);
        paths.put("/ui/missing.js", true); // 404
        try (RawHttp connection = new RawHttp(registry.server().port())) {
            paths.forEach((path, fixedLength) -> {
                RawHttp.Reply get = connection
                        .send("GET " + path + " HTTP/1.1\r\n" + HOST + "\r\n")
                        .reply();
                RawHttp.Reply head = connection
                        .send("HEAD " + path + " HTTP/1.1\r\n" + HOST + "\r\n")
                        .replyToHead();
                assertThat(path, head.status(), is(get.status()));
                assertThat(path, head.header("content-type"), is(get.header("content-type")));
                assertThat(path, head.header("etag") == null, is(get.header("etag") == null));
                if (path.equals("/services/alpha")) { // the others hold the time of the reply
                    assertThat(path, head.header("etag"), is(get.header("etag")));
                }
                assertThat(path, head.header("allow"), is(get.header("allow")));
                assertThat(path, head.header("content-length"), notNullValue());
                if (fixedLength) {
                    assertThat(path, Integer.parseInt(head.header("content-length")), is(get.body().length));
                }
            });
            // Had any HEAD reply carried a body, this reply would start inside it.
            RawHttp.Reply after =
                    connection.send("GET /health HTTP/1.1\r\n" + HOST + "\r\n").reply();
            assertThat(after.statusLine(), startsWith("HTTP/1.1 200"));
        }
    }

    @Test
    void headOnTheEventStreamAndTheObserversGetsNoBody() {
        try (RawHttp connection = new RawHttp(registry.server().port())) {
            RawHttp.Reply stream = connection
                    .send("HEAD /events/stream HTTP/1.1\r\n" + HOST + "\r\n")
                    .replyToHead();
            assertThat(stream.status(), is(200));
            assertThat(stream.header("content-type"), is("text/event-stream"));
            for (String path : new String[] {"/observe/health", "/observe/metrics", "/metrics"}) {
                RawHttp.Reply head = connection
                        .send("HEAD " + path + " HTTP/1.1\r\n" + HOST + "\r\n")
                        .replyToHead();
                assertThat(path, head.status(), lessThan(500));
            }
            RawHttp.Reply after =
                    connection.send("GET /health HTTP/1.1\r\n" + HOST + "\r\n").reply();
            assertThat(after.statusLine(), startsWith("HTTP/1.1 200"));
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "Connection: keep-alive\r\n"})
    void http10IsRefusedWithA426NeverA5xxAndTheConnectionClosed(String connectionHeader) {
        try (RawHttp connection = new RawHttp(registry.server().port())) {
            RawHttp.Reply reply = connection
                    .send("GET /health HTTP/1.0\r\n" + connectionHeader + "\r\n")
                    .reply();
            assertThat(reply.status(), is(426));
            assertThat(reply.header("upgrade"), is("HTTP/1.1"));
            assertThat(reply.header("content-type"), is("application/json"));
            assertThat(reply.text(), containsString("use HTTP/1.1"));
            assertThat(connection.closedByServer(), is(true));
        }
    }

    @Test
    void aHeadInHttp10GetsTheRefusalWithoutABody() {
        try (RawHttp connection = new RawHttp(registry.server().port())) {
            RawHttp.Reply reply =
                    connection.send("HEAD /health HTTP/1.0\r\n\r\n").replyToHead();
            assertThat(reply.status(), is(426));
            assertThat(connection.closedByServer(), is(true));
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"get /health", "Get /services", "post /services", "hEAD /health", "delete /services/alpha"})
    void methodsAreCaseSensitive(String requestLine) {
        register("alpha");
        int before = logSize();
        try (RawHttp connection = new RawHttp(registry.server().port())) {
            // the first request on the connection is fine; the check is per request
            assertThat(
                    connection
                            .send("GET /health HTTP/1.1\r\n" + HOST + "\r\n")
                            .reply()
                            .status(),
                    is(200));
            String body = Http.registration("beta", 8000, null);
            RawHttp.Reply reply = connection
                    .send(requestLine + " HTTP/1.1\r\n" + HOST + "Content-Length: " + body.length() + "\r\n\r\n" + body)
                    .reply();
            assertThat(reply.status(), is(501));
            assertThat(reply.header("content-type"), is("application/json"));
            assertThat(reply.text(), containsString("case-sensitive"));
            assertThat(connection.closedByServer(), is(true));
        }
        assertThat("nothing was applied", logSize(), is(before));
        assertThat(http.get("/services/alpha").status(), is(200));
    }

    @Test
    void unknownMethodsAre405OnAKnownPathAnd404Elsewhere() {
        try (RawHttp connection = new RawHttp(registry.server().port())) {
            RawHttp.Reply known =
                    connection.send("BREW /health HTTP/1.1\r\n" + HOST + "\r\n").reply();
            assertThat(known.status(), is(405));
            assertThat(known.header("allow"), is("GET"));
            RawHttp.Reply unknown =
                    connection.send("BREW /teapot HTTP/1.1\r\n" + HOST + "\r\n").reply();
            assertThat(unknown.status(), is(404));
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"zz", "-1", "1x", "FFFFFFFFFFFFFFFFFF", ""})
    void aBadChunkSizeIs400ThenTheConnectionCloses(String size) {
        register("alpha");
        int before = logSize();
        for (String path : new String[] {"/services", "/services/alpha/heartbeat", "/services/alpha"}) {
            String method = path.equals("/services/alpha") ? "PUT" : "POST";
            try (RawHttp connection = new RawHttp(registry.server().port())) {
                RawHttp.Reply reply = connection
                        .send(method + " " + path + " HTTP/1.1\r\n" + HOST + "Transfer-Encoding: chunked\r\n\r\n" + size
                                + "\r\n{\"status\":\"down\"}\r\n0\r\n\r\n")
                        .reply();
                assertThat(method + " " + path + ": " + reply.text(), reply.status(), is(400));
                assertThat(reply.header("content-type"), is("application/json"));
                assertThat(reply.text(), reply.header("connection"), equalToIgnoringCase("close"));
                assertThat(connection.closedByServer(), is(true));
            }
        }
        // an endpoint that reads no body answers, and Helidon closes when it cannot skip the body
        try (RawHttp connection = new RawHttp(registry.server().port())) {
            RawHttp.Reply reply = connection
                    .send("GET /health HTTP/1.1\r\n" + HOST + "Transfer-Encoding: chunked\r\n\r\n" + size
                            + "\r\n{}\r\n0\r\n\r\n")
                    .reply();
            assertThat(reply.status(), lessThan(500));
            assertThat(connection.closedByServer(), is(true));
        }
        assertThat("nothing was applied", logSize(), is(before));
        assertThat(http.get("/services/alpha").json().get("status").asText(), is("running"));
    }

    @Test
    void aGoodChunkedBodyIsStillTaken() {
        try (RawHttp connection = new RawHttp(registry.server().port())) {
            String body = Http.registration("chunky", 8000, null);
            RawHttp.Reply reply = connection
                    .send("POST /services HTTP/1.1\r\n" + HOST + "Transfer-Encoding: chunked\r\n\r\n"
                            + Integer.toHexString(body.length()) + "\r\n" + body + "\r\n0\r\n\r\n")
                    .reply();
            assertThat(reply.text(), reply.status(), is(201));
            RawHttp.Reply next = connection
                    .send("GET /services/chunky HTTP/1.1\r\n" + HOST + "\r\n")
                    .reply();
            assertThat(next.status(), is(200));
        }
    }

    @Test
    void connectionCloseClosesTheConnectionRightAfterTheReply() {
        register("alpha");
        String[] requests = {
            "GET /health HTTP/1.1\r\n" + HOST,
            "GET /nowhere HTTP/1.1\r\n" + HOST, // 404
            "DELETE /health HTTP/1.1\r\n" + HOST, // 405
            "GET /services/ghost HTTP/1.1\r\n" + HOST, // 404 from the endpoint
            "POST /services HTTP/1.1\r\n" + HOST + "Content-Length: 8\r\n", // 400, body "not json"
            "POST /services/alpha/heartbeat HTTP/1.1\r\n" + HOST + "Content-Length: 8\r\n", // 200
            "GET /ui HTTP/1.1\r\n" + HOST,
            "HEAD /services HTTP/1.1\r\n" + HOST,
        };
        for (String head : requests) {
            try (RawHttp connection = new RawHttp(registry.server().port())) {
                String body = head.contains("Content-Length: 8") ? "not json" : "";
                connection.send(head + "Connection: close\r\n\r\n" + body);
                RawHttp.Reply reply = head.startsWith("HEAD") ? connection.replyToHead() : connection.reply();
                assertThat(head, reply.status(), lessThan(500));
                assertThat(head, reply.header("connection"), equalToIgnoringCase("close"));
                assertThat(head, connection.closedByServer(), is(true));
            }
        }
        assertThat(http.get("/services/alpha").status(), is(200));
    }

    @Test
    void withoutConnectionCloseTheConnectionServesTheNextRequest() {
        try (RawHttp connection = new RawHttp(registry.server().port())) {
            for (int i = 0; i < 3; i++) {
                RawHttp.Reply reply = connection
                        .send("GET /health HTTP/1.1\r\n" + HOST + "\r\n")
                        .reply();
                assertThat(reply.status(), is(200));
                assertThat(reply.header("connection"), anyOf(nullValue(), is("keep-alive")));
            }
            // pipelined: both requests in one write, both answered in order
            connection.send("GET /health HTTP/1.1\r\n" + HOST + "\r\nGET /stats HTTP/1.1\r\n" + HOST + "\r\n");
            assertThat(connection.reply().text(), containsString("registered_services"));
            assertThat(connection.reply().text(), containsString("uptime"));
        }
    }
}
