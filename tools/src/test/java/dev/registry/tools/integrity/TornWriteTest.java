package dev.registry.tools.integrity;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.is;

import com.fasterxml.jackson.databind.JsonNode;
import dev.registry.events.log.FileBytes;
import dev.registry.server.RegistryServer;
import dev.registry.server.testing.Http;
import dev.registry.server.testing.LogDamage;
import dev.registry.server.testing.TestRegistry;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A torn write: the newest file cut at random places (seeded), and at the edges of its last event.
 * A start either recovers every acknowledged event before the cut or refuses naming the file; it
 * never serves a partial event. {@code --repair} recovers every event before the cut.
 */
class TornWriteTest {

    private static final int RECORDS = 30;
    private static final int RANDOM_CUTS = 24;

    @TempDir
    Path data;

    @Test
    void aCutNewestFileIsRecoveredUpToTheCutOrRefusedByName() throws Exception {
        try (TestRegistry registry =
                new TestRegistry(data, s -> s.withSnapshots(0, Duration.ZERO), Clock.systemUTC())) {
            for (int i = 0; i < RECORDS; i++) {
                Http.Reply reply = registry.http().post("/services", Http.registration("svc-" + i, 3000 + i, null));
                assertThat(reply.status(), is(201)); // acknowledged: it must never be lost silently
            }
        }
        Path file = LogDamage.newestRollFile(data);
        long size = Files.size(file);
        List<long[]> events = dataExcerpts(file); // {header, end} of each event, in order
        long first = events.getFirst()[0];
        long end = events.getLast()[1];
        byte[] saved = Arrays.copyOf(Files.readAllBytes(file), (int) end + 4096);

        TreeSet<Long> cuts =
                new TreeSet<>(List.of(end, end + 4, end - 1, events.getLast()[0], events.getLast()[0] + 2));
        Random random = new Random(1201);
        while (cuts.size() < RANDOM_CUTS + 5) {
            cuts.add(first + (long) (random.nextDouble() * (end + 64 - first)));
        }
        int refused = 0;
        for (long cut : cuts) {
            FileBytes.truncate(file, cut);
            int whole =
                    (int) events.stream().filter(e -> e[1] <= cut).count() - 1; // the first event is registry-started
            try (RegistryServer server = RegistryServer.start(TestRegistry.testDefaults(data), Clock.systemUTC())) {
                assertServes(new Http(server.port()), whole, "cut at " + cut);
            } catch (IllegalStateException refusal) {
                assertThat(
                        "cut at " + cut,
                        refusal.getMessage(),
                        containsString(file.getFileName().toString()));
                refused++;
            }
            restore(file, saved, size);
        }
        assertThat(refused > 0, is(true));

        // --repair on a cut in the middle keeps every event before it
        long[] middle = events.get(events.size() / 2);
        long cut = middle[0] + 9;
        FileBytes.truncate(file, cut);
        int whole = (int) events.stream().filter(e -> e[1] <= cut).count() - 1;
        try (RegistryServer repaired =
                RegistryServer.start(TestRegistry.testDefaults(data).withRepair(true), Clock.systemUTC())) {
            assertServes(new Http(repaired.port()), whole, "repaired after a cut at " + cut);
        }
        try (TestRegistry again = new TestRegistry(data)) {
            assertServes(again.http(), whole, "restarted after the repair");
        }
    }

    /** Serves exactly svc-0 ... svc-(n-1), each with its port: nothing partial, nothing lost before the cut. */
    private static void assertServes(Http http, int n, String when) {
        JsonNode list = http.get("/services").json();
        assertThat(when, list.get("total").asInt(), is(n));
        for (int i = 0; i < n; i++) {
            JsonNode record = list.get("services").get(i);
            assertThat(when, record.get("name").asText(), is("svc-" + i));
            assertThat(when, record.get("port").asInt(), is(3000 + i));
        }
    }

    /** The data excerpts of a roll file: their header's position and the end of their frame. */
    private static List<long[]> dataExcerpts(Path file) throws Exception {
        ByteBuffer all = ByteBuffer.wrap(Files.readAllBytes(file)).order(ByteOrder.LITTLE_ENDIAN);
        List<long[]> excerpts = new ArrayList<>();
        for (int pos = 0; pos + 4 <= all.limit(); ) {
            int word = all.getInt(pos);
            if (word == 0) {
                break;
            }
            int length = word & 0x3FFF_FFFF;
            if ((word & 0xC000_0000) == 0) {
                excerpts.add(new long[] {pos, pos + 4L + length});
            }
            pos = (pos + 4 + length + 3) & ~3;
        }
        return excerpts;
    }

    /** Puts the file back as it was: its bytes, and its length. */
    private static void restore(Path file, byte[] saved, long size) throws Exception {
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.WRITE)) {
            ch.write(ByteBuffer.wrap(saved), 0);
            ch.write(ByteBuffer.allocate(1), size - 1);
        }
    }
}
