package dev.registry.server.health;

import static org.awaitility.Awaitility.await;
import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.containsInRelativeOrder;
import static org.hamcrest.Matchers.is;

import dev.registry.events.event.RegistryStarted;
import dev.registry.events.event.ServiceEvent;
import dev.registry.events.log.EventCodec;
import dev.registry.events.log.LoggedEvent;
import dev.registry.server.config.RegistrySettings;
import dev.registry.server.testing.FakeService;
import dev.registry.server.testing.Http;
import dev.registry.server.testing.MutableClock;
import dev.registry.server.testing.TestRegistry;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Expiry, eviction and the restart grace through a real server. */
class LifecycleTest {

    @TempDir
    Path dataDir;

    @Test
    void restartAfterALongStopKeepsTheFleetForTheGraceThenDropsTheSilentOnes() {
        MutableClock clock = new MutableClock(Instant.parse("2026-07-01T00:00:00Z"));
        try (TestRegistry before = new TestRegistry(dataDir, s -> s, clock)) {
            for (String name : List.of("loyal-1", "loyal-2", "gone-1", "gone-2")) {
                assertThat(
                        before.http()
                                .post("/services", Http.registration(name, 1, null))
                                .status(),
                        is(201));
            }
        }

        clock.advance(Duration.ofHours(6));
        try (TestRegistry after = new TestRegistry(dataDir, s -> s, clock)) {
            Http http = after.http();
            RegistryStarted started = after.logEvents().stream()
                    .map(LoggedEvent::event)
                    .filter(e -> e instanceof RegistryStarted)
                    .map(e -> (RegistryStarted) e)
                    .toList()
                    .getLast();
            assertThat(started.evictionGraceUntil(), is(clock.instant().plus(RegistrySettings.DEFAULT_STALE_AFTER)));

            after.server().sweepNow();
            assertThat(http.get("/services").json().get("total").asInt(), is(4));

            clock.advance(Duration.ofSeconds(200));
            http.send("POST", "/services/loyal-1/heartbeat", null);
            http.send("POST", "/services/loyal-2/heartbeat", null);
            clock.advance(Duration.ofSeconds(99));
            after.server().sweepNow();
            assertThat(http.get("/services").json().get("total").asInt(), is(4));

            clock.advance(Duration.ofSeconds(2));
            after.server().sweepNow();
            assertThat(http.get("/services/gone-1").status(), is(404));
            assertThat(http.get("/services/gone-2").status(), is(404));
            assertThat(http.get("/services/loyal-1").status(), is(200));
            assertThat(http.get("/services/loyal-2").json().get("is_healthy").asBoolean(), is(true));
            assertThat(history(after, "gone-1"), contains("registered", "expired", "evicted"));
            assertThat(history(after, "loyal-1"), contains("registered", "expired", "heartbeat"));
        }
    }

    @Test
    void endToEndWithShortDurationsAServiceThatFallsSilentExpiresThenGoes() {
        int dead = FakeService.refusedPort();
        try (TestRegistry registry = new TestRegistry(
                dataDir,
                s -> s.withLifetimes(Duration.ofSeconds(2), Duration.ofSeconds(4))
                        .withChecks(true, Duration.ofSeconds(1), Duration.ofMillis(500)),
                Clock.systemUTC())) {
            Http http = registry.http();
            assertThat(
                    http.post("/services", Http.registration("quiet", dead, null))
                            .status(),
                    is(201));
            assertThat(http.get("/services/quiet").json().get("is_healthy").asBoolean(), is(true));

            await().atMost(Duration.ofSeconds(10))
                    .pollInterval(Duration.ofMillis(50))
                    .until(() -> !http.get("/services/quiet")
                            .json()
                            .get("is_healthy")
                            .asBoolean());
            await().atMost(Duration.ofSeconds(15))
                    .pollInterval(Duration.ofMillis(50))
                    .until(() -> http.get("/services/quiet").status() == 404);

            // the check round runs on its own schedule, so only expiry-then-eviction has a fixed place
            List<String> history = history(registry, "quiet");
            assertThat(history, containsInRelativeOrder("registered", "expired", "evicted"));
            assertThat(history.getLast(), is("evicted"));
            assertThat(
                    history.stream()
                            .filter(t -> t.equals("expired") || t.equals("evicted"))
                            .toList(),
                    contains("expired", "evicted"));
        }
    }

    private static List<String> history(TestRegistry registry, String name) {
        return registry.logEvents().stream()
                .map(LoggedEvent::event)
                .filter(e -> e instanceof ServiceEvent se && se.name().equals(name))
                .map(EventCodec::typeOf)
                .toList();
    }
}
