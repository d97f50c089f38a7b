package dev.registry.server.retention;

import static org.awaitility.Awaitility.await;
import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.empty;
import static org.hamcrest.Matchers.hasSize;
import static org.hamcrest.Matchers.is;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.fasterxml.jackson.databind.JsonNode;
import dev.registry.events.log.ChronicleEventLog.RollFile;
import dev.registry.events.log.RollPeriod;
import dev.registry.events.snapshot.SnapshotStore;
import dev.registry.server.testing.Http;
import dev.registry.server.testing.MutableClock;
import dev.registry.server.testing.SseClient;
import dev.registry.server.testing.TestRegistry;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Retention deletes whole hourly files past the retention once a snapshot lies beyond them; what
 * is left answers every question from the deleted part's end on exactly as before, also after a
 * restart, and a start that could only replay a partial log refuses.
 */
class RetentionTest {

    private static final Instant T0 = Instant.parse("2026-11-01T00:00:00Z");

    @TempDir
    Path dataDir;

    private final MutableClock clock = new MutableClock(T0);

    private TestRegistry start() {
        // lifetimes of days: no expiry or eviction races the test's own events through the hours
        return new TestRegistry(
                dataDir,
                s -> s.toBuilder()
                        .roll(RollPeriod.HOURLY)
                        .retention(Duration.ofHours(2))
                        .heartbeatTtl(Duration.ofDays(1))
                        .staleAfter(Duration.ofDays(2))
                        .snapshotEvery(3)
                        .snapshotInterval(Duration.ZERO)
                        .build(),
                clock);
    }

    @Test
    void deletesCoveredFilesAndAnswersTheSameFromTheirEndOn() throws IOException {
        Map<String, JsonNode> before = new LinkedHashMap<>();
        try (TestRegistry registry = start()) {
            Http http = registry.http();
            long firstIndex = play(registry);
            for (String t : List.of("02:00", "02:30", "03:30", "04:30")) {
                before.put(t, records(http.get("/services?at=" + time(t))));
            }
            before.put("now", records(http.get("/services")));
            assertThat(http.get("/services/a/history").json().get("history").size(), is(2)); // registered, updated
            assertThat(logFiles(), hasSize(6)); // hours 0 to 4, and the queue's metadata

            assertThat(http.get("/services/b/history").status(), is(200));
            List<RollFile> deleted = registry.server().pruneNow();
            // b lived and went in the deleted hours: nothing of it is left, not even in memory
            assertThat(http.get("/services/b/history").status(), is(404));
            assertThat(http.get("/services/a/history").status(), is(200));

            assertThat(
                    deleted.stream().map(f -> f.start().toString()).toList(),
                    is(List.of(time("00:00"), time("01:00"))));
            assertThat(logFiles(), hasSize(4));
            assertSameAnswers(http, before);
            Http.Reply tooOld = http.get("/services?at=" + time("01:20"));
            assertThat(tooOld.status(), is(400));
            assertThat(tooOld.json().get("available_from").asText(), is(time("01:50")));
            JsonNode history = http.get("/services/a/history").json();
            assertThat(history.get("available_from").asText(), is(time("01:50")));
            for (JsonNode entry : history.get("history")) { // what is left of a's history: after the cut only
                assertThat(
                        entry.toString(),
                        Instant.parse(entry.get("time").asText()).isAfter(Instant.parse(time("01:50"))),
                        is(true));
            }
            assertThat(
                    http.get("/services/a").json().get("metadata").get("model").asText(), is("m1"));
            assertThat(http.get("/events").json().get("available_from").asText(), is(time("01:50")));
            assertThat(registry.server().pruneNow(), is(empty())); // nothing more is due yet
            try (SseClient stream = SseClient.connect(http.base(), "/events/stream", firstIndex)) {
                await().atMost(Duration.ofSeconds(10))
                        .until(() -> !stream.events().isEmpty());
                SseClient.Event gap = stream.events().getFirst();
                assertThat(gap.type(), is("history-gap"));
                assertThat(gap.data(), containsString("\"missed_after\":" + firstIndex));
            }
        }

        try (TestRegistry registry = start()) { // from the newest snapshot
            assertSameAnswers(registry.http(), before);
            assertThat(registry.http().get("/services/b/history").status(), is(404));
        }
        deleteSnapshots("snapshot-");
        try (TestRegistry registry = start()) { // from the retention base and every file kept
            assertThat(registry.server().recovery().snapshotIndex().isPresent(), is(true));
            assertSameAnswers(registry.http(), before);
        }

        deleteSnapshots(""); // the numbered ones the last start wrote, and the retention base
        IllegalStateException refused = assertThrows(IllegalStateException.class, this::start);
        assertThat(refused.getMessage(), containsString("refusing to start on a partial history"));
    }

