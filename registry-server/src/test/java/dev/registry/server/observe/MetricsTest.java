package dev.registry.server.observe;

import static org.awaitility.Awaitility.await;
import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.closeTo;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.greaterThan;
import static org.hamcrest.Matchers.greaterThanOrEqualTo;
import static org.hamcrest.Matchers.hasItems;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.startsWith;

import dev.registry.server.RegistryServer;
import dev.registry.server.testing.FakeService;
import dev.registry.server.testing.Http;
import dev.registry.server.testing.PrometheusText;
import dev.registry.server.testing.SseClient;
import dev.registry.server.testing.TestRegistry;
import java.net.URI;
import java.net.http.HttpRequest;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code /observe/metrics} over real HTTP: scripted traffic moves exactly the series it should,
 * read from the Prometheus text format.
 */
class MetricsTest {

    @TempDir
    Path dataDir;

    private TestRegistry registry;
    private Http http;

    @BeforeEach
    void start() {
        registry = new TestRegistry(dataDir, s -> s.withSnapshots(8, Duration.ZERO), Clock.systemUTC());
        http = registry.http();
    }

    @AfterEach
    void stop() {
        registry.close();
    }

    private PrometheusText scrape() {
        Http.Reply reply = http.get("/observe/metrics");
        assertThat(reply.body(), reply.status(), is(200));
        assertThat(reply.contentType(), startsWith("text/plain"));
        return PrometheusText.parse(reply.body());
    }

    @Test
    void scriptedTrafficMovesTheEventRequestAndRecordSeries() {
        PrometheusText before = scrape();
        assertThat(http.post("/services", Http.registration("a", 8000, null)).status(), is(201));
        assertThat(http.post("/services", Http.registration("b", 8001, null)).status(), is(201));
        for (int i = 0; i < 3; i++) {
            assertThat(http.post("/services/a/heartbeat", null).status(), is(200));
        }
        assertThat(http.get("/services/a").status(), is(200));
        assertThat(http.get("/services/ghost").status(), is(404));
        assertThat(http.get("/services/team%2Fmodel").status(), is(404));
        assertThat(http.delete("/services/b").status(), is(200));
        assertThat(http.get("/nowhere").status(), is(404));
        PrometheusText after = scrape();

        assertThat(delta(before, after, "registry_events_appended_total", "type", "registered"), is(2.0));
        assertThat(delta(before, after, "registry_events_appended_total", "type", "heartbeat"), is(3.0));
        assertThat(delta(before, after, "registry_events_appended_total", "type", "deregistered"), is(1.0));
        assertThat(delta(before, after, "registry_append_duration_seconds_count"), is(6.0));
        assertThat(
                after.value("registry_append_duration_seconds_bucket", "le", "+Inf"),
                is(after.value("registry_append_duration_seconds_count")));

        String requests = "registry_http_request_duration_seconds_count";
        assertThat(delta(before, after, requests, "endpoint", "/services", "method", "POST", "status", "201"), is(2.0));
        assertThat(delta(before, after, requests, "endpoint", "/services/{name}/heartbeat", "status", "200"), is(3.0));
        // names never become labels: both misses count under the route's pattern
        assertThat(
                delta(before, after, requests, "endpoint", "/services/{name}", "method", "GET", "status", "404"),
                is(2.0));
        assertThat(delta(before, after, requests, "endpoint", "/services/{name}", "method", "DELETE"), is(1.0));
        assertThat(delta(before, after, requests, "endpoint", "unmatched", "status", "404"), is(1.0));

        assertThat(after.value("registry_records"), is(1.0));
        assertThat(after.value("registry_records_healthy"), is(1.0));
        assertThat(after.value("registry_records_unhealthy"), is(0.0));
        assertThat(after.value("registry_writer_queue_depth"), is(0.0));
        assertThat(after.value("registry_log_files"), greaterThanOrEqualTo(1.0));
        assertThat(after.value("registry_log_bytes"), greaterThan(0.0));
        assertThat(after.value("registry_build_info", "version", RegistryServer.version()), is(1.0));
    }

