package dev.registry.events;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.registry.api.ServiceRecord;
import dev.registry.events.event.HealthChecked;
import dev.registry.events.event.HeartbeatReceived;
import dev.registry.events.event.RegistryEvent;
import dev.registry.events.event.RegistryStarted;
import dev.registry.events.event.ServiceChanges;
import dev.registry.events.event.ServiceDeregistered;
import dev.registry.events.event.ServiceEvicted;
import dev.registry.events.event.ServiceExpired;
import dev.registry.events.event.ServiceRegistered;
import dev.registry.events.event.ServiceUpdated;
import dev.registry.events.projection.Projector;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;

/** Events for tests: one of each type, and random histories. */
public final class SampleEvents {

    /** Metadata as the server reads a client's: numbers as written. */
    private static final ObjectMapper JSON = dev.registry.api.PlainJson.newMapper();

    private SampleEvents() {}

    public static ObjectNode metadata(String json) {
        try {
            return (ObjectNode) JSON.readTree(json);
        } catch (Exception ex) {
            throw new IllegalArgumentException(ex);
        }
    }

    public static ServiceRecord record(String name, Instant time) {
        return new ServiceRecord(
                name,
                "127.0.0.1",
                8000,
                "node",
                "http://127.0.0.1:8000",
                "running",
                "2026-01-01T00:00:00.000000+00:00",
                Projector.epochSeconds(time),
                "unknown",
                metadata("{\"type\":\"openai-api\",\"models\":[\"a\",\"b\"],\"x\":{\"y\":[1,2.5,null]}}"));
    }

    /** One event of every type. */
    public static List<RegistryEvent> oneOfEach() {
        Instant t = Instant.parse("2026-03-04T05:06:07.123456Z");
        return List.of(
                new RegistryStarted(t, "1.2.3", Map.of("port", "8901", "heartbeat_ttl", "PT2M"), t.plusSeconds(300)),
                new ServiceRegistered(t, record("a", t), false),
                new ServiceRegistered(t, record("a", t), true),
                new ServiceUpdated(
                        t,
                        "a",
                        new ServiceChanges("h2", 9000, null, "http://h2:9000", "draining", metadata("{\"k\":\"v\"}"))),
                new ServiceUpdated(t, "a", new ServiceChanges(null, null, null, null, null, null)),
                new HeartbeatReceived(t, "a", null, HeartbeatReceived.CAUSE_CLIENT),
                new HeartbeatReceived(t, "a", "running", HeartbeatReceived.CAUSE_PROBE),
                new ServiceDeregistered(t, "a"),
                new HealthChecked(t, "a", "unknown", "healthy", "HTTP 200", HealthChecked.CAUSE_CHECK),
                new ServiceExpired(t, "a", 1234.5),
                new ServiceEvicted(t, record("a", t), 301.25));
    }

    /**
     * A random but valid history over a few names, with time moving forward: expiries and
     * evictions name the heartbeat their record has then, as a writer decides them.
     */
    public static List<RegistryEvent> randomHistory(long seed, int size) {
        Random random = new Random(seed);
        List<RegistryEvent> events = new ArrayList<>();
        java.util.Map<String, Instant> beats = new java.util.HashMap<>();
        Instant time = Instant.parse("2026-01-01T00:00:00Z");
        for (int i = 0; i < size; i++) {
            time = time.plusNanos(1_000L * random.nextInt(5_000_000));
            String name = "svc-" + random.nextInt(20);
            Instant beat = beats.getOrDefault(name, time);
            RegistryEvent next = switch (random.nextInt(8)) {
                case 0 -> new ServiceRegistered(time, record(name, time), random.nextBoolean());
                case 1 ->
                    new ServiceUpdated(
                            time,
                            name,
                            new ServiceChanges(
                                    null,
                                    1 + random.nextInt(65535),
                                    null,
                                    null,
                                    random.nextBoolean() ? "running" : "stopped",
                                    null));
                case 2 ->
                    new HeartbeatReceived(
                            time, name, random.nextBoolean() ? null : "running", HeartbeatReceived.CAUSE_CLIENT);
                case 3 -> new ServiceDeregistered(time, name);
                case 4 ->
                    new HealthChecked(
                            time,
                            name,
                            "unknown",
                            random.nextBoolean() ? "healthy" : "unhealthy",
                            "HTTP 200",
                            HealthChecked.CAUSE_CHECK);
                case 5 -> new ServiceExpired(time, name, record(name, beat).lastHeartbeat());
                case 6 -> new ServiceEvicted(time, record(name, beat), 400.0);
                default -> new RegistryStarted(time, "dev", Map.of(), time.plusSeconds(300));
            };
            switch (next) {
                case ServiceRegistered e -> beats.put(name, time);
                case HeartbeatReceived e -> beats.computeIfPresent(name, (n, b) -> e.time());
                case ServiceUpdated e -> beats.computeIfPresent(name, (n, b) -> e.time());
                case ServiceDeregistered e -> beats.remove(name);
                case ServiceEvicted e -> beats.remove(name);
                default -> {}
            }
            events.add(next);
        }
        return events;
    }
}