    @Test
    void aCrashBeforeTheDeletionsStartsCorrectlyAndTheNextRoundFinishesThem() throws IOException {
        JsonNode at0230;
        JsonNode now;
        Path saved = Files.createDirectories(dataDir.resolveSibling(dataDir.getFileName() + "-saved"));
        List<Path> deletedFiles;
        try (TestRegistry registry = start()) {
            play(registry);
            at0230 = records(registry.http().get("/services?at=" + time("02:30")));
            now = records(registry.http().get("/services"));
            List<Path> before = logFiles();
            for (Path f : before) {
                Files.copy(f, saved.resolve(f.getFileName()));
            }
            assertThat(registry.server().pruneNow(), hasSize(2));
            deletedFiles = before.stream().filter(f -> !Files.exists(f)).toList();
        }
        // as if the process had died after writing the base and the marker, before deleting
        for (Path f : deletedFiles) {
            Files.copy(saved.resolve(f.getFileName()), f);
        }
        deleteSnapshots("snapshot-"); // and start from the retention base, not a later snapshot
        try (TestRegistry registry = start()) {
            Http http = registry.http();
            assertThat(records(http.get("/services?at=" + time("02:30"))), is(at0230));
            assertThat(http.get("/services?at=" + time("01:20")).status(), is(400));
            assertThat(records(http.get("/services")), is(now));
            SnapshotStore store = new SnapshotStore(dataDir, 3);
            await().atMost(Duration.ofSeconds(30))
                    .until(() -> store.newestIndex().isPresent());

            assertThat(registry.server().pruneNow(), hasSize(2)); // the same two files, again
            assertThat(records(http.get("/services?at=" + time("02:30"))), is(at0230));
        }
        for (Path f : deletedFiles) {
            assertThat(f.toString(), Files.exists(f), is(false));
        }
    }

    /**
     * Events from 00:10 to 04:30 in hourly files, ending with a snapshot in the newest file.
     *
     * @return the index of the first event
     */
    private long play(TestRegistry registry) {
        Http http = registry.http();
        at("00:10");
        ok(http.post("/services", Http.registration("a", 1, null)));
        ok(http.post("/services", Http.registration("b", 2, null)));
        long firstIndex = registry.logEvents().getFirst().index();
        at("00:40");
        ok(http.put("/services/a", "{\"metadata\": {\"model\": \"m1\"}}"));
        ok(http.post("/services/b/heartbeat", ""));
        at("01:10");
        ok(http.delete("/services/b"));
        ok(http.post("/services", Http.registration("c", 3, null)));
        at("01:50");
        ok(http.post("/services/a/heartbeat", ""));
        at("02:20");
        ok(http.post("/services", Http.registration("d", 4, null)));
        at("03:20");
        ok(http.post("/services/c/heartbeat", ""));
        at("04:30");
        ok(http.post("/services/a/heartbeat", ""));
        long newestFileStart = registry.server().view().lastIndex();
        SnapshotStore store = new SnapshotStore(dataDir, 3);
        // a snapshot in the newest file; one is skipped while the one before is still being
        // written, so heartbeats go on until it is there
        await().atMost(Duration.ofSeconds(30)).until(() -> {
            ok(http.post("/services/a/heartbeat", ""));
            return store.newestIndex().orElse(-1) >= newestFileStart;
        });
        return firstIndex;
    }

    private void deleteSnapshots(String prefix) throws IOException {
        try (Stream<Path> snapshots = Files.list(dataDir.resolve("snapshots"))) {
            for (Path p : snapshots
                    .filter(p -> p.getFileName().toString().startsWith(prefix))
                    .toList()) {
                Files.delete(p);
            }
        }
    }

    private void assertSameAnswers(Http http, Map<String, JsonNode> before) {
        for (var e : before.entrySet()) {
            String path = e.getKey().equals("now") ? "/services" : "/services?at=" + time(e.getKey());
            Http.Reply reply = http.get(path);
            assertThat(path, reply.status(), is(200));
            assertThat(path, records(reply), is(e.getValue()));
        }
        assertThat(http.get("/services?at=" + time("01:50")).status(), is(200));
    }

    private static JsonNode records(Http.Reply reply) {
        assertThat(reply.body(), reply.status(), is(200));
        return reply.json().get("services");
    }

    private static void ok(Http.Reply reply) {
        assertThat(reply.body(), reply.status() / 100, is(2));
    }

    private void at(String hhmm) {
        clock.set(Instant.parse(time(hhmm)));
    }

    private static String time(String hhmm) {
        return "2026-11-01T" + hhmm + ":00Z";
    }

    private List<Path> logFiles() throws IOException {
        try (Stream<Path> files = Files.list(dataDir)) {
            return files.filter(p -> p.getFileName().toString().endsWith(".cq4")
                            || p.getFileName().toString().equals("metadata.cq4t"))
                    .toList();
        }
    }
}
