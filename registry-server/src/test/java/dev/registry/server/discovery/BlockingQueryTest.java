package dev.registry.server.discovery;

import static org.awaitility.Awaitility.await;
import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.greaterThan;
import static org.hamcrest.Matchers.greaterThanOrEqualTo;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.lessThan;
import static org.hamcrest.Matchers.lessThanOrEqualTo;

import dev.registry.server.testing.Http;
import dev.registry.server.testing.RegistryTestBase;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** ?index=N&wait=D: return when the view passes N, or at the wait. */
class BlockingQueryTest extends RegistryTestBase {

    @Test
    void aBlockingQueryWakesWithinFiftyMillisecondsOfAChange() throws Exception {
        register("a");
        List<Long> wakeMillis = new ArrayList<>();
        for (int round = 0; round < 5; round++) {
            long index = index(http.get("/services"));
            CompletableFuture<Long> woke = CompletableFuture.supplyAsync(() -> {
                Http.Reply reply = http.get("/services?index=" + index + "&wait=30s");
                long at = System.nanoTime();
                assertThat(index(reply), greaterThan(index));
                return at;
            });
            await().atMost(Duration.ofSeconds(10))
                    .until(() -> registry.server().changes().waiting() == 1);
            long changed = System.nanoTime();
            assertThat(http.send("POST", "/services/a/heartbeat", null).status(), is(200));
            wakeMillis.add(TimeUnit.NANOSECONDS.toMillis(woke.get(10, TimeUnit.SECONDS) - changed));
        }
        List<Long> sorted = wakeMillis.stream().sorted().toList();
        assertThat("wake-up delays " + wakeMillis, sorted.get(2), lessThanOrEqualTo(50L));
    }

    @Test
    void withNoChangeItReturnsAtTheWaitWithTheCurrentBody() {
        register("a");
        long index = index(http.get("/services"));
        long t0 = System.nanoTime();
        Http.Reply reply = http.get("/services?index=" + index + "&wait=1s");
        long elapsed = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0);
        assertThat(reply.status(), is(200));
        assertThat(index(reply), is(index));
        assertThat(reply.json().get("total").asInt(), is(1));
        assertThat(elapsed, greaterThanOrEqualTo(1000L));
        assertThat(elapsed, lessThan(1000L + 1000 / 16 + 2000));
    }

    @Test
    void anOldIndexReturnsAtOnce() {
        register("a");
        long t0 = System.nanoTime();
        Http.Reply reply = http.get("/services?index=0&wait=5m");
        assertThat(reply.status(), is(200));
        assertThat(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0), lessThan(5_000L));
    }

    @Test
    void singleRecordsBlockToo() throws Exception {
        register("a");
        long index = index(http.get("/services/a"));
        CompletableFuture<Http.Reply> reply =
                CompletableFuture.supplyAsync(() -> http.get("/services/a?index=" + index + "&wait=30s"));
        await().atMost(Duration.ofSeconds(10))
                .until(() -> registry.server().changes().waiting() == 1);
        http.put("/services/a", "{\"port\":4242}");
        assertThat(reply.get(10, TimeUnit.SECONDS).json().get("port").asInt(), is(4242));
    }

    @ParameterizedTest
    @CsvSource(
            delimiter = '|',
            value = {
                "index=-1|index",
                "index=abc|index",
                "index=1&wait=forever|wait",
                "index=1&wait=-5s|wait",
                "index=1&wait=10|wait"
            })
    void badValuesAre400(String query, String parameter) {
        Http.Reply reply = http.get("/services?" + query);
        assertThat(reply.status(), is(400));
        assertThat(reply.json().get("error").asText(), containsString("'" + parameter + "'"));
    }

    private static long index(Http.Reply reply) {
        return Long.parseLong(reply.headers().firstValue("x-registry-index").orElseThrow());
    }
}
