package dev.registry.api.watch;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.is;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.registry.api.PlainJson;
import dev.registry.api.ServiceRecord;
import dev.registry.events.event.HealthChecked;
import dev.registry.events.event.HeartbeatReceived;
import dev.registry.events.event.LeaseGranted;
import dev.registry.events.event.RegistryEvent;
import dev.registry.events.event.RegistryStarted;
import dev.registry.events.event.ServiceChanges;
import dev.registry.events.event.ServiceDeregistered;
import dev.registry.events.event.ServiceEvicted;
import dev.registry.events.event.ServiceExpired;
import dev.registry.events.event.ServiceRegistered;
import dev.registry.events.event.ServiceUpdated;
import dev.registry.events.log.EncodedEvent;
import dev.registry.events.log.EventCodec;
import dev.registry.events.log.LoggedEvent;
import dev.registry.events.projection.Projector;
import dev.registry.events.projection.RegistryView;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

/**
 * The client's fold of the event stream and the server's projector, given the same events, hold
 * the same records, the same expired names, and take the same events into effect: as the log
 * stores each event, as {@code /events/stream} sends it, as the client parses it.
 */
class WireFoldMatchesProjectorTest {

    private static final Instant T0 = Instant.parse("2026-12-01T10:00:00.000001Z");
    private static final ObjectMapper STREAM = PlainJson.newMapper();
    private static final ObjectMapper CLIENT = new ObjectMapper();

    private final EventCodec codec = new EventCodec();
    private final RegistryView view = new RegistryView();
    private final Map<String, ServiceRecord> records = new HashMap<>();
    private final Set<String> expired = new HashSet<>();
    private final WireFold fold = new WireFold(records, expired);
    private long index;

    /** Applies {@code event} to both sides and compares them; returns whether it took effect. */
    private boolean both(RegistryEvent event) throws Exception {
        EncodedEvent encoded = codec.encode(event);
        boolean effective = Projector.apply(view, new LoggedEvent(index, codec.decode(encoded)));
        JsonNode wire = CLIENT.readTree(STREAM.writeValueAsString(codec.describe(index, encoded)));
        WireFold.Outcome outcome = fold.apply(wire, new WatchListener() {});
        index++;

        String what = "after " + wire;
        assertThat(what, new HashMap<>(records), is(view.snapshot()));
        Set<String> expiredInView = new TreeSet<>();
        view.records().forEach(r -> {
            if (view.isExpired(r.name())) {
                expiredInView.add(r.name());
            }
        });
        assertThat(what, new TreeSet<>(expired), is(expiredInView));
        if (!(event instanceof RegistryStarted)) {
            assertThat(what, outcome == WireFold.Outcome.APPLIED, is(effective));
        }
        return effective;
    }

    private static ServiceRecord record(String name, Instant time, int port) {
        ObjectNode metadata = JsonNodeFactory.instance.objectNode().put("model", "m-" + port);
        return new ServiceRecord(
                name,
                "10.0.0.1",
                port,
                "box",
                "http://10.0.0.1:" + port,
                "running",
                "2026-12-01T10:00:00",
                Projector.epochSeconds(time),
                ServiceRecord.HEALTH_UNKNOWN,
                metadata);
    }

    private static double beat(Instant time) {
        return Projector.epochSeconds(time);
    }

    private static Instant at(double seconds) {
        return T0.plusNanos((long) (seconds * 1_000_000_000L));
    }

    @Test
    void everyRuleOfTheProjectorHoldsInTheFold() throws Exception {
        ServiceRecord a = record("a", T0, 8080);
        assertThat(both(new RegistryStarted(T0, "1", Map.of(), at(60))), is(true));
        assertThat(both(new ServiceRegistered(T0, a, false)), is(true));
        assertThat(both(new ServiceRegistered(T0, record("b", T0, 8081), false)), is(true));
        assertThat(both(new LeaseGranted(at(0.5), "node-1", 1, at(5))), is(true));
        assertThat(both(new HeartbeatReceived(at(1), "a", null, "client")), is(true));
        // decided before a's heartbeat: lost the race
        assertThat(both(new ServiceExpired(at(1.5), "a", beat(T0), 1)), is(false));
        assertThat(both(new ServiceExpired(at(1.5), "b", beat(T0), 1)), is(true));
        assertThat(both(new ServiceExpired(at(1.6), "b", beat(T0), 1)), is(false)); // already expired
        assertThat(both(new HeartbeatReceived(at(2), "b", "draining", "client")), is(true));
        assertThat(both(new HealthChecked(at(2.5), "a", "unknown", "healthy", "200", "check", 1)), is(true));
        assertThat(both(new HealthChecked(at(2.6), "a", "healthy", "unhealthy", "500", "check", 2)), is(false));
        // a takeover while node-1 still holds the lease, then one after it ran out
        assertThat(both(new LeaseGranted(at(3), "node-2", 2, at(8))), is(false));
        assertThat(both(new LeaseGranted(at(6), "node-2", 2, at(11))), is(true));
        assertThat(both(new HealthChecked(at(7), "b", "unknown", "unhealthy", "timeout", "check", 1)), is(false));
        assertThat(both(new LeaseGranted(at(7.5), "node-1", 2, at(12))), is(false)); // not its lease to renew
        assertThat(both(new ServiceEvicted(at(8), record("a", T0, 8080), 8, 2)), is(false)); // stale heartbeat
        assertThat(both(new ServiceEvicted(at(8), records.get("a"), 7, 2)), is(true));
        assertThat(
                both(new ServiceUpdated(at(9), "a", new ServiceChanges(null, 1, null, null, null, null))), is(false));
        assertThat(both(new HeartbeatReceived(at(9), "a", null, "client")), is(false));
        assertThat(both(new ServiceDeregistered(at(9), "a")), is(false));
        ObjectNode metadata = JsonNodeFactory.instance.objectNode().put("zone", "eu");
        assertThat(
                both(new ServiceUpdated(
                        at(10),
                        "b",
                        new ServiceChanges("10.0.0.9", 9090, "box-9", "http://10.0.0.9:9090", "running", metadata))),
                is(true));
        assertThat(both(new ServiceExpired(at(10.5), "b", beat(at(10)), 0)), is(true)); // one writer: no lease
        assertThat(both(new ServiceRegistered(at(11), record("b", at(11), 7000), true)), is(true));
        assertThat(both(new ServiceDeregistered(at(12), "b")), is(true));
        assertThat(records.isEmpty(), is(true));
    }

