package dev.registry.server.durability;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.instanceOf;
import static org.hamcrest.Matchers.is;

import com.fasterxml.jackson.databind.JsonNode;
import dev.registry.events.event.RegistryStarted;
import dev.registry.server.testing.Http;
import dev.registry.server.testing.TestRegistry;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Stop a server, start another on the same directory: the fleet is exactly as it was. */
class RestartTest {

    @TempDir
    Path dataDir;

    @Test
    void thousandRecordsSurviveARestartIdentically() {
        Map<String, JsonNode> expected = new HashMap<>();
        JsonNode listBefore;
        try (TestRegistry registry = new TestRegistry(dataDir)) {
            Http http = registry.http();
            Random random = new Random(42);
            for (int i = 0; i < 1000; i++) {
                String meta = "{\"type\":\"openai-api\",\"models\":[\"m" + i % 7 + "\"],\"weight\":" + random.nextInt(5)
                        + ",\"n\":{\"i\":" + i + ",\"f\":" + random.nextDouble() + "}}";
                String body = i % 10 == 0
                        ? Http.registration("svc-" + i, 1000 + i, meta)
                                .replace("}\n", "}")
                                .replaceFirst("\\}$", ",\"timestamp\":\"client-time-" + i + "\"}")
                        : Http.registration("svc-" + i, 1000 + i, meta);
                assertThat(http.post("/services", body).status(), is(201));
            }
            for (int i = 0; i < 1000; i += 3) {
                assertThat(
                        http.send("POST", "/services/svc-" + i + "/heartbeat", null)
                                .status(),
                        is(200));
            }
            for (int i = 1; i < 1000; i += 5) {
                assertThat(
                        http.put("/services/svc-" + i, "{\"status\":\"draining\",\"metadata\":{\"u\":" + i + "}}")
                                .status(),
                        is(200));
            }
            for (int i = 2; i < 1000; i += 7) {
                assertThat(http.delete("/services/svc-" + i).status(), is(200));
            }
            listBefore = withoutTimeDependentFields(http.get("/services").json());
            for (JsonNode s : http.get("/services").json().get("services")) {
                expected.put(s.get("name").asText(), s);
            }
        }

        try (TestRegistry restarted = new TestRegistry(dataDir)) {
            JsonNode listAfter =
                    withoutTimeDependentFields(restarted.http().get("/services").json());
            assertThat(listAfter, is(listBefore));
            for (var e : expected.entrySet()) {
                JsonNode after = restarted.http().get("/services/" + e.getKey()).json();
                assertThat(
                        after.get("last_heartbeat").asText(),
                        is(e.getValue().get("last_heartbeat").asText()));
                assertThat(
                        after.get("timestamp").asText(),
                        is(e.getValue().get("timestamp").asText()));
                assertThat(after, is(e.getValue()));
            }
            assertThat(restarted.http().get("/services/svc-2").status(), is(404));
            assertThat(
                    restarted
                            .http()
                            .get("/services/svc-10")
                            .json()
                            .get("timestamp")
                            .asText(),
                    is("client-time-10"));
            assertThat(restarted.logEvents().getLast().event(), instanceOf(RegistryStarted.class));
        }
    }

    /** The list without its reply time (is_healthy stays: the TTL is far longer than the test). */
    private static JsonNode withoutTimeDependentFields(JsonNode list) {
        ((com.fasterxml.jackson.databind.node.ObjectNode) list).remove("timestamp");
        return list;
    }
}
