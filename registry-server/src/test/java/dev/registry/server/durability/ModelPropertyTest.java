package dev.registry.server.durability;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.is;

import com.fasterxml.jackson.databind.JsonNode;
import dev.registry.server.testing.Http;
import dev.registry.server.testing.MutableClock;
import dev.registry.server.testing.TestRegistry;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Random;
import java.util.stream.LongStream;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Random sequences of API calls against the server and against a model of the contract written
 * here; every reply agrees with the model, and after a restart the server still equals it.
 */
class ModelPropertyTest {

    @TempDir
    Path tmp;

    /** The contract's state, as simply as it can be said: name to (port, status, metadata, last heartbeat). */
    private record Model(int port, String status, String metadata, double lastHeartbeat) {}

    static LongStream seeds() {
        return LongStream.range(1, 21);
    }

    @ParameterizedTest(name = "seed {0}")
    @MethodSource("seeds")
    void serverAgreesWithTheModelBeforeAndAfterARestart(long seed) throws Exception {
        Random random = new Random(seed);
        MutableClock clock = new MutableClock(Instant.parse("2026-08-01T00:00:00Z"));
        Path data = Files.createDirectories(tmp.resolve("seed-" + seed));
        Map<String, Model> model = new LinkedHashMap<>();
        // Long lifetimes: this model has no expiry or eviction, and the sweeper must not add them.
        java.util.function.UnaryOperator<dev.registry.server.config.RegistrySettings> settings =
                s -> s.withLifetimes(Duration.ofDays(1), Duration.ofDays(7));
        try (TestRegistry registry = new TestRegistry(data, settings, clock)) {
            Http http = registry.http();
            for (int step = 0; step < 120; step++) {
                clock.advance(Duration.ofMillis(1 + random.nextInt(5000)));
                double now = clock.instant().getEpochSecond() + clock.instant().getNano() / 1e9;
                String name = "svc-" + random.nextInt(8);
                Model current = model.get(name);
                switch (random.nextInt(6)) {
                    case 0 -> {
                        int port = 1 + random.nextInt(65535);
                        String meta = "{\"k\":" + random.nextInt(100) + "}";
                        Http.Reply r = http.post("/services", Http.registration(name, port, meta));
                        assertThat(r.status(), is(201));
                        model.put(name, new Model(port, "running", meta, now));
                    }
                    case 1 -> {
                        String status = random.nextBoolean() ? "running" : "draining";
                        Http.Reply r = http.put("/services/" + name, "{\"status\":\"" + status + "\"}");
                        assertThat(r.status(), is(current == null ? 404 : 200));
                        if (current != null) {
                            model.put(name, new Model(current.port(), status, current.metadata(), now));
                        }
                    }
                    case 2 -> {
                        Http.Reply r = http.send("POST", "/services/" + name + "/heartbeat", null);
                        assertThat(r.status(), is(current == null ? 404 : 200));
                        if (current != null) {
                            model.put(name, new Model(current.port(), current.status(), current.metadata(), now));
                        }
                    }
                    case 3 -> {
                        assertThat(http.delete("/services/" + name).status(), is(current == null ? 404 : 200));
                        model.remove(name);
                    }
                    case 4 ->
                        assertThat(
                                http.post("/services", "{\"name\":\"" + name + "\",\"port\":\"bad\"}")
                                        .status(),
                                is(400));
                    default -> {
                        Http.Reply r = http.get("/services/" + name);
                        assertThat(r.status(), is(current == null ? 404 : 200));
                        if (current != null) {
                            assertMatches(current, r.json());
                        }
                    }
                }
            }
            assertEquals(model, http);
        }
        try (TestRegistry restarted = new TestRegistry(data, settings, clock)) {
            assertEquals(model, restarted.http());
        }
    }

    private static void assertEquals(Map<String, Model> model, Http http) {
        JsonNode list = http.get("/services").json();
        assertThat(list.get("total").asInt(), is(model.size()));
        for (JsonNode s : list.get("services")) {
            Model m = model.get(s.get("name").asText());
            assertThat(s.get("name").asText(), m != null, is(true));
            assertMatches(m, s);
        }
    }

    private static void assertMatches(Model m, JsonNode record) {
        assertThat(record.get("port").asInt(), is(m.port()));
        assertThat(record.get("status").asText(), is(m.status()));
        assertThat(record.get("metadata").toString(), is(m.metadata()));
        assertThat(record.get("last_heartbeat").asDouble(), is(m.lastHeartbeat()));
    }
}
