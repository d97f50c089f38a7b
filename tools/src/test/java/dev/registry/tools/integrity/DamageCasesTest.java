package dev.registry.tools.integrity;

import static org.awaitility.Awaitility.await;
import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.in;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.matchesPattern;
import static org.hamcrest.Matchers.not;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import com.fasterxml.jackson.databind.JsonNode;
import dev.registry.events.event.ServiceUpdated;
import dev.registry.events.log.FileBytes;
import dev.registry.events.log.LoggedEvent;
import dev.registry.events.snapshot.SnapshotStore;
import dev.registry.server.RegistryServer;
import dev.registry.server.config.RegistrySettings;
import dev.registry.server.discovery.EventStream;
import dev.registry.server.testing.ChildRegistry;
import dev.registry.server.testing.Http;
import dev.registry.server.testing.LogDamage;
import dev.registry.server.testing.SseClient;
import dev.registry.server.testing.TestRegistry;
import dev.registry.tools.ToolRun;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;
import org.hamcrest.Matcher;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Each damage an operator found, done the same way to a directory with a few records: start-up
 * refuses with one clear line (file, what is wrong, what to run) within seconds, or, where the
 * damage lies before the snapshot it starts from, serves the right values and answers the reads
 * that need the damaged event with a 500; verify fails naming it; {@code --repair} ends in a server
 * that starts, never serving a changed value, and the repaired directory verifies and restarts.
 */
class DamageCasesTest {

    /**
     * The damaged event's value, 2003, as a number of its own: the events also carry the data
     * directory's path, a temp name of random digits that may hold "2003" inside it.
     */
    private static final Matcher<String> DAMAGED_VALUE =
            matchesPattern(Pattern.compile(".*(?<![0-9])2003(?![0-9]).*", Pattern.DOTALL));

    /** Record names, ports as registered; record-2 moves to port 2002, the value damage changes. */
    private static final int RECORDS = 5;

    private static final Map<String, Set<Integer>> VALUES = Map.of(
            "record-0",
            Set.of(1000),
            "record-1",
            Set.of(1001),
            "record-2",
            Set.of(1002, 2002),
            "record-3",
            Set.of(1003),
            "record-4",
            Set.of(1004));
    /** Words that mean a raw Chronicle error reached the operator. */
    private static final String[] RAW = {"Exception", "SCQSIndex", "Meta data not ready", "Unable to claim", "\n"};

    @TempDir
    Path tmp;

    enum Damage {
        PORT_DIGIT_CHANGED(false, "checksum mismatch"),
        NEWEST_FILE_DELETED(false, "no roll file is left"),
        NEWEST_FILE_EMPTIED(false, "empty (0 bytes)"),
        NEWEST_FILE_HEAD_ZEROED(false, "first 4096 bytes are zeroed"),
        NEWEST_FILE_CUT_TO_100_BYTES(false, "cut short to 100 bytes, inside its header"),
        NEWEST_FILE_CUT_TO_4096_BYTES(false, "cut short to 4096 bytes"),
        LOG_DELETED_SNAPSHOTS_LEFT(true, "no roll file is left"),
        METADATA_ZEROED(false, "metadata.cq4t: its first 4096 bytes are zeroed"),
        METADATA_DELETED(false, "metadata.cq4t: missing"),
        PORT_CHANGED_BEFORE_THE_NEWEST_SNAPSHOT(true, null),
        NAME_BYTE_CHANGED(false, "checksum mismatch"),
        HEARTBEAT_BIT_FLIPPED(false, "checksum mismatch");

        final boolean snapshots;
        /** What the refusal says; null when the start goes on from a snapshot after the damage. */
        final String refusal;

        Damage(boolean snapshots, String refusal) {
            this.snapshots = snapshots;
            this.refusal = refusal;
        }
    }

    @ParameterizedTest
    @EnumSource(Damage.class)
    void startUpVerifyAndRepairEachDealWithIt(Damage damage) throws Exception {
        Path data = tmp.resolve("data");
        long victim = write(data, damage.snapshots);
        apply(damage, data);

        ToolRun verify = ToolRun.inProcess("verify", "--json", "--data-dir", data.toString());
        assertThat(verify.toString(), verify.exit(), is(1));
        assertClear(verify.json().get("error").asText());
        if (damage.refusal != null) {
            assertThat(verify.json().get("error").asText(), containsString(damage.refusal));
            IllegalStateException refused = assertTimeoutPreemptively(
                    Duration.ofSeconds(20),
                    () -> assertThrows(
                            IllegalStateException.class,
                            () -> RegistryServer.start(defaults(data), Clock.systemUTC())));
            assertThat(refused.getMessage(), containsString(damage.refusal));
            assertThat(refused.getMessage(), containsString("--repair"));
            assertClear(refused.getMessage());
            IllegalStateException child = assertThrows(IllegalStateException.class, () -> ChildRegistry.start(data));
            assertThat(child.getMessage(), containsString("exited with 1"));
            assertThat(child.getMessage(), containsString(damage.refusal));
        } else {
            assertThat(verify.json().get("bad_index").asLong(), is(victim));
            servesTheValuesAsTheyWere(data, victim);
        }

        try (RegistryServer repaired = assertTimeoutPreemptively(
                Duration.ofSeconds(20),
                () -> RegistryServer.start(defaults(data).withRepair(true), Clock.systemUTC()))) {
            assertNoChangedValue(new Http(repaired.port()), damage);
        }
        ToolRun after = ToolRun.inProcess("verify", "--data-dir", data.toString());
        assertThat(after.toString(), after.exit(), is(0));
        try (TestRegistry again = new TestRegistry(data)) {
            assertNoChangedValue(again.http(), damage);
        }
    }

