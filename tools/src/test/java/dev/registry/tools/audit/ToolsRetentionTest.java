package dev.registry.tools.audit;

import static org.awaitility.Awaitility.await;
import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.hasSize;
import static org.hamcrest.Matchers.is;

import com.fasterxml.jackson.databind.JsonNode;
import dev.registry.events.log.RollPeriod;
import dev.registry.events.snapshot.SnapshotStore;
import dev.registry.server.testing.Http;
import dev.registry.server.testing.MutableClock;
import dev.registry.server.testing.TestRegistry;
import dev.registry.tools.ToolRun;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** After retention deleted old files, the tools start from the retention base and answer as before. */
class ToolsRetentionTest {

    @TempDir
    Path dataDir;

    @Test
    void atReplayAndVerifyStartFromTheRetentionBase() throws Exception {
        MutableClock clock = new MutableClock(Instant.parse("2026-11-01T00:10:00Z"));
        String dir = dataDir.toString();
        JsonNode atBefore;
        try (TestRegistry registry = new TestRegistry(
                dataDir,
                s -> s.toBuilder()
                        .roll(RollPeriod.HOURLY)
                        .retention(Duration.ofHours(1))
                        .snapshotEvery(2)
                        .snapshotInterval(Duration.ZERO)
                        .build(),
                clock)) {
            Http http = registry.http();
            http.post("/services", Http.registration("early", 1, null));
            clock.set(Instant.parse("2026-11-01T00:40:00Z"));
            http.post("/services", Http.registration("gone", 2, null));
            clock.set(Instant.parse("2026-11-01T01:10:00Z"));
            http.delete("/services/gone");
            http.post("/services", Http.registration("late", 3, null));
            clock.set(Instant.parse("2026-11-01T02:30:00Z"));
            http.post("/services/early/heartbeat", "");
            http.post("/services/late/heartbeat", "");
            SnapshotStore store = new SnapshotStore(dataDir, 3);
            long newestFileStart = registry.server().view().lastIndex();
            // a snapshot in the newest file (one is skipped while the one before is being written)
            await().atMost(Duration.ofSeconds(30)).until(() -> {
                http.post("/services/late/heartbeat", "");
                return store.newestIndex().orElse(-1) >= newestFileStart;
            });
            atBefore = ToolRun.inProcess("at", "2026-11-01T01:30:00Z", "--json", "--data-dir", dir)
                    .json();
            assertThat(
                    ToolRun.inProcess("at", "2026-11-01T00:20:00Z", "--data-dir", dir)
                            .exit(),
                    is(0));

            assertThat(registry.server().pruneNow(), hasSize(1)); // the first hour's file
        }

        ToolRun at = ToolRun.inProcess("at", "2026-11-01T01:30:00Z", "--json", "--data-dir", dir);
        assertThat(at.toString(), at.exit(), is(0));
        assertThat(at.json(), is(atBefore));
        ToolRun tooEarly = ToolRun.inProcess("at", "2026-11-01T00:20:00Z", "--data-dir", dir);
        assertThat(tooEarly.exit(), is(2)); // before the newest deleted event (00:40): a moment it cannot answer
        assertThat(tooEarly.err(), containsString("2026-11-01T00:40:00Z"));
        JsonNode replay =
                ToolRun.inProcess("replay", "--json", "--data-dir", dir).json();
        assertThat(replay.get("records").asInt(), is(2));
        ToolRun verify = ToolRun.inProcess("verify", "--data-dir", dir);
        assertThat(verify.toString(), verify.exit(), is(0));

        Files.delete(dataDir.resolve("snapshots").resolve("retention-base.snap"));
        ToolRun partial = ToolRun.inProcess("replay", "--data-dir", dir);
        assertThat(partial.exit(), is(1));
        assertThat(partial.err(), containsString("the log alone is a partial history"));
    }
}
