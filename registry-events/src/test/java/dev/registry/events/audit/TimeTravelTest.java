package dev.registry.events.audit;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.greaterThan;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.sameInstance;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.registry.api.PlainJson;
import dev.registry.api.ServiceRecord;
import dev.registry.events.SampleEvents;
import dev.registry.events.event.HeartbeatReceived;
import dev.registry.events.event.RegistryEvent;
import dev.registry.events.event.ServiceRegistered;
import dev.registry.events.log.ChronicleEventLog;
import dev.registry.events.log.LoggedEvent;
import dev.registry.events.projection.Projection;
import dev.registry.events.projection.RegistryView;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Point-in-time views and diffs agree with an independent fold of the same events. */
class TimeTravelTest {

    @TempDir
    Path dir;

    @Test
    void viewsAtRandomTimesAndIndexesMatchTheFoldWithAndWithoutCheckpoints() {
        List<LoggedEvent> written = writeHistory(20_000);
        Random random = new Random(99);
        try (ChronicleEventLog log = ChronicleEventLog.openForWriting(dir)) {
            RegistryView live = new RegistryView();
            Checkpoints checkpoints = new Checkpoints(live, 500);
            Projection all = Projection.onView(live, List.of(checkpoints));
            written.forEach(all::apply);
            assertThat(checkpoints.count(), greaterThan(5));

            for (TimeTravel travel : List.of(new TimeTravel(log, checkpoints), new TimeTravel(log, null))) {
                for (int i = 0; i < 60; i++) {
                    LoggedEvent pick = written.get(random.nextInt(written.size()));
                    Instant at = pick.event().time().plusNanos(random.nextInt(3) * 1_000L);
                    assertThat(sorted(travel.atTime(at)), is(IndependentFold.fold(eventsUntil(written, at))));
                    assertThat(
                            sorted(travel.atIndex(pick.index())),
                            is(IndependentFold.fold(eventsUpToIndex(written, pick.index()))));
                }
            }
        }
    }

    @Test
    void diffsMatchTheFoldAtBothEnds() {
        List<LoggedEvent> written = writeHistory(5_000);
        Random random = new Random(7);
        try (ChronicleEventLog log = ChronicleEventLog.openForWriting(dir)) {
            RegistryView live = new RegistryView();
            Checkpoints checkpoints = new Checkpoints(live, 300);
            Projection all = Projection.onView(live, List.of(checkpoints));
            written.forEach(all::apply);
            TimeTravel travel = new TimeTravel(log, checkpoints);
            for (int i = 0; i < 50; i++) {
                Instant a = written.get(random.nextInt(written.size())).event().time();
                Instant b = written.get(random.nextInt(written.size())).event().time();
                Instant from = a.isBefore(b) ? a : b;
                Instant to = a.isBefore(b) ? b : a;
                Map<String, ServiceRecord> before = IndependentFold.fold(eventsUntil(written, from));
                Map<String, ServiceRecord> after = IndependentFold.fold(eventsUntil(written, to));

                RegistryDiff diff = travel.diff(from, to);

                Map<String, ServiceRecord> rebuilt = new TreeMap<>(before);
                diff.removed().forEach(r -> rebuilt.remove(r.name()));
                diff.added().forEach(r -> rebuilt.put(r.name(), r));
                diff.changed().forEach(c -> rebuilt.put(c.name(), after.get(c.name())));
                assertThat(rebuilt, is(after));
                diff.added().forEach(r -> assertThat(before.containsKey(r.name()), is(false)));
                diff.removed().forEach(r -> assertThat(after.containsKey(r.name()), is(false)));
                diff.changed().forEach(c -> assertThat(c.fields().isEmpty(), is(false)));
                long checks = written.stream()
                        .filter(e -> e.event().time().isAfter(from)
                                && !e.event().time().isAfter(to)
                                && e.event() instanceof dev.registry.events.event.HealthChecked)
                        .count();
                assertThat(
                        diff.flips().stream()
                                .filter(f -> f.type().equals("health-checked"))
                                .count(),
                        is(checks));
            }
        }
    }

