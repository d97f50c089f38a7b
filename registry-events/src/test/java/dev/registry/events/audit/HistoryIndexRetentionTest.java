package dev.registry.events.audit;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.is;

import dev.registry.events.event.HeartbeatReceived;
import dev.registry.events.event.ServiceDeregistered;
import dev.registry.events.log.LoggedEvent;
import java.time.Instant;
import org.junit.jupiter.api.Test;

/** After retention, the history index forgets deleted positions, and names with nothing left. */
class HistoryIndexRetentionTest {

    private static final Instant T = Instant.parse("2026-11-01T00:00:00Z");
    private final HistoryIndex index = new HistoryIndex();

    @Test
    void forgetsDeletedPositionsAndNamesWithNothingLeft() {
        index.apply(new LoggedEvent(1, new ServiceDeregistered(T, "gone")));
        index.apply(new LoggedEvent(2, new ServiceDeregistered(T, "kept")));
        index.apply(new LoggedEvent(3, new ServiceDeregistered(T, "registered")));
        index.apply(new LoggedEvent(4, new HeartbeatReceived(T, "kept", null, HeartbeatReceived.CAUSE_CLIENT)));
        index.apply(new LoggedEvent(6, new ServiceDeregistered(T, "kept")));

        index.forgetBefore(5, "registered"::equals);

        assertThat(index.timeline("gone").isPresent(), is(false));
        assertThat(index.timeline("registered").isPresent(), is(true)); // still in the view: kept
        HistoryIndex.Snapshot kept = index.timeline("kept").orElseThrow();
        assertThat(kept.entries().length, is(1));
        assertThat(kept.entries()[0], is(6L));
        assertThat(kept.firstIndex(), is(5L));

        index.apply(new LoggedEvent(7, new ServiceDeregistered(T, "gone"))); // the name comes back: a fresh timeline
        assertThat(index.timeline("gone").orElseThrow().entries()[0], is(7L));
        assertThat(index.timeline("gone").orElseThrow().firstIndex(), is(7L));
    }
}
