package dev.registry.server.audit;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.matchesPattern;
import static org.hamcrest.Matchers.not;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.registry.api.ServiceRecord;
import dev.registry.events.audit.IndependentFold;
import dev.registry.events.event.RegistryEvent;
import dev.registry.events.log.LoggedEvent;
import dev.registry.server.testing.Http;
import dev.registry.server.testing.MutableClock;
import dev.registry.server.testing.RegistryTestBase;
import dev.registry.server.testing.TestRegistry;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** History, the event feed, point-in-time views and diffs over HTTP. */
class AuditHttpTest extends RegistryTestBase {

    private static final ObjectMapper JSON = new ObjectMapper();
    private final MutableClock clock = new MutableClock(ScriptedLifecycle.T0);

    @Override
    protected TestRegistry newRegistry(Path dir) {
        return new TestRegistry(dir, s -> s, clock);
    }

    @Test
    void scriptedLifecycleGivesExactlyTheExpectedHistory() throws Exception {
        ScriptedLifecycle.play(registry, clock);

        JsonNode body =
                http.get("/services/" + ScriptedLifecycle.NAME + "/history").json();

        assertThat(summaries(body.get("history")), is(ScriptedLifecycle.EXPECTED));
        assertThat(body.get("heartbeats_after_last").asInt(), is(0));
        assertThat(body.get("more").asBoolean(), is(false));
        JsonNode entries = body.get("history");
        assertThat(entries.get(0).get("time").asText(), is("2026-09-01T10:00:00Z"));
        assertThat(entries.get(0).get("record").get("port").asInt(), is(1));
        assertThat(
                entries.get(1).get("changes").toString(), is("{\"port\":2,\"metadata\":{\"type\":\"vllm\",\"v\":2}}"));
        assertThat(
                entries.get(2).get("old").asText() + ">"
                        + entries.get(2).get("new").asText() + " "
                        + entries.get(2).get("detail").asText(),
                is("unknown>healthy HTTP 200"));
        assertThat(entries.get(3).get("detail").asText(), is("HTTP 500"));
        assertThat(entries.get(4).get("time").asText(), is("2026-09-01T10:03:01Z"));
        assertThat(entries.get(5).get("age_seconds").asDouble(), is(301.0));
        assertThat(entries.get(5).get("record").get("health_status").asText(), is("unhealthy"));
        assertThat(body.get("available_from").asText(), is("2026-09-01T10:00:00Z"));
    }

    @Test
    void historyWithHeartbeatsListsThemAndFiltersByTimeAndLimit() throws Exception {
        ScriptedLifecycle.play(registry, clock);
        String base = "/services/" + ScriptedLifecycle.NAME + "/history";

        JsonNode all = http.get(base + "?heartbeats=true").json();
        assertThat(all.get("count").asInt(), is(12));
        assertThat(all.get("history").get(1).get("type").asText(), is("heartbeat"));
        assertThat(all.get("history").get(1).has("heartbeats_before"), is(false));
        assertThat(all.get("history").get(2).get("status").asText(), is("running"));

        JsonNode window = http.get(base + "?since=2026-09-01T10:00:30Z&until=" + epoch("2026-09-01T10:00:50Z"))
                .json();
        assertThat(
                summaries(window.get("history")),
                is(List.of("updated client 2", "health-checked check 0", "health-checked check 0")));

        JsonNode limited = http.get(base + "?limit=2").json();
        assertThat(limited.get("count").asInt(), is(2));
        assertThat(limited.get("more").asBoolean(), is(true));
    }

    @Test
    void historyOfAnUnknownNameIs404() {
        Http.Reply reply = http.get("/services/nobody/history");
        assertThat(reply.status(), is(404));
        assertThat(reply.json().get("error").asText(), is("No history for service 'nobody'"));
    }