    @Test
    void aLongRandomRunKeepsBothTheSame() throws Exception {
        Random random = new Random(20261201);
        List<String> names = List.of("a", "b", "c", "d");
        Map<String, List<Double>> beats = new HashMap<>(); // every heartbeat each name had: stale ones too
        String holder = "node-1";
        long epoch = 1;
        Instant until = T0;
        Instant time = T0;
        Map<String, Set<Boolean>> outcomes = new HashMap<>(); // per event type: took effect, did not
        both(new LeaseGranted(time, holder, epoch, time.plusSeconds(5)));
        for (int i = 0; i < 5_000; i++) {
            time = time.plusNanos(random.nextInt(1_000_000) * 1_000L);
            String name = names.get(random.nextInt(names.size()));
            double someBeat = beats.getOrDefault(name, List.of(0.0))
                    .get(random.nextInt(beats.getOrDefault(name, List.of(0.0)).size()));
            long someEpoch = Math.max(1, epoch - random.nextInt(2));
            RegistryEvent event = switch (random.nextInt(10)) {
                case 0 ->
                    new ServiceRegistered(
                            time, record(name, time, 1 + random.nextInt(60_000)), records.containsKey(name));
                case 1 ->
                    new ServiceUpdated(
                            time,
                            name,
                            new ServiceChanges(
                                    null,
                                    1 + random.nextInt(60_000),
                                    null,
                                    null,
                                    random.nextBoolean() ? "running" : null,
                                    null));
                case 2, 3 -> new HeartbeatReceived(time, name, random.nextInt(5) == 0 ? "stopping" : null, "client");
                case 4 -> new ServiceDeregistered(time, name);
                case 5 ->
                    new HealthChecked(
                            time,
                            name,
                            "unknown",
                            random.nextBoolean() ? "healthy" : "unhealthy",
                            "x",
                            "check",
                            someEpoch);
                case 6 -> new ServiceExpired(time, name, someBeat, someEpoch);
                case 7 ->
                    records.containsKey(name)
                            ? new ServiceEvicted(time, records.get(name).withHeartbeat(someBeat, null), 1, someEpoch)
                            : new ServiceDeregistered(time, name);
                default -> {
                    boolean takeover = random.nextBoolean();
                    String who = takeover ? "node-" + (1 + random.nextInt(3)) : holder;
                    long e = takeover ? epoch + 1 : epoch;
                    yield new LeaseGranted(time, who, e, time.plusNanos(random.nextInt(3_000_000) * 1_000L));
                }
            };
            boolean effective = both(event);
            outcomes.computeIfAbsent(event.getClass().getSimpleName(), t -> new HashSet<>())
                    .add(effective);
            if (effective) {
                if (event instanceof LeaseGranted g) {
                    holder = g.holder();
                    epoch = g.epoch();
                    until = g.until();
                }
            }
            view.get(name)
                    .ifPresent(r ->
                            beats.computeIfAbsent(name, n -> new ArrayList<>()).add(r.lastHeartbeat()));
        }
        // every kind of event that can lose a race both took effect and lost one, or the run proved little
        Map<String, Set<Boolean>> both = new HashMap<>();
        outcomes.forEach((type, seen) -> both.put(type, Set.of(true, false)));
        both.put("ServiceRegistered", Set.of(true)); // a registration always holds
        assertThat("lease last until " + until, outcomes, is(both));
        assertThat(outcomes.size(), is(8));
    }
}
