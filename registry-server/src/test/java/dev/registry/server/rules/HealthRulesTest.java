package dev.registry.server.rules;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.empty;
import static org.hamcrest.Matchers.instanceOf;
import static org.hamcrest.Matchers.is;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import dev.registry.api.ServiceRecord;
import dev.registry.events.event.HeartbeatReceived;
import dev.registry.events.event.RegistryEvent;
import dev.registry.events.event.RegistryStarted;
import dev.registry.events.event.ServiceEvicted;
import dev.registry.events.event.ServiceExpired;
import dev.registry.events.event.ServiceRegistered;
import dev.registry.events.log.LoggedEvent;
import dev.registry.events.projection.Projector;
import dev.registry.events.projection.RegistryView;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The health rules as pure functions of a view and a time: no server, no clock. */
class HealthRulesTest {

    private static final Instant T0 = Instant.parse("2026-06-01T00:00:00Z");
    private static final Duration TTL = Duration.ofSeconds(120);
    private static final Duration STALE = Duration.ofSeconds(300);

    private final HealthRules rules = new HealthRules(TTL, STALE);
    private final RegistryView view = new RegistryView();
    private final HealthDeadlines deadlines = new HealthDeadlines(rules, view);
    private final List<RegistryEvent> history = new ArrayList<>();
    private long index;

    @Test
    void healthyJustInsideTheTtlUnhealthyJustOutside() {
        ServiceRecord r = register("a", T0);
        assertThat(rules.isHealthy(r, T0.plus(TTL).minusSeconds(1)), is(true));
        assertThat(rules.isHealthy(r, T0.plus(TTL).minusNanos(1_000)), is(true));
        assertThat(rules.isHealthy(r, T0.plus(TTL)), is(false));
        assertThat(rules.isHealthy(r, T0.plus(TTL).plusSeconds(1)), is(false));
        assertThat(rules.isHealthy(r.withHeartbeat(Projector.epochSeconds(T0), "stopped"), T0), is(false));
    }

    @Test
    void expiredOnceWhenTheTtlPassesAndNotBefore() {
        register("a", T0);
        assertThat(sweep(T0.plus(TTL).minusSeconds(1)), is(empty()));
        List<RegistryEvent> expired = sweep(T0.plus(TTL).plusSeconds(1));
        assertThat(expired.size(), is(1));
        assertThat(expired.getFirst(), instanceOf(ServiceExpired.class));
        assertThat(((ServiceExpired) expired.getFirst()).lastHeartbeat(), is(Projector.epochSeconds(T0)));
        assertThat(sweep(T0.plus(TTL).plusSeconds(2)), is(empty()));
        assertThat(sweep(T0.plus(STALE).minusSeconds(1)), is(empty()));
    }

    @Test
    void keptJustBeforeTheStalePeriodEvictedJustAfterOnlyOnce() {
        ServiceRecord r = register("a", T0);
        sweep(T0.plus(TTL).plusSeconds(1));
        assertThat(sweep(T0.plus(STALE).minusSeconds(1)), is(empty()));
        assertThat(view.get("a").isPresent(), is(true));

        List<RegistryEvent> evicted = sweep(T0.plus(STALE).plusSeconds(1));

        assertThat(evicted.size(), is(1));
        ServiceEvicted e = (ServiceEvicted) evicted.getFirst();
        assertThat(e.record(), is(r));
        assertThat(e.ageSeconds(), is(301.0));
        assertThat(view.get("a").isPresent(), is(false));
        assertThat(sweep(T0.plus(STALE).plusSeconds(100)), is(empty()));
        assertThat(types(), contains("registered", "expired", "evicted"));
    }

    @Test
    void aLateSweepStillRecordsExpiryBeforeEviction() {
        register("a", T0);
        sweep(T0.plusSeconds(10_000));
        assertThat(types(), contains("registered", "expired", "evicted"));
    }