    @ParameterizedTest
    @CsvSource(
            delimiter = '|',
            value = {
                "/services/x/history?since=yesterday|since",
                "/services/x/history?until=2026-13-01T00:00:00Z|until",
                "/services/x/history?limit=0|limit",
                "/services/x/history?limit=abc|limit",
                "/services/x/history?heartbeats=maybe|heartbeats",
                "/events?from=-5|from",
                "/events?limit=100000|limit",
                "/services?at=noon|at",
                "/services?at_index=x|at_index",
                "/diff?from=2026-09-01T10:00:00Z|to",
                "/diff?to=2026-09-01T10:00:00Z|from",
                "/diff?from=x&to=y|from"
            })
    void badParametersAre400NamingThem(String path, String parameter) {
        register("x");
        Http.Reply reply = http.get(path);
        assertThat(path, reply.status(), is(400));
        assertThat(reply.json().get("error").asText(), containsString("'" + parameter + "'"));
    }

    @Test
    void timesBeforeTheLogSayWhenHistoryIsAvailable() {
        register("x");
        Http.Reply reply = http.get("/services?at=2020-01-01T00:00:00Z");
        assertThat(reply.status(), is(400));
        assertThat(reply.json().get("available_from").asText(), is("2026-09-01T10:00:00Z"));
        assertThat(
                http.get("/diff?from=2020-01-01T00:00:00Z&to=2026-09-01T10:00:00Z")
                        .json()
                        .get("available_from")
                        .asText(),
                is("2026-09-01T10:00:00Z"));
        Http.Reply since = http.get("/services/x/history?since=2020-01-01T00:00:00Z");
        assertThat(since.status(), is(400));
        assertThat(since.json().get("error").asText(), containsString("'since' 2020-01-01T00:00:00Z is before"));
        assertThat(since.json().get("available_from").asText(), is("2026-09-01T10:00:00Z"));
        assertThat(http.get("/services/x/history?until=2020-01-01T00:00:00Z").status(), is(400));
        assertThat(http.get("/services/x/history?since=2026-09-01T10:00:00Z").status(), is(200));
    }

    @Test
    void epochSecondsAreOnePlainDecimalFormEverywhere() throws Exception {
        register("x");
        clock.advance(Duration.ofSeconds(121));
        registry.server().sweepNow(); // an expiry carries last_heartbeat as a number of its own
        String record = http.get("/services/x").body();
        String history = http.get("/services/x/history").body();
        String events = http.get("/events").body();
        String diff = http.get("/diff?from=2026-09-01T10:00:00Z&to=2026-09-01T10:05:00Z")
                .body();
        for (String body : List.of(record, history, events, diff)) {
            assertThat(body, not(matchesPattern("(?s).*\\d\\.\\d+E\\d.*")));
        }
        assertThat(history, containsString("\"last_heartbeat\":1788256800.0"));
        assertThat(record, containsString("\"last_heartbeat\":1788256800.0"));
    }

    @Test
    void eventFeedPagesThroughTheWholeLogWithFilters() {
        for (int i = 0; i < 30; i++) {
            clock.advance(Duration.ofMillis(10));
            register("svc-" + (i % 3));
            http.send("POST", "/services/svc-" + (i % 3) + "/heartbeat", null);
        }
        List<Long> logIndexes =
                registry.logEvents().stream().map(LoggedEvent::index).toList();

        List<Long> paged = new ArrayList<>();
        String next = "";
        for (int page = 0; page < 100; page++) {
            JsonNode body = http.get("/events?limit=7" + next).json();
            body.get("events").forEach(e -> paged.add(e.get("index").asLong()));
            next = "&from=" + body.get("next").asLong();
            if (body.get("count").asInt() == 0) {
                break;
            }
        }
        assertThat(paged, is(logIndexes));

        JsonNode filtered =
                http.get("/events?type=heartbeat&service=svc-1&limit=1000").json();
        assertThat(filtered.get("count").asInt(), is(10));
        filtered.get("events").forEach(e -> {
            assertThat(e.get("type").asText(), is("heartbeat"));
            assertThat(e.get("name").asText(), is("svc-1"));
        });
    }

