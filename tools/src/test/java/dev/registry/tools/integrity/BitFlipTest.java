package dev.registry.tools.integrity;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.is;
import static org.junit.jupiter.api.Assertions.fail;

import dev.registry.events.event.HeartbeatReceived;
import dev.registry.events.event.ServiceRegistered;
import dev.registry.events.log.FileBytes;
import dev.registry.events.log.LoggedEvent;
import dev.registry.server.RegistryServer;
import dev.registry.server.testing.Http;
import dev.registry.server.testing.LogDamage;
import dev.registry.server.testing.TestRegistry;
import dev.registry.tools.ToolRun;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Bit rot in one stored registration and one stored heartbeat, one bit at a time: every bit of
 * Chronicle's excerpt header and a seeded sample of the event's frame (its header and payload).
 * verify names the event's index every time, and start-up refuses every time, so no flipped value
 * is ever served.
 */
class BitFlipTest {

    private static final String REGISTRATION = "victim-registration-7c1d";
    /** 21 characters: in the binary heartbeat the name follows its length byte, 0x15. */
    private static final String HEARTBEAT = "heartbeat-victim-a8e2";

    private static final int SAMPLED_FRAME_BITS = 84;

    @TempDir
    Path data;

    @Test
    void everyFlippedBitIsFoundAndNoneIsServed() throws Exception {
        long registrationIndex;
        long heartbeatIndex;
        try (TestRegistry registry =
                new TestRegistry(data, s -> s.withSnapshots(0, Duration.ZERO), Clock.systemUTC())) {
            Http http = registry.http();
            for (int i = 0; i < 5; i++) {
                http.post("/services", Http.registration("before-" + i, 1000 + i, null));
            }
            http.post("/services", Http.registration(REGISTRATION, 4242, "{\"zone\":\"eu-1\"}"));
            http.post("/services", Http.registration(HEARTBEAT, 4343, null));
            http.post("/services/" + HEARTBEAT + "/heartbeat", null);
            for (int i = 0; i < 5; i++) {
                http.post("/services", Http.registration("after-" + i, 2000 + i, null));
                http.post("/services/after-" + i + "/heartbeat", null);
            }
            List<LoggedEvent> events = registry.logEvents();
            registrationIndex = events.stream()
                    .filter(e -> e.event() instanceof ServiceRegistered r
                            && r.record().name().equals(REGISTRATION))
                    .findFirst()
                    .orElseThrow()
                    .index();
            heartbeatIndex = events.stream()
                    .filter(e ->
                            e.event() instanceof HeartbeatReceived h && h.name().equals(HEARTBEAT))
                    .findFirst()
                    .orElseThrow()
                    .index();
        }
        LogDamage.Excerpt registration = LogDamage.excerptContaining(data, REGISTRATION);
        LogDamage.Excerpt heartbeat = LogDamage.excerptContaining(data, (char) HEARTBEAT.length() + HEARTBEAT);

        Random random = new Random(20261201);
        int flips = flipEach(registration, registrationIndex, random) + flipEach(heartbeat, heartbeatIndex, random);
        assertThat(flips >= 200, is(true));

        // with every bit back, the log verifies and serves both records as they were written
        ToolRun whole = ToolRun.inProcess("verify", "--data-dir", data.toString());
        assertThat(whole.toString(), whole.exit(), is(0));
        try (TestRegistry again = new TestRegistry(data)) {
            assertThat(
                    again.http()
                            .get("/services/" + REGISTRATION)
                            .json()
                            .get("port")
                            .asInt(),
                    is(4242));
            assertThat(
                    again.http()
                            .get("/services/" + HEARTBEAT)
                            .json()
                            .get("port")
                            .asInt(),
                    is(4343));
        }
    }

    /** Flips each bit of the excerpt's header and a sample of its frame's, one at a time; returns how many. */
    private int flipEach(LogDamage.Excerpt excerpt, long index, Random random) throws Exception {
        byte[] original = read(excerpt);
        List<Integer> bits = new ArrayList<>();
        for (int bit = 0; bit < 32; bit++) {
            bits.add(bit);
        }
        for (int i = 0; i < SAMPLED_FRAME_BITS; i++) {
            bits.add(32 + random.nextInt(excerpt.length() * 8));
        }
        for (int bit : bits) {
            FileBytes.flip(excerpt.file(), excerpt.header() + bit / 8, 1 << (bit % 8));

            ToolRun verify = ToolRun.inProcess("verify", "--json", "--data-dir", data.toString());
            assertThat("bit " + bit + ": " + verify, verify.exit(), is(1));
            assertThat(
                    "bit " + bit + ": " + verify, verify.json().get("bad_index").asLong(), is(index));
            try {
                RegistryServer started = RegistryServer.start(TestRegistry.testDefaults(data), Clock.systemUTC());
                started.close();
                fail("bit " + bit + " of the excerpt at index " + index + ": the server started on the flipped log");
            } catch (IllegalStateException refused) {
                // refused, as it must: nothing is served
            }
            FileBytes.write(excerpt.file(), excerpt.header(), original);
        }
        return bits.size();
    }

    private static byte[] read(LogDamage.Excerpt excerpt) throws Exception {
        try (FileChannel ch = FileChannel.open(excerpt.file(), StandardOpenOption.READ)) {
            ByteBuffer bytes = ByteBuffer.allocate(excerpt.size());
            ch.read(bytes, excerpt.header());
            return bytes.array();
        }
    }
}
