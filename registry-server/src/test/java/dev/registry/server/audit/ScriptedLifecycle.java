package dev.registry.server.audit;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.is;

import dev.registry.server.testing.FakeService;
import dev.registry.server.testing.Http;
import dev.registry.server.testing.MutableClock;
import dev.registry.server.testing.TestRegistry;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

/**
 * A service's whole lifecycle at known times: register, heartbeats, update, check flips, expiry,
 * eviction, re-registration, deregistration. The expected history is spelled out beside it, for
 * the HTTP API and the tools to be checked against.
 */
public final class ScriptedLifecycle {

    public static final Instant T0 = Instant.parse("2026-09-01T10:00:00Z");
    public static final String NAME = "lifecycle-svc";

    /** type, cause, heartbeats_before of every entry, oldest first. */
    public static final List<String> EXPECTED = List.of(
            "registered client 0",
            "updated client 2",
            "health-checked check 0",
            "health-checked check 0",
            "expired ttl 1",
            "evicted stale 0",
            "registered client 0",
            "deregistered client 1");

    private ScriptedLifecycle() {}

    /** Plays the script against a registry on {@code clock} (checks off, default TTL and stale period). */
    public static void play(TestRegistry registry, MutableClock clock) throws Exception {
        Http http = registry.http();
        try (FakeService service = FakeService.answering(200)) {
            String body =
                    Http.registration(NAME, 1, "{\"type\":\"vllm\"}").replace("http://127.0.0.1:1", service.url());
            clock.set(T0);
            assertThat(http.post("/services", body).status(), is(201));
            step(clock, 10);
            http.send("POST", "/services/" + NAME + "/heartbeat", null);
            step(clock, 10);
            http.send("POST", "/services/" + NAME + "/heartbeat", "{\"status\":\"running\"}");
            step(clock, 10);
            assertThat(
                    http.put("/services/" + NAME, "{\"port\":2,\"metadata\":{\"type\":\"vllm\",\"v\":2}}")
                            .status(),
                    is(200));
            step(clock, 10);
            registry.server().checkRoundNow().get();
            service.answer(500);
            step(clock, 10);
            registry.server().checkRoundNow().get();
            registry.server().checkRoundNow().get();
            step(clock, 10);
            http.send("POST", "/services/" + NAME + "/heartbeat", null);
            step(clock, 121);
            registry.server().sweepNow();
            step(clock, 180);
            registry.server().sweepNow();
            assertThat(http.get("/services/" + NAME).status(), is(404));
            step(clock, 10);
            assertThat(http.post("/services", body).status(), is(201));
            step(clock, 10);
            http.send("POST", "/services/" + NAME + "/heartbeat", null);
            step(clock, 10);
            assertThat(http.delete("/services/" + NAME).status(), is(200));
        }
    }

    private static void step(MutableClock clock, int seconds) {
        clock.advance(Duration.ofSeconds(seconds));
    }
}
