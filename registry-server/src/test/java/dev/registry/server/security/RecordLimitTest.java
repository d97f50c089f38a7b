package dev.registry.server.security;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.is;

import dev.registry.server.testing.Http;
import dev.registry.server.testing.RegistryTestBase;
import dev.registry.server.testing.TestRegistry;
import java.nio.file.Path;
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
}
