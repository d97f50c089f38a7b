package dev.registry.server.durability;

import static org.awaitility.Awaitility.await;
import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.lessThan;

import dev.registry.server.testing.ChildRegistry;
import dev.registry.server.testing.Http;
import dev.registry.server.testing.TestRegistry;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * SIGTERM while clients write and a blocking query waits: the server stops promptly, answers
 * what it was answering, and every acknowledged write is there after a restart.
 */
class GracefulShutdownTest {

    @TempDir
    Path tmp;

    @Test
    void sigtermFinishesInFlightWorkAndClosesTheLogCleanly() throws Exception {
        Path data = tmp.resolve("data");
        ChildRegistry server = ChildRegistry.start(data, "--checks", "off");
        Set<String> acked = ConcurrentHashMap.newKeySet();
        AtomicBoolean stop = new AtomicBoolean();
        List<Thread> writers = new ArrayList<>();
        for (int w = 0; w < 8; w++) {
            int writer = w;
            writers.add(Thread.ofVirtual().start(() -> {
                Http http = new Http(server.port());
                for (int i = 0; !stop.get(); i++) {
                    try {
                        String name = "w" + writer + "-" + i;
                        if (http.post("/services", Http.registration(name, 1, null))
                                        .status()
                                == 201) {
                            acked.add(name);
                        }
                    } catch (RuntimeException gone) {
                        return;
                    }
                }
            }));
        }
        Http http = server.http();
        // an index the view will not reach: this query waits the whole five minutes unless the stop ends it
        CompletableFuture<Http.Reply> blocked = CompletableFuture.supplyAsync(
                () -> http.get("/services/nobody?index=" + Long.MAX_VALUE / 2 + "&wait=5m"));
        await().atMost(Duration.ofSeconds(30)).until(() -> acked.size() >= 300);

        long t0 = System.nanoTime();
        int exit = server.terminate();
        long stoppedMillis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0);
        stop.set(true);
        for (Thread t : writers) {
            t.join(Duration.ofSeconds(30));
        }

        assertThat(exit, is(143));
        assertThat("stopped in " + stoppedMillis + " ms", stoppedMillis, lessThan(20_000L));
        // the blocking query was answered (404: no such record) or cut, but did not hold the stop for 5 minutes
        assertThat(blocked.handle((r, e) -> true).get(30, TimeUnit.SECONDS), is(true));

        try (TestRegistry restarted = new TestRegistry(data)) {
            for (String name : acked) {
                assertThat(name, restarted.http().get("/services/" + name).status(), is(200));
            }
        }
    }
}
