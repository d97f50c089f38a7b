package dev.registry.server.health;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.closeTo;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.is;

import com.fasterxml.jackson.databind.JsonNode;
import dev.registry.server.testing.FakeService;
import dev.registry.server.testing.Http;
import dev.registry.server.testing.MutableClock;
import dev.registry.server.testing.RegistryTestBase;
import dev.registry.server.testing.TestRegistry;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

/** GET /health, GET /services/{name}/health, and is_healthy against the TTL on a hand-moved clock. */
class HealthContractTest extends RegistryTestBase {

    private final MutableClock clock = new MutableClock(Instant.parse("2026-05-01T12:00:00Z"));

    @Override
    protected TestRegistry newRegistry(Path dir) {
        return new TestRegistry(dir, this::onTheLog, clock);
    }

    @Test
    void registryHealthCountsRegisteredAndHealthy() {
        register("a");
        register("b");
        http.post("/services", Http.registration("c", 1, null).replace("\"running\"", "\"stopped\""));

        Http.Reply reply = http.get("/health");

        assertThat(reply.status(), is(200));
        JsonNode body = reply.json();
        assertThat(body.get("status").asText(), is("healthy"));
        assertThat(body.get("registry").asText(), is("running"));
        assertThat(body.get("registered_services").asInt(), is(3));
        assertThat(body.get("healthy_services").asInt(), is(2));
        assertThat(body.get("timestamp").asText(), is("2026-05-01T12:00:00.000000+00:00"));
        assertThat(
                "the fields in the original's order, and nothing else",
                reply.body(),
                is("{\"status\":\"healthy\",\"registry\":\"running\",\"registered_services\":3,"
                        + "\"healthy_services\":2,\"timestamp\":\"2026-05-01T12:00:00.000000+00:00\"}"));
    }

    @Test
    void healthyUntilTheTtlPassesThenUnhealthy() {
        register("svc");
        clock.advance(Duration.ofSeconds(119));
        assertThat(http.get("/services/svc").json().get("is_healthy").asBoolean(), is(true));
        assertThat(ReadNames.of(http.get("/services?healthy=true")), is(1));
        assertThat(http.get("/health").json().get("healthy_services").asInt(), is(1)); // counted, and kept

        clock.advance(Duration.ofSeconds(2));
        assertThat(http.get("/services/svc").json().get("is_healthy").asBoolean(), is(false));
        assertThat(ReadNames.of(http.get("/services?healthy=true")), is(0));
        assertThat(http.get("/health").json().get("healthy_services").asInt(), is(0));

        http.send("POST", "/services/svc/heartbeat", null);
        assertThat(http.get("/services/svc").json().get("is_healthy").asBoolean(), is(true));
    }

    @Test
    void serviceHealthChecksLiveAndASuccessRefreshesTheHeartbeat() {
        try (FakeService service = FakeService.answering(200)) {
            http.post("/services", Http.registration("svc", 1, null).replace("http://127.0.0.1:1", service.url()));
            clock.advance(Duration.ofMillis(1500));

            Http.Reply reply = http.get("/services/svc/health");

            assertThat(reply.status(), is(200));
            JsonNode body = reply.json();
            assertThat(body.get("service").asText(), is("svc"));
            assertThat(body.get("health_status").asText(), is("healthy"));
            assertThat(body.get("is_healthy").asBoolean(), is(true));
            assertThat(
                    body.get("last_heartbeat").asDouble(),
                    closeTo(Instant.parse("2026-05-01T12:00:01.5Z").getEpochSecond() + 0.5, 1e-6));
            assertThat(body.get("timestamp").asText(), is("2026-05-01T12:00:01.500000+00:00"));
            assertThat(body.size(), is(5));
            assertThat(service.requests(), is(1));
            List<String> lastTwo = registry.logEvents().stream()
                    .skip(logSize() - 2)
                    .map(e -> e.event().toString())
                    .toList();
            assertThat(
                    lastTwo.get(0),
                    containsString("HealthChecked[time=2026-05-01T12:00:01.500Z, name=svc, "
                            + "oldStatus=unknown, newStatus=healthy, detail=HTTP 200, cause=probe"));
            assertThat(
                    lastTwo.get(1),
                    containsString("HeartbeatReceived[time=2026-05-01T12:00:01.500Z, name=svc, "
                            + "status=null, cause=probe]"));
        }
    }

    @Test
    void serviceHealthOfADeadServiceIsUnhealthyAndLeavesTheHeartbeat() {
        int dead = FakeService.refusedPort();
        JsonNode registered = register("svc", dead, null);
        clock.advance(Duration.ofSeconds(3));

        JsonNode body = http.get("/services/svc/health").json();

        assertThat(body.get("health_status").asText(), is("unhealthy"));
        assertThat(
                body.get("last_heartbeat").asDouble(),
                is(registered.get("last_heartbeat").asDouble()));
        assertThat(body.get("is_healthy").asBoolean(), is(true));
    }

    @Test
    void serviceHealthOfUnknownNameIs404() {
        Http.Reply reply = http.get("/services/ghost/health");
        assertThat(reply.status(), is(404));
        assertThat(reply.json().toString(), is("{\"error\":\"Service 'ghost' not found\"}"));
    }

    /** Counts the records of a list reply. */
    private static final class ReadNames {
        static int of(Http.Reply reply) {
            return reply.json().get("total").asInt();
        }
    }
}
