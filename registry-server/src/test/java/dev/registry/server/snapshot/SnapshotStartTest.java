package dev.registry.server.snapshot;

import static org.awaitility.Awaitility.await;
import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.greaterThan;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.lessThan;
import static org.hamcrest.Matchers.lessThanOrEqualTo;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.registry.events.snapshot.SnapshotStore;
import dev.registry.server.testing.Http;
import dev.registry.server.testing.TestRegistry;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A start from a snapshot gives exactly the state of a full replay; damaged snapshots are skipped. */
class SnapshotStartTest {

    @TempDir
    Path dataDir;

    private TestRegistry start() {
        return new TestRegistry(dataDir, s -> s.withSnapshots(400, Duration.ZERO), java.time.Clock.systemUTC());
    }

    @Test
    void snapshotStartEqualsFullReplayAndDamagedSnapshotsAreSkipped() throws Exception {
        try (TestRegistry registry = start()) {
            churn(registry.http(), 3000);
            SnapshotStore store = new SnapshotStore(dataDir, 3);
            await().atMost(Duration.ofSeconds(30)).until(() -> store.files().size() == 3);
        }
        SnapshotStore store = new SnapshotStore(dataDir, 3);
        List<Path> files = store.files();
        assertThat(files.size(), lessThanOrEqualTo(3));
        try (var leftovers = Files.list(store.directory())) {
            assertThat(leftovers.filter(p -> p.toString().endsWith(".tmp")).count(), is(0L));
        }

        State fromSnapshot = state(files.getFirst(), null);

        Files.write(files.getFirst(), damaged(Files.readAllBytes(files.getFirst())));
        State fromOlder = state(files.get(1), null);

        for (Path f : files.subList(1, files.size())) {
            Files.write(f, damaged(Files.readAllBytes(f)));
        }
        State fullReplay = state(null, null);

        assertThat(fromSnapshot.list, is(fullReplay.list));
        assertThat(fromOlder.list, is(fullReplay.list));
        assertThat(fromSnapshot.history, is(fullReplay.history));
        assertThat(fromOlder.history, is(fullReplay.history));
        assertThat(fromSnapshot.replayed, lessThan(fullReplay.replayed));
    }

    @Test
    void aStartRemovesTheTemporaryFileOfASnapshotCutShortByAKill() throws Exception {
        SnapshotStore store = new SnapshotStore(dataDir, 3);
        try (TestRegistry registry = everyTwoEvents()) {
            for (int i = 0; i < 4; i++) {
                assertThat(
                        registry.http()
                                .post("/services", Http.registration("svc-" + i, 8000, null))
                                .status(),
                        is(201));
            }
            await().atMost(Duration.ofSeconds(30)).until(() -> !store.files().isEmpty());
        }
        Path whole = store.files().getFirst();
        // what a kill -9 in the middle of AtomicFile.write leaves: the first part of the new file
        Path cut = store.directory().resolve(whole.getFileName() + ".tmp");
        byte[] bytes = Files.readAllBytes(whole);
        Files.write(cut, java.util.Arrays.copyOf(bytes, bytes.length / 2));

        try (TestRegistry registry = everyTwoEvents()) {
            assertThat(Files.exists(cut), is(false));
            assertThat(Files.exists(whole), is(true));
            assertThat(registry.server().recovery().snapshotIndex().isPresent(), is(true));
        }
    }

    private TestRegistry everyTwoEvents() {
        return new TestRegistry(dataDir, s -> s.withSnapshots(2, Duration.ZERO), java.time.Clock.systemUTC());
    }

    private record State(JsonNode list, JsonNode history, long replayed) {}

    /** Starts on the directory, checks which snapshot it used, and reads the state. */
    private State state(Path expectedSnapshot, Void unused) {
        try (TestRegistry registry =
                new TestRegistry(dataDir, s -> s.withSnapshots(0, Duration.ZERO), java.time.Clock.systemUTC())) {
            var recovery = registry.server().recovery();
            if (expectedSnapshot == null) {
                assertThat(recovery.snapshotIndex().isPresent(), is(false));
            } else {
                assertThat(
                        recovery.snapshotIndex().orElseThrow(),
                        is(Long.parseLong(
                                expectedSnapshot.getFileName().toString().replaceAll("\\D", ""))));
            }
            ObjectNode list = (ObjectNode) registry.http().get("/services").json();
            list.remove("timestamp");
            list.withArray("services").forEach(s -> ((ObjectNode) s).remove("is_healthy"));
            JsonNode history =
                    registry.http().get("/services/svc-3/history?limit=10000").json();
            ((ObjectNode) history).remove("available_from");
            return new State(list, history, recovery.replayedEvents());
        }
    }

    private static void churn(Http http, int changes) {
        Random random = new Random(5);
        for (int i = 0; i < changes; i++) {
            String name = "svc-" + random.nextInt(40);
            switch (random.nextInt(8)) {
                case 0 ->
                    http.post("/services", Http.registration(name, 1 + random.nextInt(60000), "{\"i\":" + i + "}"));
                case 1 -> http.delete("/services/" + name);
                case 2 -> http.put("/services/" + name, "{\"status\":\"draining\"}");
                default -> http.send("POST", "/services/" + name + "/heartbeat", null);
            }
        }
        assertThat(http.get("/services").json().get("total").asInt(), greaterThan(0));
    }

    private static byte[] damaged(byte[] bytes) {
        byte[] copy = bytes.clone();
        copy[copy.length / 2] ^= 0x5A;
        return copy;
    }
}