    @Test
    void aHeartbeatEndsTheExpirySoTheNextSilenceExpiresAgain() {
        register("a", T0);
        sweep(T0.plus(TTL).plusSeconds(1));
        Instant beat = T0.plus(TTL).plusSeconds(5);
        apply(new HeartbeatReceived(beat, "a", null, "client"));
        assertThat(sweep(beat.plus(TTL).minusSeconds(1)), is(empty()));
        assertThat(sweep(beat.plus(TTL).plusSeconds(1)).size(), is(1));
        assertThat(types(), contains("registered", "expired", "heartbeat", "expired"));
    }

    @Test
    void noEvictionDuringTheRestartGraceThenTheSilentOnesGo() {
        register("quiet", T0);
        register("loyal", T0);
        Instant restart = T0.plus(Duration.ofHours(5));
        apply(new RegistryStarted(restart, "dev", Map.of(), restart.plus(STALE)));

        List<RegistryEvent> atRestart = sweep(restart);
        assertThat(atRestart.stream().allMatch(e -> e instanceof ServiceExpired), is(true));
        assertThat(atRestart.size(), is(2));
        apply(new HeartbeatReceived(restart.plusSeconds(250), "loyal", null, "client"));
        assertThat(sweep(restart.plus(STALE).minusSeconds(1)), is(empty()));
        assertThat(view.size(), is(2));

        List<RegistryEvent> afterGrace = sweep(restart.plus(STALE).plusSeconds(1));
        assertThat(afterGrace.size(), is(1));
        assertThat(((ServiceEvicted) afterGrace.getFirst()).name(), is("quiet"));
        assertThat(view.get("loyal").isPresent(), is(true));
    }

    @Test
    void nextDueIsTheEarliestExpiryOrEviction() {
        register("a", T0);
        register("b", T0.plusSeconds(10));
        assertThat(rules.nextDue(deadlines, T0), is(T0.plus(TTL)));
        sweep(T0.plus(TTL));
        assertThat(rules.nextDue(deadlines, T0.plus(TTL)), is(T0.plusSeconds(10).plus(TTL)));
        sweep(T0.plusSeconds(10).plus(TTL));
        // an eviction is due just after the stale period: the next millisecond
        assertThat(
                rules.nextDue(deadlines, T0.plus(TTL).plusSeconds(10)),
                is(T0.plus(STALE).plusMillis(1)));
        assertThat(rules.nextDue(new HealthDeadlines(rules, new RegistryView()), T0), is(Instant.MAX));
    }

    @Test
    void thousandRecordsExpireAndEvictExactlyOnceEach() {
        for (int i = 0; i < 1000; i++) {
            register("svc-" + i, T0.plusMillis(i));
        }
        for (int s = 0; s <= 400; s += 7) {
            sweep(T0.plusSeconds(s));
        }
        sweep(T0.plusSeconds(1000));
        assertThat(history.stream().filter(e -> e instanceof ServiceExpired).count(), is(1000L));
        assertThat(history.stream().filter(e -> e instanceof ServiceEvicted).count(), is(1000L));
        assertThat(view.size(), is(0));
    }

    private ServiceRecord register(String name, Instant at) {
        ServiceRecord r = new ServiceRecord(
                name,
                "127.0.0.1",
                8000,
                "h",
                "http://127.0.0.1:8000",
                "running",
                "ts",
                Projector.epochSeconds(at),
                "unknown",
                JsonNodeFactory.instance.objectNode());
        apply(new ServiceRegistered(at, r, false));
        return r;
    }

    private List<RegistryEvent> sweep(Instant now) {
        List<RegistryEvent> due = rules.due(view, deadlines, now);
        due.forEach(this::apply);
        return due;
    }

    private void apply(RegistryEvent e) {
        history.add(e);
        LoggedEvent logged = new LoggedEvent(++index, e);
        Projector.apply(view, logged);
        deadlines.apply(logged);
    }

    private List<String> types() {
        return history.stream().map(dev.registry.events.log.EventCodec::typeOf).toList();
    }
}
