package dev.registry.server.security;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.is;

import dev.registry.events.event.ServiceRegistered;
import dev.registry.server.testing.Http;
import dev.registry.server.testing.RegistryTestBase;
import dev.registry.server.testing.TestRegistry;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;

/** --max-records: no client can grow the registry without bound. */
class RecordLimitTest extends RegistryTestBase {

    @Override
    protected TestRegistry newRegistry(Path dir) {
        return new TestRegistry(dir, s -> s.withMaxRecords(3), java.time.Clock.systemUTC());
    }

    @Test
    void newNamesBeyondTheLimitAre413ButExistingOnesStillUpdate() {
        register("a");
        register("b");
        register("c");
        int events = logSize();
        Http.Reply refused = http.post("/services", Http.registration("d", 1, null));
        assertThat(refused.status(), is(413));
        assertThat(refused.json().get("error").asText(), containsString("--max-records"));
        assertThat(logSize(), is(events));

        assertThat(http.post("/services", Http.registration("a", 2, null)).status(), is(201));
        http.delete("/services/b");
        assertThat(http.post("/services", Http.registration("d", 1, null)).status(), is(201));
    }

    /** The attack of issue 14: checked against the view before queueing, 160 racing names stored 52 to 55. */
    @Test
    void concurrentRegistrationsOfNewNamesStoreExactlyTheLimit() throws Exception {
        registry.close();
        registry = new TestRegistry(dataDir, s -> s.withMaxRecords(50), java.time.Clock.systemUTC());
        http = registry.http();
        int clients = 160;
        CountDownLatch go = new CountDownLatch(1);
        List<Future<Http.Reply>> replies = new ArrayList<>();
        try (ExecutorService pool = Executors.newFixedThreadPool(clients)) {
            for (int i = 0; i < clients; i++) {
                String name = "racer-" + i;
                replies.add(pool.submit(() -> {
                    go.await();
                    return http.post("/services", Http.registration(name, 8000, null));
                }));
            }
            go.countDown();
        }
        int created = 0;
        int refused = 0;
        for (Future<Http.Reply> f : replies) {
            Http.Reply reply = f.get();
            if (reply.status() == 201) {
                created++;
            } else {
                assertThat(reply.body(), reply.status(), is(413));
                assertThat(reply.json().get("error").asText(), containsString("at most 50 records (--max-records)"));
                refused++;
            }
        }

        assertThat(created, is(50));
        assertThat(refused, is(clients - 50));
        assertThat(http.get("/services").json().get("total").asInt(), is(50));
        long stored = registry.logEvents().stream()
                .filter(e -> e.event() instanceof ServiceRegistered)
                .count();
        assertThat(stored, is(50L));
    }
}
