package dev.registry.events.projection;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.is;

import dev.registry.api.ServiceRecord;
import dev.registry.events.SampleEvents;
import dev.registry.events.event.HeartbeatReceived;
import dev.registry.events.event.RegistryEvent;
import dev.registry.events.event.ServiceChanges;
import dev.registry.events.event.ServiceDeregistered;
import dev.registry.events.event.ServiceRegistered;
import dev.registry.events.event.ServiceUpdated;
import dev.registry.events.log.ChronicleEventLog;
import dev.registry.events.log.EventReader;
import dev.registry.events.log.LoggedEvent;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ProjectorTest {

    private static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");

    @Test
    void registerHeartbeatUpdateDeregister() {
        RegistryView view = new RegistryView();
        Projector.apply(view, new LoggedEvent(1, new ServiceRegistered(T0, SampleEvents.record("a", T0), false)));
        Instant t1 = T0.plusMillis(1500);
        Projector.apply(view, new LoggedEvent(2, new HeartbeatReceived(t1, "a", "draining", "client")));
        ServiceRecord afterBeat = view.get("a").orElseThrow();
        assertThat(afterBeat.lastHeartbeat(), is(T0.getEpochSecond() + 1.5));
        assertThat(afterBeat.status(), is("draining"));

        Instant t2 = T0.plusSeconds(3);
        Projector.apply(
                view,
                new LoggedEvent(
                        3,
                        new ServiceUpdated(
                                t2,
                                "a",
                                new ServiceChanges(null, 9, null, null, null, SampleEvents.metadata("{\"m\":1}")))));
        ServiceRecord afterUpdate = view.get("a").orElseThrow();
        assertThat(afterUpdate.port(), is(9));
        assertThat(afterUpdate.status(), is("draining"));
        assertThat(afterUpdate.metadata().toString(), is("{\"m\":1}"));
        assertThat(afterUpdate.lastHeartbeat(), is((double) t2.getEpochSecond()));
        assertThat(afterUpdate.timestamp(), is(afterBeat.timestamp()));

        Projector.apply(view, new LoggedEvent(4, new ServiceDeregistered(t2, "a")));
        assertThat(view.get("a").isPresent(), is(false));
        assertThat(view.lastIndex(), is(4L));
    }

    @Test
    void eventsForMissingRecordsChangeNothing() {
        RegistryView view = new RegistryView();
        Projector.apply(view, new LoggedEvent(1, new HeartbeatReceived(T0, "ghost", null, "client")));
        Projector.apply(view, new LoggedEvent(2, new ServiceDeregistered(T0, "ghost")));
        assertThat(view.size(), is(0));
    }

    @Test
    void replayingTheSameLogTwiceGivesEqualViews(@TempDir Path dir) {
        List<RegistryEvent> history = SampleEvents.randomHistory(2026, 5_000);
        try (ChronicleEventLog log = ChronicleEventLog.openForWriting(dir)) {
            history.forEach(log::append);
        }
        Map<String, ServiceRecord> first = replay(dir);
        Map<String, ServiceRecord> second = replay(dir);
        assertThat(first.isEmpty(), is(false));
        assertThat(List.copyOf(second.keySet()), is(List.copyOf(first.keySet())));
        assertThat(second, is(first));
    }

    private static Map<String, ServiceRecord> replay(Path dir) {
        RegistryView view = new RegistryView();
        try (ChronicleEventLog log = ChronicleEventLog.openReadOnly(dir);
                EventReader reader = log.reader()) {
            for (LoggedEvent e = reader.next(); e != null; e = reader.next()) {
                Projector.apply(view, e);
            }
        }
        return view.snapshot();
    }
}
