package dev.registry.server.durability;

import dev.registry.events.event.ServiceRegistered;
import dev.registry.events.log.LoggedEvent;
import dev.registry.server.RegistryServer;
import dev.registry.server.testing.ChildRegistry;
import dev.registry.server.testing.Http;
import dev.registry.server.testing.LogDamage;
import dev.registry.server.testing.TestRegistry;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Clock;
import java.util.List;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.junit.jupiter.api.Assertions.assertThrows;

/** A damaged log: the server names the place and refuses to start, rather than serve a different state. */
class DamagedLogTest {

    private static final String VICTIM = "victim-0c4e81aa";

    @TempDir
    Path tmp;

    @Test
    void startUpNamesTheDamageAndRefuses() throws Exception {
        Path data = tmp.resolve("data");
        long before;
        try (TestRegistry registry = new TestRegistry(data, s -> s.withSnapshots(0, java.time.Duration.ZERO), Clock.systemUTC())) {
            Http http = registry.http();
            http.post("/services", Http.registration("a", 1, null));
            http.post("/services", Http.registration(VICTIM, 1, null));
            http.post("/services", Http.registration("b", 1, null));
            List<LoggedEvent> events = registry.logEvents();
            int victim = 0;
            while (!(events.get(victim).event() instanceof ServiceRegistered r && r.name().equals(VICTIM))) {
                victim++;
            }
            before = events.get(victim - 1).index();
        }
        LogDamage.breakPayloadContaining(data, VICTIM);

        IllegalStateException refused = assertThrows(IllegalStateException.class,
                () -> RegistryServer.start(TestRegistry.testDefaults(data), Clock.systemUTC()));
        assertThat(refused.getMessage(), containsString("the log is damaged after index " + before));

        IllegalStateException child = assertThrows(IllegalStateException.class, () -> ChildRegistry.start(data));
        assertThat(child.getMessage(), containsString("exited with 1"));
        assertThat(child.getMessage(), containsString("the log is damaged after index " + before));
    }
}