    @Test
    void theToolsTreeOfADiffKeepsTheStreamedBytes() throws Exception {
        List<LoggedEvent> written = writeHistory(3_000);
        Random random = new Random(11);
        ObjectMapper json = PlainJson.newMapper();
        try (ChronicleEventLog log = ChronicleEventLog.openForWriting(dir)) {
            TimeTravel travel = new TimeTravel(log, null);
            int nonEmpty = 0;
            for (int i = 0; i < 20; i++) {
                Instant a = written.get(random.nextInt(written.size())).event().time();
                Instant b = written.get(random.nextInt(written.size())).event().time();
                RegistryDiff diff = travel.diff(a.isBefore(b) ? a : b, a.isBefore(b) ? b : a);
                ByteArrayOutputStream streamed = new ByteArrayOutputStream();
                try (JsonGenerator g = json.createGenerator(streamed)) {
                    AuditJson.writeDiffOpen(g, diff);
                    g.writeEndObject();
                }
                assertThat(
                        streamed.toString(StandardCharsets.UTF_8), is(json.writeValueAsString(AuditJson.diff(diff))));
                nonEmpty += diff.changed().isEmpty() || diff.flips().isEmpty() ? 0 : 1;
            }
            assertThat("diffs with changes and flips compared", nonEmpty, greaterThan(5));
        }
    }

    @Test
    void timesBeforeTheFirstEventSayWhenHistoryStarts() {
        List<LoggedEvent> written = writeHistory(10);
        try (ChronicleEventLog log = ChronicleEventLog.openForWriting(dir)) {
            TimeTravel travel = new TimeTravel(log, null);
            Instant first = written.getFirst().event().time();
            HistoryUnavailableException ex =
                    assertThrows(HistoryUnavailableException.class, () -> travel.atTime(first.minusSeconds(1)));
            assertThat(ex.availableFrom(), is(first));
            assertThat(travel.atTime(first).lastIndex(), is(written.getFirst().index()));
        }
    }

    @Test
    void aReplayedViewHoldsTheLiveViewsRecordsWhereTheyAreEqualNotCopies() {
        Instant t = Instant.parse("2026-05-06T07:08:09Z");
        List<RegistryEvent> events = List.of(
                new ServiceRegistered(t, SampleEvents.record("kept", t), false),
                new ServiceRegistered(t.plusSeconds(1), SampleEvents.record("beating", t), false),
                new HeartbeatReceived(t.plusSeconds(2), "beating", null, HeartbeatReceived.CAUSE_CLIENT));
        try (ChronicleEventLog log = ChronicleEventLog.openForWriting(dir)) {
            RegistryView live = new RegistryView();
            Projection all = Projection.onView(live, List.of(new Checkpoints(live, 1_000)));
            events.forEach(e -> all.apply(new LoggedEvent(log.append(e), e)));

            RegistryView before = new TimeTravel(log, new Checkpoints(live, 1_000)).atTime(t.plusSeconds(1));
            RegistryView now = new TimeTravel(log, new Checkpoints(live, 1_000)).atTime(t.plusSeconds(2));

            assertThat(
                    now.get("kept").orElseThrow(), sameInstance(live.get("kept").orElseThrow()));
            assertThat(
                    now.get("beating").orElseThrow(),
                    sameInstance(live.get("beating").orElseThrow()));
            // before the heartbeat: another record, made of the live one's parts
            ServiceRecord older = before.get("beating").orElseThrow();
            ServiceRecord newer = live.get("beating").orElseThrow();
            assertThat(older, is(not(newer)));
            assertThat(older.metadata(), sameInstance(newer.metadata()));
            assertThat(older.url(), sameInstance(newer.url()));
            // without a live view (the offline tools) the same answer, from the log alone
            assertThat(sorted(new TimeTravel(log, null).atTime(t.plusSeconds(1))), is(sorted(before)));
        }
    }

    private List<LoggedEvent> writeHistory(int size) {
        List<LoggedEvent> written = new ArrayList<>();
        try (ChronicleEventLog log = ChronicleEventLog.openForWriting(dir)) {
            for (RegistryEvent e : SampleEvents.randomHistory(size, size)) {
                written.add(new LoggedEvent(log.append(e), e));
            }
        }
        return written;
    }

    private static List<RegistryEvent> eventsUntil(List<LoggedEvent> written, Instant at) {
        return written.stream()
                .filter(e -> !e.event().time().isAfter(at))
                .map(LoggedEvent::event)
                .toList();
    }

    private static List<RegistryEvent> eventsUpToIndex(List<LoggedEvent> written, long index) {
        return written.stream()
                .filter(e -> e.index() <= index)
                .map(LoggedEvent::event)
                .toList();
    }

    private static Map<String, ServiceRecord> sorted(RegistryView view) {
        return new TreeMap<>(view.snapshot());
    }
}
