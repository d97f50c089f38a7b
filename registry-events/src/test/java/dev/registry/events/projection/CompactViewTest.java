package dev.registry.events.projection;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.is;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.registry.api.ServiceRecord;
import dev.registry.events.SampleEvents;
import dev.registry.events.event.HeartbeatReceived;
import dev.registry.events.event.RegistryEvent;
import dev.registry.events.event.ServiceDeregistered;
import dev.registry.events.event.ServiceExpired;
import dev.registry.events.event.ServiceRegistered;
import dev.registry.events.log.LoggedEvent;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** A compact view, and every copy, holds what the live view holds after the same events. */
class CompactViewTest {

    @Test
    void randomHistoriesGiveTheSameRecordsOrderAndMarksAsTheLiveView() {
        for (long seed = 1; seed <= 20; seed++) {
            assertSameAfterEachEvent(SampleEvents.randomHistory(seed, 2_000));
        }
    }

    @Test
    void manyNamesComingAndGoingGrowTheArraysAndCloseUpTheHoles() {
        Random random = new Random(7);
        List<RegistryEvent> events = new ArrayList<>();
        Instant time = Instant.parse("2026-01-01T00:00:00Z");
        List<String> live = new ArrayList<>();
        for (int i = 0; i < 60_000; i++) {
            time = time.plusMillis(1);
            int dice = random.nextInt(10);
            if (live.isEmpty() || dice < 4 || (i > 30_000 && dice < 5 && live.size() < 100)) {
                String name = "svc-" + random.nextInt(20_000);
                events.add(new ServiceRegistered(time, SampleEvents.record(name, time), false));
                live.add(name);
            } else {
                String name = live.get(random.nextInt(live.size()));
                switch (i > 30_000 ? 0 : dice % 3) {
                    case 0 -> {
                        events.add(new ServiceDeregistered(time, name));
                        live.removeIf(name::equals);
                    }
                    case 1 -> events.add(new HeartbeatReceived(time, name, null, HeartbeatReceived.CAUSE_CLIENT));
                    default -> events.add(new ServiceExpired(time, name, 0.0));
                }
            }
        }
        assertSameAfterEachEvent(events);
    }

    @Test
    void aNewNameMustComeAfterEveryPlaceTaken() {
        RegistryView view = RegistryView.compact();
        Instant t = Instant.parse("2026-01-01T00:00:00Z");
        Projector.apply(view, new LoggedEvent(5, new ServiceRegistered(t, SampleEvents.record("a", t), false)));
        Projector.apply(view, new LoggedEvent(6, new ServiceRegistered(t, SampleEvents.record("a", t), false)));
        assertThrows(
                IllegalStateException.class,
                () -> Projector.apply(
                        view, new LoggedEvent(4, new ServiceRegistered(t, SampleEvents.record("b", t), false))));
        assertThat(view.records().stream().map(ServiceRecord::name).toList(), contains("a"));
    }

    private static void assertSameAfterEachEvent(List<RegistryEvent> events) {
        RegistryView live = new RegistryView();
        RegistryView compact = RegistryView.compact();
        for (int i = 0; i < events.size(); i++) {
            LoggedEvent logged = new LoggedEvent(i, events.get(i));
            assertThat(Projector.apply(compact, logged), is(Projector.apply(live, logged)));
            if (events.get(i) instanceof dev.registry.events.event.ServiceEvent e) {
                assertThat(compact.get(e.name()), equalTo(live.get(e.name())));
                assertThat(compact.isExpired(e.name()), is(live.isExpired(e.name())));
            }
            assertThat(compact.size(), is(live.size()));
            if (i % 997 == 0) {
                assertSameContents(compact, live);
            }
        }
        assertSameContents(compact, live);
        assertSameContents(live.copy(), live);
        assertSameContents(compact.copy(), live);
    }

    private static void assertSameContents(RegistryView actual, RegistryView expected) {
        assertThat(placed(actual), equalTo(placed(expected)));
        assertThat(List.copyOf(actual.records()), equalTo(List.copyOf(expected.records())));
        assertThat(actual.snapshot(), equalTo(expected.snapshot()));
        assertThat(actual.lastIndex(), is(expected.lastIndex()));
    }

    private static List<RegistryView.PlacedRecord> placed(RegistryView view) {
        List<RegistryView.PlacedRecord> all = new ArrayList<>();
        view.forEachPlaced((order, record, expired) -> all.add(new RegistryView.PlacedRecord(order, record, expired)));
        return all;
    }
}
