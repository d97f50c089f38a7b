package dev.registry.server.http;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.startsWith;

import dev.registry.server.testing.BeforeTheLog;
import dev.registry.server.testing.Http;
import dev.registry.server.testing.RegistryTestBase;
import java.io.ByteArrayInputStream;
import java.net.URI;
import java.net.http.HttpRequest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Unknown paths, wrong methods and oversized bodies: JSON errors with the right codes. */
class RoutingContractTest extends RegistryTestBase {

    @BeforeTheLog
    @ParameterizedTest
    @CsvSource({
        "GET,/",
        "GET,/nope",
        "GET,/services/a/b/c",
        "POST,/service",
        "GET,/healthz",
        "GET,/services/x/unknown",
        "GET,/services/",
        "GET,/health/",
        "DELETE,/nothing/here"
    })
    void unknownPathsAre404Json(String method, String path) {
        Http.Reply reply = http.send(method, path, null);
        assertThat(reply.status(), is(404));
        assertThat(reply.contentType(), startsWith("application/json"));
        assertThat(reply.json().has("error"), is(true));
    }

    @BeforeTheLog
    @ParameterizedTest
    @CsvSource({
        "DELETE,/health,GET",
        "POST,/stats,GET",
        "PATCH,/services,'GET, POST'",
        "DELETE,/services,'GET, POST'",
        "POST,/services/x,'GET, PUT, DELETE'",
        "GET,/services/x/heartbeat,POST",
        "PUT,/services/x/health,GET"
    })
    void wrongMethodsAre405JsonWithAllow(String method, String path, String allow) {
        Http.Reply reply = http.send(method, path, method.equals("DELETE") || method.equals("GET") ? null : "{}");
        assertThat(reply.status(), is(405));
        assertThat(reply.contentType(), startsWith("application/json"));
        assertThat(reply.json().get("error").asText(), containsString(method));
        assertThat(reply.headers().firstValue("allow").orElse(""), is(allow));
    }

    @Test
    void bodyOverTheLimitIs413JsonAndStoresNothing() {
        int before = logSize();
        String huge = Http.registration("big", 1, "{\"blob\":\"" + "x".repeat(1 << 20) + "\"}");

        Http.Reply reply = http.post("/services", huge);

        assertThat(reply.status(), is(413));
        assertThat(reply.json().get("error").asText(), containsString("1048576"));
        assertThat(http.get("/services/big").status(), is(404));
        assertThat(logSize(), is(before));
    }

    @Test
    void chunkedBodyOverTheLimitIs413Too() {
        byte[] huge = Http.registration("big", 1, "{\"blob\":\"" + "x".repeat(2 << 20) + "\"}")
                .getBytes();
        Http.Reply reply = http.send(HttpRequest.newBuilder(URI.create(http.base() + "/services"))
                .POST(HttpRequest.BodyPublishers.ofInputStream(() -> new ByteArrayInputStream(huge))));
        assertThat(reply.status(), is(413));
        assertThat(http.get("/services/big").status(), is(404));
    }

    @Test
    void bodyJustUnderTheLimitIsAccepted() {
        String prefix = Http.registration("big", 1, "{\"blob\":\"");
        int room = (1 << 20) - prefix.length() - "\"}}".length();
        Http.Reply reply = http.post("/services", prefix + "x".repeat(room) + "\"}}");
        assertThat(reply.status(), is(201));
    }

    @Test
    void malformedPercentEncodingIs400Json() {
        Http.Reply reply = http.raw("GET /services/bad%zz HTTP/1.1\r\nHost: localhost");
        assertThat(reply.status(), is(400));
        assertThat(reply.contentType(), startsWith("application/json"));
        assertThat(reply.json().has("error"), is(true));
    }

    @Test
    void garbageRequestLineGetsJsonError() {
        Http.Reply reply = http.raw("NONSENSE");
        assertThat(reply.status(), is(400));
        assertThat(reply.json().has("error"), is(true));
    }
}
