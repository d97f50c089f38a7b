package dev.registry.server.services;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.greaterThan;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.matchesPattern;

import com.fasterxml.jackson.databind.JsonNode;
import dev.registry.server.testing.Http;
import dev.registry.server.testing.RegistryTestBase;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** POST /services/{name}/heartbeat, with every body the fleet's clients send. */
class HeartbeatContractTest extends RegistryTestBase {

    @Test
    void heartbeatWithoutBodyRefreshesLastHeartbeat() {
        JsonNode before = register("svc");

        Http.Reply reply = http.send("POST", "/services/svc/heartbeat", null);

        assertThat(reply.status(), is(200));
        JsonNode body = reply.json();
        assertThat(body.get("message").asText(), is("Heartbeat received"));
        assertThat(body.get("timestamp").asText(), matchesPattern("\\d{4}-.*\\+00:00"));
        assertThat(body.size(), is(2));
        JsonNode after = http.get("/services/svc").json();
        assertThat(
                after.get("last_heartbeat").asDouble(),
                greaterThan(before.get("last_heartbeat").asDouble()));
        assertThat(after.get("status").asText(), is("running"));
    }

    @Test
    void statusInBodySetsTheStatus() {
        register("svc");
        assertThat(
                http.post("/services/svc/heartbeat", "{\"status\":\"draining\"}")
                        .status(),
                is(200));
        assertThat(http.get("/services/svc").json().get("status").asText(), is("draining"));
        assertThat(http.get("/services/svc").json().get("is_healthy").asBoolean(), is(false));
    }

    @ParameterizedTest
    @ValueSource(
            strings = {"not json at all", "{}", "[]", "\"x\"", "{\"status\":5}", "{\"other\":1}", "{\"status\":null}"})
    void oddBodiesAreStillPlainHeartbeats(String body) {
        JsonNode before = register("svc");
        Http.Reply reply = http.post("/services/svc/heartbeat", body);
        assertThat(reply.status(), is(200));
        JsonNode after = http.get("/services/svc").json();
        assertThat(after.get("status").asText(), is("running"));
        assertThat(
                after.get("last_heartbeat").asDouble(),
                greaterThan(before.get("last_heartbeat").asDouble()));
    }

    @Test
    void unknownNameIs404SoClientsKnowToRegister() {
        Http.Reply reply = http.send("POST", "/services/ghost/heartbeat", null);
        assertThat(reply.status(), is(404));
        assertThat(reply.json().toString(), is("{\"error\":\"Service 'ghost' not found\"}"));
    }
}
