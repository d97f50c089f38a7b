package dev.registry.server.security;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.greaterThan;
import static org.hamcrest.Matchers.is;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.registry.api.client.Registration;
import dev.registry.api.client.RegistryClient;
import dev.registry.api.client.RegistryException;
import dev.registry.server.testing.FakeService;
import dev.registry.server.testing.Http;
import dev.registry.server.testing.RegistryTestBase;
import dev.registry.server.testing.TestRegistry;
import java.net.URI;
import java.net.http.HttpRequest;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** --token: writes need the bearer token; reads stay open unless --token-reads. */
class TokenTest extends RegistryTestBase {

    private static final String SECRET = "s3cret-token-value";

    @Override
    protected TestRegistry newRegistry(Path dir) {
        return new TestRegistry(dir, s -> s.withToken(SECRET, false), java.time.Clock.systemUTC());
    }

    @Test
    void writesWithoutOrWithAWrongTokenAre401JsonAndStoreNothing() {
        int before = logSize();
        for (String auth : new String[] {null, "Bearer wrong", "Bearer " + SECRET + "x", "Basic " + SECRET, SECRET}) {
            HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(http.base() + "/services"))
                    .POST(HttpRequest.BodyPublishers.ofString(Http.registration("a", 1, null)));
            if (auth != null) {
                request.header("Authorization", auth);
            }
            Http.Reply reply = http.send(request);
            assertThat(String.valueOf(auth), reply.status(), is(401));
            assertThat(reply.json().get("error").asText(), is("Missing or invalid bearer token"));
            assertThat(reply.headers().firstValue("www-authenticate").orElse(""), is("Bearer realm=\"registry\""));
        }
        assertThat(http.send("DELETE", "/services/x", null).status(), is(401));
        assertThat(http.send("POST", "/services/x/heartbeat", null).status(), is(401));
        assertThat(logSize(), is(before));
    }

    @Test
    void theRightTokenWritesAndReadsStayOpen() {
        Http.Reply created = http.send(HttpRequest.newBuilder(URI.create(http.base() + "/services"))
                .header("Authorization", "Bearer " + SECRET)
                .POST(HttpRequest.BodyPublishers.ofString(Http.registration("a", 1, null))));
        assertThat(created.status(), is(201));
        assertThat(http.get("/services/a").status(), is(200));
        assertThat(http.get("/services").status(), is(200));

        RegistryClient withToken =
                RegistryClient.builder(http.base()).token(SECRET).build();
        withToken.register(Registration.running("b", "127.0.0.1", 2, Map.of()));
        withToken.heartbeat("b");
        RegistryException refused = assertThrows(
                RegistryException.class,
                () -> RegistryClient.create(http.base()).heartbeat("b"));
        assertThat(refused.status(), is(401));
    }

    /**
     * Issue 14: reads open, writes under --token, and an unauthenticated reader appended
     * health-checked events. A GET without the token checks and answers, and writes nothing.
     */
    @Test
    void aLiveCheckWithoutTheTokenIsAnsweredButRecordedOnlyWithIt() {
        Http writer = http.withToken(SECRET);
        try (FakeService service = FakeService.answering(200)) {
            Http.Reply created = writer.post(
                    "/services", Http.registration("svc", 1, null).replace("http://127.0.0.1:1", service.url()));
            assertThat(created.status(), is(201));
            double registeredAt =
                    created.json().get("service").get("last_heartbeat").asDouble();
            int events = logSize();

            for (int i = 0; i < 3; i++) {
                Http.Reply read = http.get("/services/svc/health");
                assertThat(read.status(), is(200));
                assertThat(read.json().get("health_status").asText(), is("healthy"));
                assertThat(read.json().get("last_heartbeat").asDouble(), is(registeredAt));
            }
            assertThat(service.requests(), is(3));
            assertThat(logSize(), is(events));
            assertThat(http.get("/services/svc").json().get("health_status").asText(), is("unknown"));

            Http.Reply recorded = writer.get("/services/svc/health");
            assertThat(recorded.status(), is(200));
            assertThat(recorded.json().get("health_status").asText(), is("healthy"));
            assertThat(recorded.json().get("last_heartbeat").asDouble(), greaterThan(registeredAt));
            assertThat(logSize(), is(events + 2)); // health-checked, and the probe's heartbeat
            assertThat(http.get("/services/svc").json().get("health_status").asText(), is("healthy"));
        }
    }

    @Test
    void withTokenReadsEveryReadButHealthNeedsItToo() {
        registry.close();
        registry = new TestRegistry(dataDir, s -> s.withToken(SECRET, true), java.time.Clock.systemUTC());
        http = registry.http();
        assertThat(http.get("/services").status(), is(401));
        assertThat(http.get("/events").status(), is(401));
        assertThat(http.get("/events/stream").status(), is(401));
        assertThat(http.get("/health").status(), is(200));
        assertThat(
                RegistryClient.builder(http.base()).token(SECRET).build().list().total(), is(0));
    }
}
