package dev.registry.server.rules;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.instanceOf;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.lessThan;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import dev.registry.api.ServiceRecord;
import dev.registry.events.event.HeartbeatReceived;
import dev.registry.events.event.RegistryEvent;
import dev.registry.events.event.RegistryStarted;
import dev.registry.events.event.ServiceDeregistered;
import dev.registry.events.event.ServiceEvicted;
import dev.registry.events.event.ServiceExpired;
import dev.registry.events.event.ServiceRegistered;
import dev.registry.events.log.EventCodec;
import dev.registry.events.log.LoggedEvent;
import dev.registry.events.projection.Projector;
import dev.registry.events.projection.RegistryView;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The deadline index only narrows which records a sweep looks at: over random lifecycles (many
 * names registering, heartbeating, going quiet, leaving, a restart grace), sweeps through it
 * append exactly what a sweep over every record would, and it never grows beyond the live names.
 */
class HealthDeadlinesTest {

    private static final Instant T0 = Instant.parse("2026-06-01T00:00:00Z");
    private static final Duration TTL = Duration.ofSeconds(120);
    private static final Duration STALE = Duration.ofSeconds(300);
    private final HealthRules rules = new HealthRules(TTL, STALE);

    @ParameterizedTest
    @ValueSource(longs = {1, 2, 3, 4, 5, 6, 7, 8})
    void sweepsThroughTheIndexAppendWhatAFullScanWould(long seed) {
        randomLifecycles(seed, 60, 4000, 15);
    }

    /**
     * Thousands of names registering again and again, each time a new entry: the stale ones are
     * dropped as the index grows past twice the schedule, and sweeps still find what is due.
     */
    @Test
    void manyNamesRegisteringAgainKeepTheIndexSmallAndSweepsExact() {
        HealthDeadlines deadlines = randomLifecycles(9, 3000, 20_000, 60);
        assertThat(deadlines.entries(), lessThan(2 * deadlines.size() + 1025));
    }

    /** A start from a snapshot: records already in the view are scheduled at once, then swept exactly. */
    @Test
    void scheduleAllTakesAViewThatCameWithoutEvents() {
        Random random = new Random(11);
        RegistryView view = new RegistryView();
        long index = 0;
        Instant now = T0;
        for (int i = 0; i < 5000; i++) {
            now = now.plusMillis(random.nextInt(100));
            Projector.apply(view, new LoggedEvent(++index, new ServiceRegistered(now, record("svc-" + i, now), false)));
        }
        HealthDeadlines deadlines = new HealthDeadlines(rules, view);
        deadlines.scheduleAll();
        assertThat(deadlines.size(), is(5000));
        for (int step = 0; step < 40; step++) {
            now = now.plusSeconds(10);
            List<RegistryEvent> expected = fullScan(view, now);
            List<RegistryEvent> swept = rules.due(view, deadlines, now);
            assertThat("step " + step, summary(swept), is(summary(expected)));
            for (RegistryEvent e : swept) {
                apply(view, deadlines, ++index, e);
            }
        }
        assertThat(view.size(), is(0)); // every record expired, then was evicted
    }

    private HealthDeadlines randomLifecycles(long seed, int names, int steps, int registerPercent) {
        Random random = new Random(seed);
        RegistryView view = new RegistryView();
        HealthDeadlines deadlines = new HealthDeadlines(rules, view);
        long[] index = {0};
        Instant now = T0;
        for (int step = 0; step < steps; step++) {
            now = now.plusMillis(random.nextInt(2_000));
            String name = "svc-" + random.nextInt(names);
            int action = random.nextInt(100);
            RegistryEvent event = null;
            if (action < registerPercent) {
                event = new ServiceRegistered(
                        now, record(name, now), view.get(name).isPresent());
            } else if (action < 70 && view.get(name).isPresent() && random.nextInt(3) == 0) {
                event = new HeartbeatReceived(now, name, null, HeartbeatReceived.CAUSE_CLIENT);
            } else if (action < 73 && view.get(name).isPresent()) {
                event = new ServiceDeregistered(now, name);
            } else if (action == 99) {
                event = new RegistryStarted(now, "dev", Map.of(), now.plus(STALE));
            }
            if (event != null) {
                apply(view, deadlines, ++index[0], event);
            }
            if (random.nextInt(4) == 0) {
                List<RegistryEvent> expected = fullScan(view, now);
                List<RegistryEvent> swept = rules.due(view, deadlines, now);
                assertThat("step " + step, summary(swept), is(summary(expected)));
                for (RegistryEvent e : swept) {
                    apply(view, deadlines, ++index[0], e);
                }
            }
            assertThat(deadlines.size(), lessThan(view.size() + 1));
        }
        return deadlines;
    }

    @Test
    void aSweepLooksAtABoundedNumberOfRecordsAndTheRestStayDue() {
        RegistryView view = new RegistryView();
        HealthDeadlines deadlines = new HealthDeadlines(rules, view);
        int records = 2 * HealthRules.MAX_NAMES_PER_SWEEP + 500;
        long index = 0;
        for (int i = 0; i < records; i++) {
            Instant at = T0.plusMillis(i / 100); // a hundred names a millisecond: taken together
            apply(view, deadlines, ++index, new ServiceRegistered(at, record("svc-" + i, at), false));
        }
        Instant now = T0.plus(TTL).plusSeconds(1); // every record's expiry has passed

        Set<String> expired = new HashSet<>();
        int sweeps = 0;
        while (!deadlines.earliest().isAfter(now)) {
            List<RegistryEvent> swept = rules.due(view, deadlines, now);
            assertThat(swept.size(), lessThan(HealthRules.MAX_NAMES_PER_SWEEP + 100));
            for (RegistryEvent e : swept) {
                assertThat(e, instanceOf(ServiceExpired.class));
                assertThat("expired once", expired.add(((ServiceExpired) e).name()), is(true));
                apply(view, deadlines, ++index, e);
            }
            sweeps++;
        }
        assertThat(expired.size(), is(records));
        assertThat(sweeps, is(3));
    }

    /** The rules applied to every record, as a sweep did before the index. */
    private List<RegistryEvent> fullScan(RegistryView view, Instant now) {
        List<RegistryEvent> events = new ArrayList<>();
        double nowSeconds = Projector.epochSeconds(now);
        boolean mayEvict = !now.isBefore(view.evictionGraceUntil());
        for (ServiceRecord r : view.records()) {
            double age = nowSeconds - r.lastHeartbeat();
            if (age >= TTL.toSeconds() && !view.isExpired(r.name())) {
                events.add(new ServiceExpired(now, r.name(), r.lastHeartbeat()));
            }
            if (age > STALE.toSeconds() && mayEvict) {
                events.add(new ServiceEvicted(now, r, age));
            }
        }
        return events;
    }

    private static List<String> summary(List<RegistryEvent> events) {
        List<String> out = new ArrayList<>();
        for (RegistryEvent e : events) {
            String name = e instanceof ServiceExpired x
                    ? x.name()
                    : ((ServiceEvicted) e).record().name();
            out.add(name + " " + EventCodec.typeOf(e));
        }
        out.sort(Comparator.naturalOrder());
        return out;
    }

    private static void apply(RegistryView view, HealthDeadlines deadlines, long index, RegistryEvent e) {
        LoggedEvent logged = new LoggedEvent(index, e);
        Projector.apply(view, logged);
        deadlines.apply(logged);
    }

    private static ServiceRecord record(String name, Instant at) {
        return new ServiceRecord(
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
    }
}
