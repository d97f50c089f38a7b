package dev.registry.events.snapshot;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsInAnyOrder;
import static org.hamcrest.Matchers.is;

import dev.registry.events.SampleEvents;
import dev.registry.events.audit.HistoryIndex;
import dev.registry.events.event.LeaseGranted;
import dev.registry.events.event.ServiceRegistered;
import dev.registry.events.log.LoggedEvent;
import dev.registry.events.projection.Projector;
import dev.registry.events.projection.RegistryView;
import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.zip.CRC32C;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A snapshot gives back the view it was taken of, the lease of a shared log and the history included. */
class SnapshotStoreTest {

    private static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");

    @TempDir
    Path dir;

    @Test
    void theViewAndItsLeaseComeBackAsTheyWere() throws Exception {
        RegistryView view = new RegistryView();
        Projector.apply(view, new LoggedEvent(7, new ServiceRegistered(T0, SampleEvents.record("a", T0), false)));
        Projector.apply(view, new LoggedEvent(8, new LeaseGranted(T0, "node-2", 3, T0.plusSeconds(5))));
        new SnapshotStore(dir, 3).write(new Snapshot(8, view, Map.of()));

        Optional<Snapshot> loaded = new SnapshotStore(dir, 3).loadNewest();
        assertThat(loaded.isPresent(), is(true));
        assertThat(loaded.get().view().snapshot(), is(view.snapshot()));
        assertThat(loaded.get().view().lease(), is(view.lease()));
        assertThat(loaded.get().view().lastIndex(), is(8L));
    }

    @Test
    void aViewWithoutALeaseHasNoneAfterwards() throws Exception {
        RegistryView view = new RegistryView();
        Projector.apply(view, new LoggedEvent(1, new ServiceRegistered(T0, SampleEvents.record("a", T0), false)));
        new SnapshotStore(dir, 3).write(new Snapshot(1, view, Map.of()));
        assertThat(
                new SnapshotStore(dir, 3)
                        .loadNewest()
                        .orElseThrow()
                        .view()
                        .lease()
                        .isPresent(),
                is(false));
    }

    @Test
    void whatAKillDuringAWriteLeftIsRemovedAndWholeSnapshotsStay() throws Exception {
        RegistryView view = new RegistryView();
        Projector.apply(view, new LoggedEvent(1, new ServiceRegistered(T0, SampleEvents.record("a", T0), false)));
        SnapshotStore store = new SnapshotStore(dir, 3);
        Path whole = store.write(new Snapshot(1, view, Map.of()));
        Path cutSnapshot = store.directory().resolve("snapshot-00000000000000000002.snap.tmp");
        Path cutBase = store.directory().resolve("retention-base.snap.tmp");
        Path cutImport = store.directory().resolve("incoming-123456.tmp");
        Path notOurs = store.directory().resolve("notes.txt");
        for (Path f : List.of(cutSnapshot, cutBase, cutImport, notOurs)) {
            Files.write(f, new byte[] {'R', 'E', 'G'});
        }

        assertThat(store.removeUnfinished(), containsInAnyOrder(cutSnapshot, cutBase, cutImport));

        try (var left = Files.list(store.directory())) {
            assertThat(left.toList(), containsInAnyOrder(whole, notOurs));
        }
        assertThat(store.loadNewest().orElseThrow().index(), is(1L));
    }

    @Test
    void historyTimelinesComeBackAsTheyWere() throws Exception {
        // indexes as Chronicle gives them: a roll cycle in the high bits, so gaps of any size
        long cycle = 20_000L << 32;
        HistoryIndex.Snapshot busy = new HistoryIndex.Snapshot(
                new long[] {cycle + 3, cycle + 17, cycle + 9_000, 2 * cycle + 1},
                new int[] {0, 5, 0, 40},
                7,
                1,
                2 * cycle + 8);
        HistoryIndex.Snapshot quiet =
                new HistoryIndex.Snapshot(new long[] {cycle + 4}, new int[] {0}, 0, cycle + 4, cycle + 4);
        HistoryIndex.Snapshot none = new HistoryIndex.Snapshot(new long[0], new int[0], 3, -1, Long.MAX_VALUE);
        RegistryView view = new RegistryView();
        Projector.apply(view, new LoggedEvent(7, new ServiceRegistered(T0, SampleEvents.record("a", T0), false)));
        new SnapshotStore(dir, 3).write(new Snapshot(2 * cycle + 8, view, Map.of("a", busy, "b", quiet, "c", none)));

        Map<String, HistoryIndex.Snapshot> history =
                new SnapshotStore(dir, 3).loadNewest().orElseThrow().history();
        assertThat(history.keySet(), containsInAnyOrder("a", "b", "c"));
        assertSameTimeline(history.get("a"), busy);
        assertSameTimeline(history.get("b"), quiet);
        assertSameTimeline(history.get("c"), none);
    }

    @Test
    void aFormatOneFileLaidOutByHandIsRead() throws Exception {
        String json = """
                {"format":1,"index":42,"last_event_time":"2026-01-01T00:00:00Z",\
                "eviction_grace_until":"2026-01-01T00:00:00Z","records":[],\
                "history":{"a":{"entries":[3,17,42],"heartbeats_before":[0,2,1],"heartbeats_after_last":4,\
                "first_index":3,"last_index":42}}}""";
        SnapshotStore store = new SnapshotStore(dir, 3);
        Files.createDirectories(store.directory());
        Files.write(store.directory().resolve("snapshot-00000000000000000042.snap"), snapshotFile(json));

        Snapshot loaded = store.loadNewest().orElseThrow();
        assertThat(loaded.index(), is(42L));
        assertSameTimeline(
                loaded.history().get("a"),
                new HistoryIndex.Snapshot(new long[] {3, 17, 42}, new int[] {0, 2, 1}, 4, 3, 42));
    }

    @Test
    void aSnapshotOfAFormatNotKnownYetIsSkipped() throws Exception {
        SnapshotStore store = new SnapshotStore(dir, 3);
        Files.createDirectories(store.directory());
        Files.write(
                store.directory().resolve("snapshot-00000000000000000042.snap"),
                snapshotFile("{\"format\":2,\"index\":42}"));
        assertThat(store.loadNewest().isPresent(), is(false));
    }

    /** A snapshot file as the store lays it out: magic, CRC32C and length of the body, gzipped JSON. */
    private static byte[] snapshotFile(String json) throws Exception {
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        try (GZIPOutputStream gz = new GZIPOutputStream(body)) {
            gz.write(json.getBytes(StandardCharsets.UTF_8));
        }
        CRC32C crc = new CRC32C();
        crc.update(body.toByteArray());
        return ByteBuffer.allocate(24 + body.size())
                .put("REGSNAP1".getBytes(StandardCharsets.US_ASCII))
                .putLong(crc.getValue())
                .putLong(body.size())
                .put(body.toByteArray())
                .array();
    }

    private static void assertSameTimeline(HistoryIndex.Snapshot actual, HistoryIndex.Snapshot expected) {
        assertThat(actual.entries(), is(expected.entries()));
        assertThat(actual.heartbeatsBefore(), is(expected.heartbeatsBefore()));
        assertThat(actual.heartbeatsAfterLast(), is(expected.heartbeatsAfterLast()));
        assertThat(actual.firstIndex(), is(expected.firstIndex()));
        assertThat(actual.lastIndex(), is(expected.lastIndex()));
    }
}
