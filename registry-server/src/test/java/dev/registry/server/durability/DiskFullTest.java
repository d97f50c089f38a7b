package dev.registry.server.durability;

import static org.awaitility.Awaitility.await;
import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.is;

import dev.registry.server.testing.Http;
import dev.registry.server.testing.RegistryTestBase;
import dev.registry.server.testing.TestRegistry;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/** A disk running full: writes get a 503 naming the cause, reads go on, writes resume with space. */
class DiskFullTest extends RegistryTestBase {

    private static final long GIB = 1L << 30;
    private final AtomicLong freeBytes = new AtomicLong(GIB);

    @Override
    protected TestRegistry newRegistry(Path dir) {
        return new TestRegistry(dir, s -> s.withMinFreeSpace(256L << 20), Clock.systemUTC(), freeBytes::get);
    }

    @Test
    void writesAreRefusedWhileTheDiskIsAlmostFullAndResumeAfter() {
        register("before");
        freeBytes.set(10L << 20);
        // free space is looked up at most once a second: the drop shows within that
        await().atMost(Duration.ofSeconds(5))
                .until(() ->
                        http.send("POST", "/services/before/heartbeat", null).status() == 503);
        int events = logSize();

        Http.Reply refused = http.post("/services", Http.registration("during", 1, null));
        assertThat(refused.status(), is(503));
        assertThat(refused.json().get("error").asText(), containsString("the disk is almost full: 10 MiB free"));
        assertThat(http.send("POST", "/services/before/heartbeat", null).status(), is(503));
        assertThat(http.delete("/services/before").status(), is(503));
        assertThat(http.get("/services/before").status(), is(200));
        assertThat(http.get("/services").json().get("total").asInt(), is(1));
        assertThat(http.get("/services/during").status(), is(404));
        assertThat(logSize(), is(events));

        freeBytes.set(GIB);
        assertThat(http.post("/services", Http.registration("after", 1, null)).status(), is(201));
        assertThat(http.send("POST", "/services/before/heartbeat", null).status(), is(200));
    }
}
