package dev.registry.server.durability;

import static org.awaitility.Awaitility.await;
import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.greaterThanOrEqualTo;
import static org.hamcrest.Matchers.is;

import com.fasterxml.jackson.databind.JsonNode;
import dev.registry.server.testing.ChildRegistry;
import dev.registry.server.testing.Http;
import dev.registry.server.testing.TestRegistry;
import java.nio.file.Path;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Kill -9 a server in a child JVM while clients write to it, twice, then restart: every write
 * that was answered 2xx is there.
 */
class CrashTest {

    private static final int WRITERS = 8;

    @TempDir
    Path tmp;

    /** Acknowledged registrations: name to the port that was acknowledged last. */
    private final Map<String, Integer> ackedPorts = new ConcurrentHashMap<>();
    /** Acknowledged heartbeats: name to the latest acknowledged heartbeat time. */
    private final Map<String, Double> ackedHeartbeats = new ConcurrentHashMap<>();
    /** Acknowledged deletes. */
    private final Map<String, Boolean> ackedDeletes = new ConcurrentHashMap<>();
    /**
     * Deletes sent whose answer never came: the kill may have struck after the append and before
     * the reply, so the record may be there or not. Only acknowledged writes are promises.
     */
    private final Map<String, Boolean> unansweredDeletes = new ConcurrentHashMap<>();

    @Test
    void everyAcknowledgedWriteSurvivesKillMinus9() throws Exception {
        Path dataDir = tmp.resolve("data");
        for (int round = 0; round < 2; round++) {
            try (ChildRegistry child = ChildRegistry.start(dataDir, "--checks", "off")) {
                writeUntilKilled(child, round);
            }
        }
        try (TestRegistry restarted = new TestRegistry(dataDir)) {
            Http http = restarted.http();
            assertThat(ackedPorts.size(), greaterThanOrEqualTo(1000));
            for (var acked : ackedPorts.entrySet()) {
                Http.Reply reply = http.get("/services/" + acked.getKey());
                if (ackedDeletes.containsKey(acked.getKey())) {
                    assertThat(acked.getKey(), reply.status(), is(404));
                    continue;
                }
                if (unansweredDeletes.containsKey(acked.getKey()) && reply.status() == 404) {
                    continue;
                }
                assertThat(acked.getKey(), reply.status(), is(200));
                JsonNode record = reply.json();
                assertThat(record.get("port").asInt(), is(acked.getValue()));
                Double beat = ackedHeartbeats.get(acked.getKey());
                if (beat != null) {
                    assertThat(record.get("last_heartbeat").asDouble(), greaterThanOrEqualTo(beat - 1e-6));
                }
            }
        }
    }

    private void writeUntilKilled(ChildRegistry child, int round) throws InterruptedException {
        AtomicBoolean stop = new AtomicBoolean();
        AtomicInteger acks = new AtomicInteger();
        List<Thread> writers = new ArrayList<>();
        for (int w = 0; w < WRITERS; w++) {
            int writer = w;
            writers.add(Thread.ofVirtual().start(() -> {
                Http http = new Http(child.port());
                try {
                    for (int i = 0; !stop.get(); i++) {
                        String name = "r" + round + "-w" + writer + "-" + i;
                        int port = 1000 + i % 60000;
                        if (http.post("/services", Http.registration(name, port, "{\"i\":" + i + "}"))
                                        .status()
                                == 201) {
                            ackedPorts.put(name, port);
                            acks.incrementAndGet();
                        }
                        String earlier = "r" + round + "-w" + writer + "-" + (i / 2);
                        Http.Reply beat = http.send("POST", "/services/" + earlier + "/heartbeat", null);
                        if (beat.status() == 200) {
                            ackedHeartbeats.merge(
                                    earlier,
                                    epochSeconds(beat.json().get("timestamp").asText()),
                                    Math::max);
                        }
                        if (i % 10 == 9) {
                            String gone = "r" + round + "-w" + writer + "-" + (i - 5);
                            unansweredDeletes.put(gone, true);
                            if (http.delete("/services/" + gone).status() == 200) {
                                ackedDeletes.put(gone, true);
                            }
                            unansweredDeletes.remove(gone);
                        }
                    }
                } catch (RuntimeException connectionLost) {
                    // the server was killed under us: expected
                }
            }));
        }
        await().atMost(Duration.ofSeconds(60)).until(() -> acks.get() >= 600);
        child.kill9();
        stop.set(true);
        for (Thread t : writers) {
            t.join(Duration.ofSeconds(60));
        }
    }

    private static double epochSeconds(String isoTimestamp) {
        OffsetDateTime t = OffsetDateTime.parse(isoTimestamp);
        return t.toEpochSecond() + t.getNano() / 1e9;
    }
}
