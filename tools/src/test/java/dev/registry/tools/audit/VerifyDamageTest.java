package dev.registry.tools.audit;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.is;

import dev.registry.events.event.ServiceRegistered;
import dev.registry.events.log.LoggedEvent;
import dev.registry.server.testing.Http;
import dev.registry.server.testing.LogDamage;
import dev.registry.server.testing.TestRegistry;
import dev.registry.tools.ToolRun;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** verify passes on a server's log and fails, naming the index, when a roll file is damaged. */
class VerifyDamageTest {

    private static final String VICTIM = "victim-7f3a9c1e";

    @TempDir
    Path dataDir;

    @Test
    void verifyNamesTheFirstDamagedEvent() throws Exception {
        long victimIndex;
        try (TestRegistry registry = new TestRegistry(dataDir)) {
            Http http = registry.http();
            for (int i = 0; i < 10; i++) {
                http.post("/services", Http.registration("before-" + i, 1, null));
            }
            http.post("/services", Http.registration(VICTIM, 1, null));
            for (int i = 0; i < 10; i++) {
                http.post("/services", Http.registration("after-" + i, 1, null));
            }
            victimIndex = registry.logEvents().stream()
                    .filter(e ->
                            e.event() instanceof ServiceRegistered r && r.name().equals(VICTIM))
                    .map(LoggedEvent::index)
                    .findFirst()
                    .orElseThrow();
        }
        ToolRun healthy = ToolRun.inProcess("verify", "--data-dir", dataDir.toString());
        assertThat(healthy.toString(), healthy.exit(), is(0));

        LogDamage.breakPayloadContaining(dataDir, VICTIM);

        ToolRun broken = ToolRun.inProcess("verify", "--json", "--data-dir", dataDir.toString());
        assertThat(broken.toString(), broken.exit(), is(1));
        assertThat(broken.json().get("bad_index").asLong(), is(victimIndex));
        ToolRun text = ToolRun.inProcess("verify", "--data-dir", dataDir.toString());
        assertThat(text.out(), containsString("FAILED at index " + victimIndex));
    }
}
