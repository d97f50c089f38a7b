package dev.registry.server.integrity;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.is;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.registry.events.event.RegistryStarted;
import dev.registry.events.event.ServiceRegistered;
import dev.registry.events.log.LogIdentity;
import dev.registry.events.log.LoggedEvent;
import dev.registry.server.RegistryServer;
import dev.registry.server.testing.ChildRegistry;
import dev.registry.server.testing.Http;
import dev.registry.server.testing.TestRegistry;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * One writer per log, also when the lock file is deleted under a running server: the identity
 * names the live writer, and a writer that finds another's events in the log stops writing.
 */
class SecondWriterTest {

    @TempDir
    Path tmp;

    @Test
    void aSecondServerIsRefusedWhenTheLockFileWasDeletedInBetween() throws Exception {
        Path data = tmp.resolve("data");
        try (ChildRegistry first = ChildRegistry.start(data)) {
            assertThat(
                    first.http()
                            .post("/services", Http.registration("a", 1, null))
                            .status(),
                    is(201));
            Files.delete(data.resolve("registry.lock"));

            IllegalStateException child = assertThrows(IllegalStateException.class, () -> ChildRegistry.start(data));
            assertThat(child.getMessage(), containsString("exited with 1"));
            assertThat(child.getMessage(), containsString("another registry server (pid " + first.pid()));
            IllegalStateException inProcess = assertThrows(
                    IllegalStateException.class,
                    () -> RegistryServer.start(TestRegistry.testDefaults(data), Clock.systemUTC()));
            assertThat(inProcess.getMessage(), containsString("another registry server (pid " + first.pid()));

            assertThat(
                    first.http()
                            .post("/services", Http.registration("b", 2, null))
                            .status(),
                    is(201));
            assertThat(first.http().get("/services").json().get("total").asInt(), is(2));
        }
        try (TestRegistry again = new TestRegistry(data)) {
            assertThat(again.http().get("/services").json().get("total").asInt(), is(2));
        }
    }

    @Test
    void aWriterThatFindsAnotherWritersEventsRefusesEveryWriteFromThenOn() throws Exception {
        Path data = tmp.resolve("data");
        try (TestRegistry first = new TestRegistry(data)) {
            assertThat(
                    first.http()
                            .post("/services", Http.registration("a", 1, null))
                            .status(),
                    is(201));
            // nothing left to tell a second server about the first: it starts, and appends
            Files.delete(data.resolve("registry.lock"));
            Files.delete(data.resolve(LogIdentity.FILE));
            try (ChildRegistry second = ChildRegistry.start(data)) {
                Http.Reply refused = first.http().post("/services", Http.registration("b", 2, null));
                assertThat(refused.body(), refused.status(), is(503));
                assertThat(refused.json().get("error").asText(), containsString("another writer appended to the log"));
                assertThat(first.http().post("/services/a/heartbeat", null).status(), is(503));
                assertThat(
                        second.http()
                                .post("/services", Http.registration("c", 3, null))
                                .status(),
                        is(201));
            }
        }
        // the log holds each writer's events in turn, never interleaved: a, the second's start, c
        List<LoggedEvent> events = TestRegistry.readLog(data);
        List<String> kinds = events.stream()
                .map(e -> switch (e.event()) {
                    case RegistryStarted s -> "started";
                    case ServiceRegistered r -> r.record().name();
                    default -> e.event().getClass().getSimpleName();
                })
                .toList();
        assertThat(kinds, is(List.of("started", "a", "started", "c")));
    }
}
