package dev.registry.tools.integrity;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.is;

import dev.registry.events.event.HeartbeatReceived;
import dev.registry.events.event.RegistryEvent;
import dev.registry.events.event.RegistryStarted;
import dev.registry.events.log.ChronicleQueues;
import dev.registry.events.log.EventCodec;
import dev.registry.events.log.EventFrame;
import dev.registry.tools.ToolRun;
import java.nio.file.Path;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Map;
import net.openhft.chronicle.queue.ChronicleQueue;
import net.openhft.chronicle.queue.ExcerptAppender;
import net.openhft.chronicle.queue.RollCycles;
import net.openhft.chronicle.wire.DocumentContext;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * verify reports two writers interleaving in one log. The log cannot get so through a registry
 * (a writer that finds another's events stops writing), so the frames are written here as two
 * writers without that check would.
 */
class InterleavedWritersTest {

    @TempDir
    Path dir;

    @Test
    void verifyNamesTheFirstEventAppendedByAWriterAfterAnotherStarted() {
        Instant t = Instant.now().truncatedTo(ChronoUnit.MICROS);
        long interleaved;
        try (ChronicleQueue queue = ChronicleQueues.builder(dir)
                        .rollCycle(RollCycles.FAST_DAILY)
                        .build();
                ExcerptAppender appender = queue.createAppender()) {
            append(appender, 0xA, new RegistryStarted(t, "1", Map.of(), t));
            append(appender, 0xA, new HeartbeatReceived(t, "x", null, "client"));
            append(appender, 0xB, new RegistryStarted(t, "1", Map.of(), t));
            append(appender, 0xB, new HeartbeatReceived(t, "x", null, "client"));
            interleaved = append(appender, 0xA, new HeartbeatReceived(t, "x", null, "client"));
        }
        ToolRun verify = ToolRun.inProcess("verify", "--json", "--data-dir", dir.toString());
        assertThat(verify.toString(), verify.exit(), is(1));
        assertThat(verify.json().get("bad_index").asLong(), is(interleaved));
        assertThat(
                verify.json().get("error").asText(),
                containsString("two writers interleave: writer 0000000a appended"));
    }

    private static long append(ExcerptAppender appender, int writer, RegistryEvent event) {
        EventFrame.Encoder encoder = new EventFrame.Encoder();
        try (DocumentContext dc = appender.writingDocument()) {
            int length = encoder.encode(new EventCodec().encode(event), writer, dc.index());
            dc.wire().bytes().write(encoder.buffer(), 0, length);
            return dc.index();
        }
    }
}