    @Test
    void theTimersOfEveryRequestAndAppendSkipTheCompositeAndShowInEveryFormat() {
        assertThat(http.post("/services", Http.registration("a", 8000, null)).status(), is(201));
        PrometheusText before = scrape();
        long appendsBefore = appendCountInJson();
        for (int i = 0; i < 4; i++) {
            assertThat(http.post("/services/a/heartbeat", null).status(), is(200));
        }
        PrometheusText after = scrape();

        ProcessMeters meters = ProcessMeters.process().now();
        assertThat(meters.appendTime.direct(), is(true));
        assertThat(meters.request("/services/{name}/heartbeat", "POST", 200).direct(), is(true));
        String requests = "registry_http_request_duration_seconds_count";
        assertThat(delta(before, after, requests, "endpoint", "/services/{name}/heartbeat", "status", "200"), is(4.0));
        assertThat(delta(before, after, "registry_append_duration_seconds_count"), is(4.0));
        assertThat(appendCountInJson() - appendsBefore, is(4L));
    }

    /** {@code registry.append.duration}'s count in the JSON format, which reads Helidon's meters. */
    private long appendCountInJson() {
        Http.Reply json = http.send(HttpRequest.newBuilder(URI.create(http.base() + "/metrics"))
                .header("Accept", "application/json")
                .GET());
        assertThat(json.body(), json.status(), is(200));
        Matcher count = Pattern.compile("\"registry\\.append\\.duration\"\\s*:\\s*\\{\\s*\"count\"\\s*:\\s*(\\d+)")
                .matcher(json.body());
        assertThat(json.body(), count.find(), is(true));
        return Long.parseLong(count.group(1));
    }

    @Test
    void metricsIsTheSameAsObserveMetricsAndTheJvmAndProcessAreThere() {
        Http.Reply alias = http.get("/metrics");
        assertThat(alias.status(), is(200));
        assertThat(alias.contentType(), startsWith("text/plain"));
        PrometheusText metrics = PrometheusText.parse(alias.body());
        assertThat(
                metrics.names(),
                hasItems(
                        "registry_records",
                        "registry_events_appended_total",
                        // the JVM (Helidon's system meters) and the process (Micrometer's binders)
                        "memory_usedHeap_bytes",
                        "thread_count",
                        "gc_total",
                        "classloader_loadedClasses_count",
                        "process_cpu_usage",
                        "process_files_open_files",
                        "process_start_time_seconds",
                        "process_uptime_seconds"));
        assertThat(http.send("DELETE", "/metrics", null).status(), is(405));
        Http.Reply json = http.send(HttpRequest.newBuilder(URI.create(http.base() + "/observe/metrics"))
                .header("Accept", "application/json")
                .GET());
        assertThat(json.body(), json.status(), is(200));
        assertThat(json.body(), containsString("\"registry.records\""));
    }

    @Test
    void streamSubscribersLagAndBlockingQueriesAreGauges() throws Exception {
        assertThat(scrape().value("registry_event_stream_subscribers"), is(0.0));
        try (SseClient stream = SseClient.connect(http.base(), "/events/stream", null)) {
            await().atMost(Duration.ofSeconds(10))
                    .until(() -> scrape().value("registry_event_stream_subscribers"), is(1.0));
            assertThat(
                    http.post("/services", Http.registration("a", 8000, null)).status(), is(201));
            await().atMost(Duration.ofSeconds(10)).until(() -> stream.events().size(), is(1));
            // caught up again: no lag
            await().atMost(Duration.ofSeconds(10))
                    .until(() -> scrape().value("registry_event_stream_lag_seconds"), is(0.0));
        }
        // a stream learns that its client left when it next writes: give it events to write
        int[] n = {0};
        await().atMost(Duration.ofSeconds(10))
                .until(
                        () -> {
                            assertThat(
                                    http.post("/services", Http.registration("wake-" + n[0]++, 8000, null))
                                            .status(),
                                    is(201));
                            return scrape().value("registry_event_stream_subscribers");
                        },
                        is(0.0));

        String blocking = "registry_http_request_duration_seconds_count";
        double blockingBefore = scrape().value(blocking, "endpoint", "/services?index");
        String index =
                http.get("/services").headers().firstValue("X-Registry-Index").orElseThrow();
        CompletableFuture<Http.Reply> waiting =
                CompletableFuture.supplyAsync(() -> http.get("/services?index=" + index + "&wait=30s"));
        await().atMost(Duration.ofSeconds(10))
                .until(() -> scrape().value("registry_blocking_queries_waiting"), is(1.0));
        assertThat(http.post("/services", Http.registration("b", 8001, null)).status(), is(201));
        assertThat(waiting.get(10, TimeUnit.SECONDS).status(), is(200));
        assertThat(scrape().value("registry_blocking_queries_waiting"), is(0.0));
        assertThat(scrape().value(blocking, "endpoint", "/services?index") - blockingBefore, is(1.0));
    }

