package dev.registry.server.logging;

import static org.awaitility.Awaitility.await;
import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.greaterThan;
import static org.hamcrest.Matchers.hasSize;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.startsWith;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.registry.server.testing.Http;
import dev.registry.server.testing.MutableClock;
import dev.registry.server.testing.TestRegistry;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.logging.Handler;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The access log (one line per request, with --access-log) and the lifecycle log (one line per
 * lifecycle event with its cause), as a real server writes them, read as --log-format json does.
 */
class ServerLogsTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path dataDir;

    private final List<LogRecord> access = new CopyOnWriteArrayList<>();
    private final List<LogRecord> lifecycle = new CopyOnWriteArrayList<>();
    private final Logger accessLogger = Logger.getLogger("dev.registry.server.access");
    private final Logger lifecycleLogger = Logger.getLogger("dev.registry.server.lifecycle");
    private final Handler accessHandler = collect(access);
    private final Handler lifecycleHandler = collect(lifecycle);
    private final MutableClock clock = new MutableClock(Instant.parse("2026-07-01T00:00:00Z"));
    private TestRegistry registry;
    private Http http;

    @BeforeEach
    void start() {
        accessLogger.addHandler(accessHandler);
        lifecycleLogger.addHandler(lifecycleHandler);
        registry = new TestRegistry(
                dataDir,
                s -> s.toBuilder()
                        .accessLog(true)
                        .heartbeatTtl(Duration.ofSeconds(60))
                        .staleAfter(Duration.ofSeconds(120))
                        .build(),
                clock);
        http = registry.http();
    }

    @AfterEach
    void stop() {
        registry.close();
        accessLogger.removeHandler(accessHandler);
        lifecycleLogger.removeHandler(lifecycleHandler);
    }

    @Test
    void everyRequestIsOneAccessLineWithMethodPathStatusDurationAndBytes() throws Exception {
        Http.Reply created = http.post("/services", Http.registration("a", 8000, null));
        assertThat(http.get("/services/ghost?x=1").status(), is(404));

        // written once the reply is out, so a moment after the client has it
        await().atMost(Duration.ofSeconds(10)).until(access::size, is(2));
        JsonNode post = json(access.get(0));
        assertThat(post.get("logger").asText(), is("dev.registry.server.access"));
        assertThat(post.get("method").asText(), is("POST"));
        assertThat(post.get("path").asText(), is("/services"));
        assertThat(post.get("status").asInt(), is(201));
        // the bytes of the reply on the wire: its head and its body
        assertThat(post.get("bytes").asLong(), greaterThan((long)
                created.body().getBytes(java.nio.charset.StandardCharsets.UTF_8).length));
        assertThat(post.get("duration_ms").asDouble(), greaterThan(0.0));
        assertThat(post.get("message").asText(), startsWith("POST /services 201 "));
        JsonNode miss = json(access.get(1));
        assertThat(miss.get("path").asText(), is("/services/ghost?x=1"));
        assertThat(miss.get("status").asInt(), is(404));
    }

    @Test
    void lifecycleEventsAreOneLineEachWithTheirCauseAndHeartbeatsOnlyWhenTheyReviveARecord() throws Exception {
        assertThat(http.post("/services", Http.registration("a", 8000, null)).status(), is(201));
        assertThat(http.post("/services/a/heartbeat", null).status(), is(200)); // keeps it alive: no line
        assertThat(http.put("/services/a", "{\"port\":8001}").status(), is(200));
        clock.advance(Duration.ofSeconds(61));
        registry.server().sweepNow();
        assertThat(http.post("/services/a/heartbeat", null).status(), is(200)); // revives it
        clock.advance(Duration.ofSeconds(121));
        registry.server().sweepNow(); // expires, then evicts
        assertThat(http.post("/services", Http.registration("b", 8002, null)).status(), is(201));
        assertThat(http.delete("/services/b").status(), is(200));

        List<String> lines =
                lifecycle.stream().map(r -> json(r).get("message").asText()).toList();
        assertThat(
                lines,
                contains(
                        "a registered (cause client) url=http://127.0.0.1:8000 status=running replaced=false",
                        "a updated (cause client)",
                        "a expired (cause ttl) last_heartbeat="
                                + json(lifecycle.get(2)).get("last_heartbeat").asText(),
                        "a health changed (cause client) from=expired to=alive",
                        "a expired (cause ttl) last_heartbeat="
                                + json(lifecycle.get(4)).get("last_heartbeat").asText(),
                        "a evicted (cause stale) age_seconds=121.0",
                        "b registered (cause client) url=http://127.0.0.1:8002 status=running replaced=false",
                        "b deregistered (cause client)"));
        JsonNode evicted = json(lifecycle.get(5));
        assertThat(evicted.get("event").asText(), is("evicted"));
        assertThat(evicted.get("service").asText(), is("a"));
        assertThat(evicted.get("cause").asText(), is("stale"));
        assertThat(evicted.get("index").asLong(), greaterThan(0L));
    }

    @Test
    void aRestartReplaysWithoutRepeatingTheLines() {
        assertThat(http.post("/services", Http.registration("a", 8000, null)).status(), is(201));
        registry.restart();
        assertThat(lifecycle, hasSize(1));
    }

    private static JsonNode json(LogRecord record) {
        try {
            return JSON.readTree(new JsonLogFormatter().format(record));
        } catch (java.io.IOException ex) {
            throw new AssertionError(ex);
        }
    }

    private static Handler collect(List<LogRecord> into) {
        return new Handler() {
            @Override
            public void publish(LogRecord record) {
                into.add(record);
            }

            @Override
            public void flush() {}

            @Override
            public void close() {}
        };
    }
}
