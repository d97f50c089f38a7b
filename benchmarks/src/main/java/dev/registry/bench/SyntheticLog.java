package dev.registry.bench;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.registry.api.ServiceRecord;
import dev.registry.events.event.HealthChecked;
import dev.registry.events.event.HeartbeatReceived;
import dev.registry.events.event.RegistryEvent;
import dev.registry.events.event.RegistryStarted;
import dev.registry.events.event.ServiceChanges;
import dev.registry.events.event.ServiceRegistered;
import dev.registry.events.event.ServiceUpdated;
import dev.registry.events.log.ChronicleEventLog;
import dev.registry.events.projection.Projector;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * A log shaped like a fleet's: {@code records} services registered, then mostly heartbeats (95%),
 * with updates (3%) and health flips (2%), a millisecond apart.
 */
final class SyntheticLog {

    private SyntheticLog() {}

    public static ServiceRecord record(int i, Instant time) {
        ObjectNode meta = JsonNodeFactory.instance.objectNode();
        meta.put("type", "openai-api");
        meta.putArray("models").add("model-" + i % 7);
        meta.put("weight", 1 + i % 3);
        return new ServiceRecord(
                "svc-" + i,
                "10.1." + (i / 250) + "." + (i % 250),
                8000 + i % 1000,
                "gpu-" + i,
                "http://10.1." + (i / 250) + "." + (i % 250) + ":" + (8000 + i % 1000),
                "running",
                "2026-11-28T00:00:00.000000+00:00",
                Projector.epochSeconds(time),
                "unknown",
                meta);
    }

    /** The {@code n}-th event of the synthetic history. */
    public static RegistryEvent event(long n, int records, Instant start, SplittableRandom random) {
        Instant time = start.plus(Duration.ofNanos(n * 1_000_000L));
        if (n == 0) {
            return new RegistryStarted(time, "bench", Map.of(), time.plusSeconds(300));
        }
        if (n <= records) {
            return new ServiceRegistered(time, record((int) n - 1, time), false);
        }
        String name = "svc-" + random.nextInt(records);
        int dice = random.nextInt(100);
        if (dice < 95) {
            return new HeartbeatReceived(time, name, null, HeartbeatReceived.CAUSE_CLIENT);
        }
        if (dice < 98) {
            return new ServiceUpdated(
                    time,
                    name,
                    new ServiceChanges(null, null, null, null, random.nextBoolean() ? "running" : "draining", null));
        }
        return new HealthChecked(time, name, "healthy", "unhealthy", "HTTP 503", HealthChecked.CAUSE_CHECK);
    }

    /** Writes {@code events} synthetic events to a new log in {@code dir}. */
    public static void write(Path dir, long events, int records) {
        SplittableRandom random = new SplittableRandom(42);
        Instant start = Instant.parse("2026-11-28T00:00:00Z");
        try (ChronicleEventLog log = ChronicleEventLog.openForWriting(dir)) {
            for (long n = 0; n < events; n++) {
                log.append(event(n, records, start, random));
            }
        }
    }
}
