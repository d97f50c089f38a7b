package dev.registry.server.client;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.is;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.registry.api.ServiceRecord;
import dev.registry.api.client.RegistryClient;
import dev.registry.api.watch.ServiceWatcher;
import dev.registry.api.watch.WatchListener;
import dev.registry.server.testing.ChildRegistry;
import dev.registry.server.testing.Http;
import dev.registry.server.testing.TestRegistry;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The watcher's local copy equals the registry's list, through bursts, kills and restarts. */
class ServiceWatcherTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path tmp;

    @Test
    void copyEqualsTheListAfterABurstOfTenThousandRandomChanges() throws Exception {
        try (TestRegistry registry = new TestRegistry(tmp.resolve("data"))) {
            Http http = registry.http();
            AtomicInteger added = new AtomicInteger();
            AtomicInteger removed = new AtomicInteger();
            AtomicInteger changed = new AtomicInteger();
            try (ServiceWatcher watcher = ServiceWatcher.builder(RegistryClient.create(http.base()))
                    .listener(counting(added, changed, removed))
                    .start()) {
                burst(http, 10_000, 4, 300);
                assertConverged(watcher, http);
                assertThat(added.get() - removed.get(), is(watcher.snapshot().size()));
                assertThat(changed.get() > 0, is(true));
            }
        }
    }

    @Test
    void copyRecoversAfterTheServerIsKilledAndRestarted() throws Exception {
        Path data = tmp.resolve("data");
        int port = ChildRegistry.freePort();
        ChildRegistry first = ChildRegistry.start(data, port, "--checks", "off");
        try (ServiceWatcher watcher = ServiceWatcher.builder(
                        RegistryClient.create(first.http().base()))
                .backoff(Duration.ofMillis(50), Duration.ofMillis(500))
                .start()) {
            burst(first.http(), 1_000, 2, 100);
            assertConverged(watcher, first.http());

            first.kill9();
            try (ChildRegistry second = ChildRegistry.start(data, port, "--checks", "off")) {
                burst(second.http(), 1_000, 2, 100);
                assertConverged(watcher, second.http());
            }
        } finally {
            first.close();
        }
    }

    /** {@code changes} random registers, heartbeats, updates and deletes over {@code names} names. */
    static void burst(Http http, int changes, int writers, int names) throws InterruptedException {
        List<Thread> threads = new ArrayList<>();
        for (int w = 0; w < writers; w++) {
            Random random = new Random(w * 31L + changes);
            threads.add(Thread.ofVirtual().start(() -> {
                for (int i = 0; i < changes / writers; i++) {
                    String name = "svc-" + random.nextInt(names);
                    switch (random.nextInt(10)) {
                        case 0, 1 ->
                            http.post(
                                    "/services",
                                    Http.registration(
                                            name,
                                            1 + random.nextInt(60000),
                                            "{\"type\":\"openai-api\",\"models\":[\"m" + random.nextInt(3) + "\"]}"));
                        case 2 -> http.delete("/services/" + name);
                        case 3 ->
                            http.put(
                                    "/services/" + name,
                                    "{\"status\":\"" + (random.nextBoolean() ? "running" : "draining")
                                            + "\",\"metadata\":{\"n\":" + i + "}}");
                        default -> http.send("POST", "/services/" + name + "/heartbeat", null);
                    }
                }
            }));
        }
        for (Thread t : threads) {
            t.join();
        }
    }

    static void assertConverged(ServiceWatcher watcher, Http http) throws InterruptedException {
        Http.Reply list = http.get("/services");
        long index =
                Long.parseLong(list.headers().firstValue("x-registry-index").orElseThrow());
        assertThat(
                "watcher caught up to " + index + ", at " + watcher.index(),
                watcher.awaitIndex(index, Duration.ofSeconds(30)),
                is(true));
        assertThat(watcher.snapshot(), is(records(list.json())));
    }

    private static Map<String, ServiceRecord> records(JsonNode list) {
        Map<String, ServiceRecord> out = new HashMap<>();
        for (JsonNode s : list.get("services")) {
            ObjectNode copy = s.deepCopy();
            copy.remove("is_healthy");
            out.put(s.get("name").asText(), JSON.convertValue(copy, ServiceRecord.class));
        }
        return out;
    }

    private static WatchListener counting(AtomicInteger added, AtomicInteger changed, AtomicInteger removed) {
        return new WatchListener() {
            @Override
            public void added(ServiceRecord record) {
                added.incrementAndGet();
            }

            @Override
            public void changed(ServiceRecord before, ServiceRecord after) {
                changed.incrementAndGet();
            }

            @Override
            public void removed(ServiceRecord record) {
                removed.incrementAndGet();
            }
        };
    }
}