    /** Five records, heartbeats, one update (the victim of the value damage); returns the update's index. */
    private static long write(Path data, boolean snapshots) {
        try (TestRegistry registry =
                new TestRegistry(data, s -> s.withSnapshots(snapshots ? 4 : 0, Duration.ZERO), Clock.systemUTC())) {
            Http http = registry.http();
            for (int i = 0; i < RECORDS; i++) {
                http.post("/services", Http.registration("record-" + i, 1000 + i, null));
            }
            for (int i = 0; i < RECORDS; i++) {
                http.post("/services/record-" + i + "/heartbeat", null);
            }
            http.put("/services/record-2", "{\"port\":2002}");
            long update = registry.logEvents().stream()
                    .filter(e -> e.event() instanceof ServiceUpdated)
                    .map(LoggedEvent::index)
                    .findFirst()
                    .orElseThrow();
            for (int i = 0; i < 2 * RECORDS; i++) {
                http.post("/services/record-" + (i % RECORDS) + "/heartbeat", null);
            }
            if (snapshots) {
                SnapshotStore store = new SnapshotStore(data, 3);
                await().atMost(Duration.ofSeconds(30))
                        .until(() -> store.newestIndex().orElse(-1) > update);
            }
            return update;
        }
    }

    private static void apply(Damage damage, Path data) throws IOException {
        Path newest = LogDamage.newestRollFile(data);
        switch (damage) {
            // the JSON stays valid: only the checksum can tell
            case PORT_DIGIT_CHANGED, PORT_CHANGED_BEFORE_THE_NEWEST_SNAPSHOT ->
                LogDamage.changeByteOf(data, "\"port\":2002", 10, '3');
            case NEWEST_FILE_DELETED, LOG_DELETED_SNAPSHOTS_LEFT -> Files.delete(newest);
            case NEWEST_FILE_EMPTIED -> FileBytes.truncate(newest, 0);
            case NEWEST_FILE_HEAD_ZEROED -> FileBytes.zero(newest, 0, 4096);
            case NEWEST_FILE_CUT_TO_100_BYTES -> FileBytes.truncate(newest, 100);
            case NEWEST_FILE_CUT_TO_4096_BYTES -> FileBytes.truncate(newest, 4096);
            case METADATA_ZEROED ->
                FileBytes.zero(data.resolve("metadata.cq4t"), 0, (int) Files.size(data.resolve("metadata.cq4t")));
            case METADATA_DELETED -> Files.delete(data.resolve("metadata.cq4t"));
            case NAME_BYTE_CHANGED -> LogDamage.changeByteOf(data, "record-3", 7, '9');
            case HEARTBEAT_BIT_FLIPPED -> {
                // in a binary heartbeat, the name follows its length byte
                LogDamage.Excerpt heartbeat = LogDamage.excerptContaining(data, "\u0008record-4");
                FileBytes.flip(heartbeat.file(), heartbeat.header() + heartbeat.size() - 6, 0x10);
            }
        }
    }

    /** The damage lies before the snapshot the start uses: the live view is right, reads across it are 500s. */
    private static void servesTheValuesAsTheyWere(Path data, long victim) {
        try (TestRegistry registry = new TestRegistry(data)) {
            Http http = registry.http();
            assertThat(http.get("/services/record-2").json().get("port").asInt(), is(2002));
            for (String path :
                    new String[] {"/services/record-2/history", "/events?limit=10000", "/services?at_index=" + victim
                    }) {
                Http.Reply reply = http.get(path);
                assertThat(path, reply.status(), is(500));
                assertThat(path, reply.json().get("damaged_index").asLong(), is(victim));
                assertThat(path, reply.body(), not(DAMAGED_VALUE));
            }
            try (SseClient stream =
                    SseClient.connect("http://127.0.0.1:" + registry.server().port(), "/events/stream?from=0", null)) {
                await().atMost(Duration.ofSeconds(10)).until(stream::ended);
                SseClient.Event last = stream.events().getLast();
                assertThat(last.type(), is(EventStream.DAMAGED));
                assertThat(last.data(), containsString("\"damaged_index\":" + victim));
                assertThat(
                        stream.events().stream()
                                .map(SseClient.Event::data)
                                .toList()
                                .toString(),
                        not(DAMAGED_VALUE));
            }
        }
    }

    /** Whatever a repaired registry serves is a value some record had: the damaged one never. */
    private static void assertNoChangedValue(Http http, Damage damage) {
        JsonNode list = http.get("/services").json();
        for (JsonNode record : list.get("services")) {
            String name = record.get("name").asText();
            assertThat(name, in(VALUES.keySet()));
            assertThat(name, record.get("port").asInt(), is(in(VALUES.get(name))));
        }
        if (damage.snapshots) {
            // the newest snapshot had every record, record-2 on its new port
            assertThat(list.get("total").asInt(), is(RECORDS));
            assertThat(http.get("/services/record-2").json().get("port").asInt(), is(2002));
        }
        if (damage == Damage.METADATA_ZEROED || damage == Damage.METADATA_DELETED) {
            assertThat(list.get("total").asInt(), is(RECORDS)); // only the metadata was damaged
        }
    }

    private static void assertClear(String message) {
        for (String raw : RAW) {
            assertThat(message, not(containsString(raw)));
        }
    }

    private static RegistrySettings defaults(Path data) {
        return TestRegistry.testDefaults(data);
    }
}
