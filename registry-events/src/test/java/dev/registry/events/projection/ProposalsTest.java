package dev.registry.events.projection;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.is;

import dev.registry.events.SampleEvents;
import dev.registry.events.event.HealthChecked;
import dev.registry.events.event.HeartbeatReceived;
import dev.registry.events.event.LeaseGranted;
import dev.registry.events.event.RegistryEvent;
import dev.registry.events.event.ServiceDeregistered;
import dev.registry.events.event.ServiceEvicted;
import dev.registry.events.event.ServiceExpired;
import dev.registry.events.event.ServiceRegistered;
import dev.registry.events.log.LoggedEvent;
import java.time.Instant;
import org.junit.jupiter.api.Test;

/**
 * Events proposed by nodes whose views lag (a log several nodes share): each takes effect only if
 * it still holds at its place, so every node that folds the log ends in the same state.
 */
class ProposalsTest {

    private static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");
    private final RegistryView view = new RegistryView();
    private long index;

    @Test
    void aHeartbeatAfterItsRecordLeftTakesNoEffectButTheIndexPasses() {
        assertThat(apply(new ServiceRegistered(T0, SampleEvents.record("a", T0), false)), is(true));
        assertThat(apply(new ServiceDeregistered(T0.plusSeconds(1), "a")), is(true));
        assertThat(apply(new HeartbeatReceived(T0.plusSeconds(1), "a", null, "client")), is(false));
        assertThat(apply(new ServiceDeregistered(T0.plusSeconds(2), "a")), is(false));
        assertThat(view.get("a").isPresent(), is(false));
        assertThat(view.lastIndex(), is(index));
    }

    @Test
    void anExpiryOrEvictionDecidedBeforeAHeartbeatLosesToIt() {
        apply(new ServiceRegistered(T0, SampleEvents.record("a", T0), false));
        double beat = view.get("a").orElseThrow().lastHeartbeat();
        apply(new HeartbeatReceived(T0.plusSeconds(200), "a", null, "client"));
        assertThat(apply(new ServiceExpired(T0.plusSeconds(201), "a", beat)), is(false));
        assertThat(view.isExpired("a"), is(false));
        assertThat(apply(new ServiceEvicted(T0.plusSeconds(400), SampleEvents.record("a", T0), 400)), is(false));
        assertThat(view.get("a").isPresent(), is(true));
    }

    @Test
    void anExpiryTakesEffectOnceAndAnEvictionOnce() {
        apply(new ServiceRegistered(T0, SampleEvents.record("a", T0), false));
        double beat = view.get("a").orElseThrow().lastHeartbeat();
        assertThat(apply(new ServiceExpired(T0.plusSeconds(121), "a", beat)), is(true));
        assertThat(apply(new ServiceExpired(T0.plusSeconds(121), "a", beat)), is(false));
        assertThat(apply(new ServiceEvicted(T0.plusSeconds(301), SampleEvents.record("a", T0), 301)), is(true));
        assertThat(apply(new ServiceEvicted(T0.plusSeconds(302), SampleEvents.record("a", T0), 302)), is(false));
    }

    @Test
    void theLeaseIsTakenWhenItRanOutRenewedByItsHolderAndNothingElse() {
        Instant t = T0;
        assertThat(apply(new LeaseGranted(t, "n1", 2, t.plusSeconds(5))), is(false)); // the first is epoch 1
        assertThat(apply(new LeaseGranted(t, "n1", 1, t.plusSeconds(5))), is(true));
        assertThat(apply(new LeaseGranted(t.plusSeconds(1), "n2", 2, t.plusSeconds(6))), is(false)); // still held
        assertThat(apply(new LeaseGranted(t.plusSeconds(2), "n1", 1, t.plusSeconds(7))), is(true)); // renewed
        assertThat(view.lease().orElseThrow().until(), is(t.plusSeconds(7)));
        assertThat(apply(new LeaseGranted(t.plusSeconds(8), "n2", 2, t.plusSeconds(13))), is(true)); // ran out: taken
        assertThat(apply(new LeaseGranted(t.plusSeconds(9), "n3", 2, t.plusSeconds(14))), is(false)); // lost the race
        assertThat(apply(new LeaseGranted(t.plusSeconds(9), "n1", 1, t.plusSeconds(14))), is(false)); // old holder
        assertThat(view.lease().orElseThrow().holder(), is("n2"));
    }

    @Test
    void timeDrivenEventsActOnlyUnderTheCurrentLease() {
        apply(new ServiceRegistered(T0, SampleEvents.record("a", T0), false));
        double beat = view.get("a").orElseThrow().lastHeartbeat();
        apply(new LeaseGranted(T0, "n1", 1, T0.plusSeconds(200)));
        apply(new LeaseGranted(T0.plusSeconds(201), "n2", 2, T0.plusSeconds(400)));
        assertThat(apply(new ServiceExpired(T0.plusSeconds(202), "a", beat, 1)), is(false)); // the old holder
        assertThat(
                apply(new HealthChecked(T0.plusSeconds(202), "a", "unknown", "healthy", "HTTP 200", "check", 1)),
                is(false));
        assertThat(apply(new ServiceExpired(T0.plusSeconds(202), "a", beat, 2)), is(true));
        assertThat(
                apply(new ServiceEvicted(T0.plusSeconds(401), SampleEvents.record("a", T0), 401, 2)),
                is(false)); // after its lease ran out
        assertThat(
                apply(new HealthChecked(T0.plusSeconds(203), "a", "unknown", "healthy", "HTTP 200", "probe")),
                is(true)); // a client's live check needs no lease
    }

    private boolean apply(RegistryEvent e) {
        return Projector.apply(view, new LoggedEvent(++index, e));
    }
}