    @Test
    void pointInTimeViewsAndDiffsAgreeWithAnIndependentFold() {
        Random random = new Random(11);
        for (int i = 0; i < 300; i++) {
            clock.advance(Duration.ofMillis(1 + random.nextInt(2000)));
            String name = "svc-" + random.nextInt(15);
            switch (random.nextInt(4)) {
                case 0 ->
                    http.post("/services", Http.registration(name, 1 + random.nextInt(60000), "{\"i\":" + i + "}"));
                case 1 ->
                    http.send(
                            "POST",
                            "/services/" + name + "/heartbeat",
                            random.nextBoolean()
                                    ? null
                                    : "{\"status\":\"" + (random.nextBoolean() ? "running" : "draining") + "\"}");
                case 2 -> http.put("/services/" + name, "{\"port\":" + (1 + random.nextInt(60000)) + "}");
                default -> http.delete("/services/" + name);
            }
        }
        List<LoggedEvent> events = registry.logEvents();
        Instant first = events.getFirst().event().time();
        Instant last = events.getLast().event().time();
        for (int i = 0; i < 40; i++) {
            Instant at = first.plusMillis(
                    (long) (random.nextDouble() * Duration.between(first, last).toMillis()));
            JsonNode past = http.get("/services?at=" + at).json();
            assertThat(recordsOf(past.get("services")), is(IndependentFold.fold(until(events, at))));
            assertThat(past.get("at").asText(), is(at.toString()));

            Instant to = at.plusMillis(
                    (long) (random.nextDouble() * Duration.between(at, last).toMillis()));
            JsonNode diff = http.get("/diff?from=" + at + "&to=" + to).json();
            Map<String, ServiceRecord> before = IndependentFold.fold(until(events, at));
            Map<String, ServiceRecord> after = IndependentFold.fold(until(events, to));
            List<String> added = new ArrayList<>();
            diff.get("added").forEach(r -> added.add(r.get("name").asText()));
            List<String> removed = new ArrayList<>();
            diff.get("removed").forEach(r -> removed.add(r.get("name").asText()));
            List<String> changed = new ArrayList<>();
            diff.get("changed").forEach(c -> changed.add(c.get("name").asText()));
            assertThat(
                    added.stream().sorted().toList(),
                    is(after.keySet().stream()
                            .filter(n -> !before.containsKey(n))
                            .toList()));
            assertThat(
                    removed.stream().sorted().toList(),
                    is(before.keySet().stream()
                            .filter(n -> !after.containsKey(n))
                            .toList()));
            assertThat(
                    changed.stream().sorted().toList(),
                    is(after.keySet().stream()
                            .filter(n -> before.containsKey(n) && !before.get(n).equals(after.get(n)))
                            .toList()));
        }
        LoggedEvent pick = events.get(events.size() / 2);
        JsonNode byIndex = http.get("/services?at_index=" + pick.index()).json();
        assertThat(
                recordsOf(byIndex.get("services")),
                is(IndependentFold.fold(events.stream()
                        .filter(e -> e.index() <= pick.index())
                        .map(LoggedEvent::event)
                        .toList())));
    }

    private static List<RegistryEvent> until(List<LoggedEvent> events, Instant at) {
        return events.stream()
                .filter(e -> !e.event().time().isAfter(at))
                .map(LoggedEvent::event)
                .toList();
    }

    private static Map<String, ServiceRecord> recordsOf(JsonNode services) {
        Map<String, ServiceRecord> out = new TreeMap<>();
        for (JsonNode s : services) {
            com.fasterxml.jackson.databind.node.ObjectNode copy = s.deepCopy();
            copy.remove("is_healthy");
            out.put(s.get("name").asText(), JSON.convertValue(copy, ServiceRecord.class));
        }
        return out;
    }

    private static List<String> summaries(JsonNode entries) {
        List<String> out = new ArrayList<>();
        entries.forEach(e -> out.add(e.get("type").asText() + " "
                + e.get("cause").asText() + " " + e.path("heartbeats_before").asInt(-1)));
        return out;
    }

    private static String epoch(String iso) {
        return Long.toString(Instant.parse(iso).getEpochSecond());
    }
}
