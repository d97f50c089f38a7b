package dev.registry.server.discovery;

import static org.awaitility.Awaitility.await;
import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.is;

import dev.registry.events.log.LoggedEvent;
import dev.registry.server.testing.Http;
import dev.registry.server.testing.RegistryTestBase;
import dev.registry.server.testing.SseClient;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** GET /events/stream: every event exactly once, in order, across disconnects and restarts. */
class EventStreamTest extends RegistryTestBase {

    @Test
    void resumingWithLastEventIdAcrossARestartMissesNothingAndRepeatsNothing() {
        for (int i = 0; i < 250; i++) {
            register("svc-" + i % 50);
            http.send("POST", "/services/svc-" + i % 50 + "/heartbeat", null);
            http.put("/services/svc-" + i % 50, "{\"port\":" + (i + 1) + "}");
            http.send("POST", "/services/svc-" + i % 50 + "/heartbeat", "{\"status\":\"running\"}");
        }
        List<Long> seen = new ArrayList<>();
        try (SseClient first = SseClient.connect(http.base(), "/events/stream?from=0", null)) {
            assertThat(first.status(), is(200));
            await().atMost(Duration.ofSeconds(30)).until(() -> first.events().size() >= 1000);
            seen.addAll(first.ids().subList(0, 1000));
        }
        for (int i = 0; i < 100; i++) {
            http.send("POST", "/services/svc-" + i % 50 + "/heartbeat", null);
        }
        registry.restart();
        http = registry.http();
        for (int i = 0; i < 100; i++) {
            http.delete("/services/svc-" + i % 60);
        }
        List<Long> logIndexes =
                registry.logEvents().stream().map(LoggedEvent::index).toList();
        try (SseClient resumed = SseClient.connect(http.base(), "/events/stream", seen.getLast())) {
            await().atMost(Duration.ofSeconds(30))
                    .until(() -> seen.size() + resumed.events().size() >= logIndexes.size());
            seen.addAll(resumed.ids());
        }
        assertThat(seen, is(logIndexes));
    }

    @Test
    void withoutAPositionTheStreamStartsAtTheEndAndFollows() {
        register("old");
        try (SseClient live = SseClient.connect(http.base(), "/events/stream", null)) {
            await().atMost(Duration.ofSeconds(10))
                    .until(() -> registry.server().changes().waiting() >= 1);
            register("new");
            await().atMost(Duration.ofSeconds(10)).until(() -> live.events().size() == 1);
            SseClient.Event e = live.events().getFirst();
            assertThat(e.type(), is("registered"));
            assertThat(e.data(), containsString("\"name\":\"new\""));
            assertThat(e.data(), containsString("\"index\":" + e.id()));
        }
    }

    @Test
    void filtersByServiceAndType() {
        try (SseClient beats = SseClient.connect(http.base(), "/events/stream?from=0&service=b&type=heartbeat", null)) {
            register("a");
            register("b");
            http.send("POST", "/services/a/heartbeat", null);
            http.send("POST", "/services/b/heartbeat", null);
            http.send("POST", "/services/b/heartbeat", null);
            await().atMost(Duration.ofSeconds(10)).until(() -> beats.events().size() == 2);
            beats.events().forEach(e -> {
                assertThat(e.type(), is("heartbeat"));
                assertThat(e.data(), containsString("\"name\":\"b\""));
            });
        }
    }

    @Test
    void aConsumerThatStopsReadingSlowsNobody() {
        register("a");
        SseClient stalled = SseClient.connect(http.base(), "/events/stream?from=0", null);
        try (SseClient reader = SseClient.connect(http.base(), "/events/stream?from=0", null)) {
            stalled.close(); // nobody reads its socket any more; the server must not care
            for (int i = 0; i < 3000; i++) {
                assertThat(http.send("POST", "/services/a/heartbeat", null).status(), is(200));
            }
            int expected = logSize();
            await().atMost(Duration.ofSeconds(30)).until(() -> reader.events().size() == expected);
        }
    }

    @Test
    void badPositionsAre400Json() {
        Http.Reply reply = http.get("/events/stream?from=abc");
        assertThat(reply.status(), is(400));
        assertThat(reply.json().get("error").asText(), containsString("'from'"));
        Http.Reply header =
                http.send(java.net.http.HttpRequest.newBuilder(java.net.URI.create(http.base() + "/events/stream"))
                        .header("Last-Event-ID", "nope")
                        .GET());
        assertThat(header.status(), is(400));
    }
}