    @Test
    void checksSnapshotsAndRetentionAreCounted() throws Exception {
        try (FakeService up = FakeService.answering(200)) {
            String healthy = Http.registration("up", 1, null).replace("http://127.0.0.1:1", up.url());
            String refused = Http.registration("down", 1, null)
                    .replace("http://127.0.0.1:1", "http://127.0.0.1:" + FakeService.refusedPort());
            assertThat(http.post("/services", healthy).status(), is(201));
            assertThat(http.post("/services", refused).status(), is(201));
            PrometheusText before = scrape();
            registry.server().checkRoundNow().get(30, TimeUnit.SECONDS);
            assertThat(http.get("/services/up/health").status(), is(200)); // the live check counts too
            PrometheusText after = scrape();
            assertThat(delta(before, after, "registry_health_checks_total", "result", "healthy"), is(2.0));
            assertThat(delta(before, after, "registry_health_checks_total", "result", "unhealthy"), is(1.0));
            assertThat(delta(before, after, "registry_health_check_duration_seconds_count"), is(3.0));
            assertThat(after.value("registry_health_checks_in_flight"), is(0.0));
        }

        // --snapshot-every 8 here: the start, two registrations, two check results, a heartbeat... then more
        for (int i = 0; i < 8; i++) {
            assertThat(
                    http.post("/services", Http.registration("s" + i, 8000 + i, null))
                            .status(),
                    is(201));
        }
        await().atMost(Duration.ofSeconds(10))
                .until(() -> scrape().value("registry_snapshot_duration_seconds_count"), greaterThanOrEqualTo(1.0));
        assertThat(scrape().value("registry_snapshot_age_seconds"), closeTo(0, 30)); // -1 before the first

        double runs = scrape().value("registry_retention_runs_total");
        registry.server().pruneNow();
        PrometheusText pruned = scrape();
        assertThat(pruned.value("registry_retention_runs_total") - runs, is(1.0));
        assertThat(pruned.value("registry_retention_runs_total", "result", "nothing_due"), greaterThanOrEqualTo(1.0));
    }

    @Test
    void healthIsLiveAndReadyOnceReplayedAndStaysOpenBehindTheToken(@TempDir Path guardedDir) {
        Http.Reply health = http.get("/observe/health");
        assertThat(health.body(), health.status(), is(200));
        assertThat(health.json().get("status").asText(), is("UP"));
        Http.Reply live = http.get("/observe/health/live");
        assertThat(live.status(), is(200));
        assertThat(live.body(), containsString("\"writer\":\"running\""));
        Http.Reply ready = http.get("/observe/health/ready");
        assertThat(ready.status(), is(200));
        assertThat(ready.body(), containsString("\"log\":\"replayed\""));

        try (TestRegistry guarded = new TestRegistry(guardedDir, s -> s.withToken("t0ken", true), Clock.systemUTC())) {
            Http g = guarded.http();
            assertThat(g.get("/observe/health/ready").status(), is(200));
            assertThat(g.get("/observe/metrics").status(), is(401));
            assertThat(g.get("/metrics").status(), is(401));
            assertThat(
                    g.send(HttpRequest.newBuilder(URI.create(g.base() + "/observe/metrics"))
                                    .header("Authorization", "Bearer t0ken")
                                    .GET())
                            .status(),
                    is(200));
        }
    }

    @Test
    void countersCountForTheProcessAndGaugesReadTheServersRunningNow(@TempDir Path otherDir) {
        assertThat(http.post("/services", Http.registration("a", 8000, null)).status(), is(201));
        double registered = scrape().value("registry_events_appended_total", "type", "registered");
        registry.restart();
        http = registry.http();
        PrometheusText after = scrape();
        // the replay appends nothing; a stopped server's records are no longer counted twice
        assertThat(after.value("registry_events_appended_total", "type", "registered"), is(registered));
        assertThat(after.value("registry_records"), is(1.0));

        // two servers in one process (tests only): the gauges add up, and drop one when it stops
        try (TestRegistry other = new TestRegistry(otherDir)) {
            assertThat(
                    other.http()
                            .post("/services", Http.registration("b", 8001, null))
                            .status(),
                    is(201));
            assertThat(scrape().value("registry_records"), is(2.0));
        }
        assertThat(scrape().value("registry_records"), is(1.0));
    }

    private static double delta(PrometheusText before, PrometheusText after, String name, String... labels) {
        return after.value(name, labels) - before.value(name, labels);
    }
}
