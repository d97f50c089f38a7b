package dev.registry.server.durability;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.is;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.registry.server.RegistryServer;
import dev.registry.server.testing.ChildRegistry;
import dev.registry.server.testing.Http;
import dev.registry.server.testing.TestRegistry;
import java.nio.file.Path;
import java.time.Clock;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** One server per data directory: a second one refuses to start, clearly, and the first is unharmed. */
class SecondInstanceTest {

    @TempDir
    Path tmp;

    @Test
    void aSecondServerOnTheSameDirectoryRefusesToStart() {
        Path data = tmp.resolve("data");
        try (TestRegistry first = new TestRegistry(data)) {
            first.http().post("/services", Http.registration("a", 1, null));

            IllegalStateException inProcess = assertThrows(
                    IllegalStateException.class,
                    () -> RegistryServer.start(TestRegistry.testDefaults(data), Clock.systemUTC()));
            assertThat(inProcess.getMessage(), containsString("another registry server is using"));

            IllegalStateException child = assertThrows(IllegalStateException.class, () -> ChildRegistry.start(data));
            assertThat(child.getMessage(), containsString("exited with 1"));
            assertThat(child.getMessage(), containsString("another registry server is using"));
            assertThat(
                    child.getMessage(),
                    containsString("pid " + ProcessHandle.current().pid()));

            assertThat(first.http().get("/services/a").status(), is(200));
            assertThat(
                    first.http()
                            .post("/services", Http.registration("b", 1, null))
                            .status(),
                    is(201));
        }
        try (TestRegistry again = new TestRegistry(data)) {
            assertThat(again.http().get("/services").json().get("total").asInt(), is(2));
        }
    }
}
