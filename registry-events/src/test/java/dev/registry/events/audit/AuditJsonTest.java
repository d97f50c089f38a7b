package dev.registry.events.audit;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.is;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.registry.api.PlainJson;
import dev.registry.api.ServiceRecord;
import dev.registry.events.SampleEvents;
import dev.registry.events.event.HealthChecked;
import dev.registry.events.event.RegistryEvent;
import dev.registry.events.event.ServiceChanges;
import dev.registry.events.event.ServiceDeregistered;
import dev.registry.events.event.ServiceRegistered;
import dev.registry.events.event.ServiceUpdated;
import dev.registry.events.log.ChronicleEventLog;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A diff's JSON: the streamed form is byte for byte what the tree of the whole reply gave before. */
class AuditJsonTest {

    private static final Instant T0 = Instant.parse("2026-09-01T10:00:00Z");
    private static final ObjectMapper JSON = PlainJson.newMapper();

    @TempDir
    Path dir;

    /**
     * The bytes the tree form ({@code AuditJson.diff}, then compact) gave for this diff before
     * diffs were streamed: added, removed, changed fields (numbers as written) and a health flip.
     * {@code INDEX} stands for the flip's log index, which Chronicle derives from the day it is written.
     */
    private static final String BEFORE = "{\"from\":\"2026-09-01T10:00:05Z\",\"to\":\"2026-09-01T10:00:20Z\","
            + "\"added\":[{\"name\":\"d\",\"host\":\"127.0.0.1\",\"port\":8000,\"hostname\":\"node\","
            + "\"url\":\"http://127.0.0.1:8000\",\"status\":\"running\",\"timestamp\":\"2026-01-01T00:00:00.000000+00:00\","
            + "\"last_heartbeat\":1788256813.0,\"health_status\":\"unknown\",\"metadata\":{\"x\":1}}],"
            + "\"removed\":[{\"name\":\"b\",\"host\":\"127.0.0.1\",\"port\":8000,\"hostname\":\"node\","
            + "\"url\":\"http://127.0.0.1:8000\",\"status\":\"running\",\"timestamp\":\"2026-01-01T00:00:00.000000+00:00\","
            + "\"last_heartbeat\":1788256801.0,\"health_status\":\"unknown\",\"metadata\":{}}],"
            + "\"changed\":[{\"name\":\"a\",\"fields\":{\"port\":{\"from\":8000,\"to\":9000},"
            + "\"last_heartbeat\":{\"from\":1788256800.0,\"to\":1788256811.0},"
            + "\"metadata\":{\"from\":{\"n\":1.10,\"big\":1e999,\"z\":-0},\"to\":{\"n\":1.10,\"w\":[2.50]}}}},"
            + "{\"name\":\"c\",\"fields\":{\"health_status\":{\"from\":\"unknown\",\"to\":\"healthy\"}}}],"
            + "\"health_flips\":[{\"index\":INDEX,\"time\":\"2026-09-01T10:00:14Z\",\"name\":\"c\","
            + "\"type\":\"health-checked\",\"from\":\"unknown\",\"to\":\"healthy\",\"detail\":\"HTTP 200\"}]}";

    @Test
    void aStreamedDiffIsTheBytesTheTreeGaveBefore() throws Exception {
        try (ChronicleEventLog log = ChronicleEventLog.openForWriting(dir)) {
            for (RegistryEvent e : List.of(
                    new ServiceRegistered(T0, record("a", T0, "{\"n\":1.10,\"big\":1e999,\"z\":-0}"), false),
                    new ServiceRegistered(T0.plusSeconds(1), record("b", T0.plusSeconds(1), "{}"), false),
                    new ServiceRegistered(T0.plusSeconds(2), record("c", T0.plusSeconds(2), "{}"), false),
                    new ServiceUpdated(
                            T0.plusSeconds(11),
                            "a",
                            new ServiceChanges(
                                    null, 9000, null, null, null, SampleEvents.metadata("{\"n\":1.10,\"w\":[2.50]}"))),
                    new ServiceDeregistered(T0.plusSeconds(12), "b"),
                    new ServiceRegistered(T0.plusSeconds(13), record("d", T0.plusSeconds(13), "{\"x\":1}"), false),
                    new HealthChecked(
                            T0.plusSeconds(14), "c", "unknown", "healthy", "HTTP 200", HealthChecked.CAUSE_CHECK, 0))) {
                log.append(e);
            }
            RegistryDiff diff = new TimeTravel(log, null).diff(T0.plusSeconds(5), T0.plusSeconds(20));

            String before = BEFORE.replace(
                    "INDEX", Long.toString(diff.flips().getFirst().index()));

            assertThat(streamed(diff), is(before));
            assertThat("the tools' tree", JSON.writeValueAsString(AuditJson.diff(diff)), is(before));
        }
    }

    private static String streamed(RegistryDiff diff) throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (JsonGenerator g = JSON.createGenerator(out)) {
            AuditJson.writeDiffOpen(g, diff);
            g.writeEndObject();
        }
        return out.toString(StandardCharsets.UTF_8);
    }

    private static ServiceRecord record(String name, Instant time, String metadata) {
        ServiceRecord r = SampleEvents.record(name, time);
        return new ServiceRecord(
                r.name(),
                r.host(),
                r.port(),
                r.hostname(),
                r.url(),
                r.status(),
                r.timestamp(),
                r.lastHeartbeat(),
                r.healthStatus(),
                SampleEvents.metadata(metadata));
    }
}
