package dev.registry.events.snapshot;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsInAnyOrder;
import static org.hamcrest.Matchers.is;

import dev.registry.events.SampleEvents;
import dev.registry.events.event.LeaseGranted;
import dev.registry.events.event.ServiceRegistered;
import dev.registry.events.log.LoggedEvent;
import dev.registry.events.projection.Projector;
import dev.registry.events.projection.RegistryView;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A snapshot gives back the view it was taken of, the lease of a shared log included. */
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
}
