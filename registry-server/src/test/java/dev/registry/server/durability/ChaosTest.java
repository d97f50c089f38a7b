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
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * 200 clients heartbeat and re-register while the server in a child JVM is killed with SIGKILL and
 * restarted five times: afterwards every acknowledged write is there, and every client recovered.
 */
class ChaosTest {

    private static final int CLIENTS = 200;

    @TempDir
    Path tmp;

    /** What one client was told: its last acknowledged registration (port) and heartbeat time. */
    private static final class Client {
        final String name;
        final AtomicInteger ackedPort = new AtomicInteger();
        final AtomicLong ackedBeatMicros = new AtomicLong();
        final AtomicLong acks = new AtomicLong();

        Client(int i) {
            this.name = "chaos-" + i;
        }
    }

    @Test
    void everyAcknowledgedWriteSurvivesFiveKillsAndEveryClientRecovers() throws Exception {
        Path data = tmp.resolve("data");
        int port = ChildRegistry.freePort();
        List<Client> clients = new ArrayList<>();
        AtomicBoolean stop = new AtomicBoolean();
        AtomicLong totalAcks = new AtomicLong();
        List<Thread> threads = new ArrayList<>();
        ChildRegistry server = ChildRegistry.start(data, port, "--checks", "off");
        try {
            for (int i = 0; i < CLIENTS; i++) {
                Client c = new Client(i);
                clients.add(c);
                threads.add(Thread.ofVirtual().start(() -> run(c, new Http(port), stop, totalAcks)));
            }
            for (int round = 0; round < 5; round++) {
                long target = totalAcks.get() + 2_000;
                await().atMost(Duration.ofSeconds(60)).until(() -> totalAcks.get() >= target);
                server.kill9();
                server = ChildRegistry.start(data, port, "--checks", "off");
            }
            long[] before = clients.stream().mapToLong(c -> c.acks.get()).toArray();
            await().atMost(Duration.ofSeconds(60)).until(() -> {
                for (int i = 0; i < CLIENTS; i++) {
                    if (clients.get(i).acks.get() <= before[i]) {
                        return false;
                    }
                }
                return true;
            });
        } finally {
            stop.set(true);
            for (Thread t : threads) {
                t.join(Duration.ofSeconds(30));
            }
            server.close();
        }

        try (TestRegistry check = new TestRegistry(data)) {
            for (Client c : clients) {
                JsonNode record = check.http().get("/services/" + c.name).json();
                assertThat(c.name, record.get("port").asInt(), greaterThanOrEqualTo(c.ackedPort.get()));
                assertThat(
                        c.name,
                        Math.round(record.get("last_heartbeat").asDouble() * 1e6),
                        greaterThanOrEqualTo(c.ackedBeatMicros.get() - 1));
            }
            assertThat(check.http().get("/services").json().get("total").asInt(), is(CLIENTS));
        }
    }

    /** A client as the fleet's should behave: heartbeat, register again on 404, back off when down. */
    private static void run(Client c, Http http, AtomicBoolean stop, AtomicLong totalAcks) {
        int nextPort = 1;
        boolean registered = false;
        while (!stop.get()) {
            try {
                if (!registered || nextPort % 50 == 0) {
                    int p = nextPort++;
                    if (http.post("/services", Http.registration(c.name, p, null))
                                    .status()
                            == 201) {
                        c.ackedPort.set(p);
                        registered = true;
                        ack(c, totalAcks);
                    }
                    continue;
                }
                nextPort++;
                Http.Reply beat = http.send("POST", "/services/" + c.name + "/heartbeat", null);
                if (beat.status() == 404) {
                    registered = false;
                } else if (beat.status() == 200) {
                    OffsetDateTime t =
                            OffsetDateTime.parse(beat.json().get("timestamp").asText());
                    c.ackedBeatMicros.accumulateAndGet(t.toEpochSecond() * 1_000_000 + t.getNano() / 1_000, Math::max);
                    ack(c, totalAcks);
                }
            } catch (RuntimeException down) {
                LockSupport.parkNanos(Duration.ofMillis(50).toNanos()); // the registry is restarting: back off
            }
        }
    }

    private static void ack(Client c, AtomicLong totalAcks) {
        c.acks.incrementAndGet();
        totalAcks.incrementAndGet();
    }
}
