package dev.registry.server.discovery;

import static org.awaitility.Awaitility.await;
import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.greaterThan;
import static org.hamcrest.Matchers.is;

import dev.registry.events.log.LoggedEvent;
import dev.registry.server.testing.Http;
import dev.registry.server.testing.PrometheusText;
import dev.registry.server.testing.RawHttp;
import dev.registry.server.testing.RegistryTestBase;
import dev.registry.server.testing.SseClient;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * A subscriber that stops reading is dropped with a {@code reset} instead of holding anyone up,
 * and loses nothing when it reconnects with the reset's id.
 */
class SlowSubscriberTest extends RegistryTestBase {

    private static final String RESETS = "registry_event_stream_resets_total";
    private static final String SUBSCRIBERS = "registry_event_stream_subscribers";

    @Test
    void aSubscriberThatReadsNothingIsResetWhileTheWriterAndAFastOneGoOn() {
        register("a");
        double resetsBefore = scrape().value(RESETS);
        int slowStart = logSize(); // the slow one follows from the end: events after the registration
        List<SseClient.Event> beforeReset;
        // a 4 KiB receive window: the server's writes to it block after a few events
        try (RawHttp slow = new RawHttp(registry.server().port(), 4096)) {
            slow.send("GET /events/stream HTTP/1.1\r\nHost: localhost\r\n\r\n");
            // the first stream to join the fan-out starts its tailer, which then waits for the log
            await().atMost(Duration.ofSeconds(10))
                    .until(() -> registry.server().changes().waiting() >= 1);
            SseClient fast = SseClient.connect(http.base(), "/events/stream?from=0", null);
            await().atMost(Duration.ofSeconds(10)).until(() -> scrape().value(SUBSCRIBERS), is(2.0));

            // updates of 16 KiB and heartbeats until the slow one is dropped: what the sockets
            // buffer, then its queue's bound in bytes (the updates fill both in a few hundred events)
            String update = "{\"metadata\":{\"blob\":\"" + "x".repeat(16 * 1024) + "\"}}";
            long[] queued = {0};
            await().atMost(Duration.ofSeconds(120))
                    .pollInterval(Duration.ofMillis(1))
                    .until(() -> {
                        for (int i = 0; i < 20; i++) {
                            assertThat(http.put("/services/a", update).status(), is(200));
                            assertThat(http.post("/services/a/heartbeat", null).status(), is(200));
                        }
                        queued[0] += 20L * update.length();
                        return scrape().value(RESETS) > resetsBefore;
                    });
            assertThat(queued[0], greaterThan(EventStream.MAX_QUEUED_BYTES));
            for (int i = 0; i < 100; i++) {
                assertThat(http.post("/services/a/heartbeat", null).status(), is(200));
            }
            List<Long> logIndexes = logIndexes();
            await().atMost(Duration.ofSeconds(30)).until(() -> fast.events().size() >= logIndexes.size());
            assertThat(fast.ids(), is(logIndexes));
            fast.close();

            // the slow one reads now: what it was sent, then the reset, then the end of the stream
            RawHttp.Reply reply = slow.reply();
            assertThat(reply.status(), is(200));
            List<SseClient.Event> events = SseClient.parse(reply.text());
            SseClient.Event reset = events.getLast();
            assertThat(reset.type(), is(EventStream.RESET));
            assertThat(reset.data(), containsString("\"reason\":"));
            beforeReset = events.subList(0, events.size() - 1);
            assertThat(reset.id(), is(beforeReset.getLast().id()));
            assertThat(reset.data(), containsString("\"index\":" + reset.id()));
            assertThat(ids(beforeReset), is(logIndexes.subList(slowStart, slowStart + beforeReset.size())));
        }

        // it reconnects with the reset's id and gets the rest from the log
        List<Long> all = new ArrayList<>(ids(beforeReset));
        List<Long> logIndexes = logIndexes();
        try (SseClient resumed = SseClient.connect(
                http.base(), "/events/stream", beforeReset.getLast().id())) {
            await().atMost(Duration.ofSeconds(30))
                    .until(() -> slowStart + all.size() + resumed.events().size() >= logIndexes.size());
            all.addAll(resumed.ids());
        }
        assertThat(all, is(logIndexes.subList(slowStart, logIndexes.size())));

        // every stream is gone from the gauge (a stream learns its client left when it next writes)
        await().atMost(Duration.ofSeconds(30))
                .until(
                        () -> {
                            assertThat(http.post("/services/a/heartbeat", null).status(), is(200));
                            return scrape().value(SUBSCRIBERS);
                        },
                        is(0.0));
    }

    private List<Long> logIndexes() {
        return registry.logEvents().stream().map(LoggedEvent::index).toList();
    }

    private static List<Long> ids(List<SseClient.Event> events) {
        return events.stream().map(SseClient.Event::id).toList();
    }

    private PrometheusText scrape() {
        Http.Reply reply = http.get("/observe/metrics");
        assertThat(reply.body(), reply.status(), is(200));
        return PrometheusText.parse(reply.body());
    }
}
