package dev.registry.server.durability;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.is;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.fasterxml.jackson.databind.JsonNode;
import dev.registry.events.event.ServiceRegistered;
import dev.registry.events.log.FileChecksum;
import dev.registry.events.log.LoggedEvent;
import dev.registry.server.RegistryServer;
import dev.registry.server.testing.ChildRegistry;
import dev.registry.server.testing.Http;
import dev.registry.server.testing.LogDamage;
import dev.registry.server.testing.TestRegistry;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A damaged log: the server names the place and refuses to start, rather than serve a different state. */
class DamagedLogTest {

    private static final String VICTIM = "victim-0c4e81aa";

    @TempDir
    Path tmp;

    @Test
    void startUpNamesTheDamageAndRefuses() throws Exception {
        Path data = tmp.resolve("data");
        long before;
        try (TestRegistry registry =
                new TestRegistry(data, s -> s.withSnapshots(0, java.time.Duration.ZERO), Clock.systemUTC())) {
            Http http = registry.http();
            http.post("/services", Http.registration("a", 1, null));
            http.post("/services", Http.registration(VICTIM, 1, null));
            http.post("/services", Http.registration("b", 1, null));
            List<LoggedEvent> events = registry.logEvents();
            int victim = 0;
            while (!(events.get(victim).event() instanceof ServiceRegistered r
                    && r.name().equals(VICTIM))) {
                victim++;
            }
            before = events.get(victim - 1).index();
        }
        LogDamage.breakPayloadContaining(data, VICTIM);

        IllegalStateException refused = assertThrows(
                IllegalStateException.class,
                () -> RegistryServer.start(TestRegistry.testDefaults(data), Clock.systemUTC()));
        assertThat(refused.getMessage(), containsString("the log is damaged after index " + before));
        assertThat(refused.getMessage(), containsString("checksum mismatch"));
        assertThat(
                refused.getMessage(),
                containsString("at index " + (before + 1) + " in "
                        + LogDamage.newestRollFile(data).getFileName()));
        assertThat(refused.getMessage(), containsString("--repair"));

        IllegalStateException child = assertThrows(IllegalStateException.class, () -> ChildRegistry.start(data));
        assertThat(child.getMessage(), containsString("exited with 1"));
        assertThat(child.getMessage(), containsString("the log is damaged after index " + before));
    }

    @Test
    void repairAfterAChecksumMismatchServesEveryEventBeforeItAndNeverTheDamagedValue() throws Exception {
        Path data = tmp.resolve("data");
        try (TestRegistry registry =
                new TestRegistry(data, s -> s.withSnapshots(0, java.time.Duration.ZERO), Clock.systemUTC())) {
            Http http = registry.http();
            for (String name : List.of("a", "b", "c")) {
                http.post("/services", Http.registration(name, 1000 + name.charAt(0), null));
            }
            http.put("/services/c", "{\"port\":4321}");
            http.post("/services", Http.registration("d", 1100, null));
        }
        LogDamage.changeByteOf(data, "\"port\":4321", 10, '9'); // still valid JSON: 4329

        try (ChildRegistry child = ChildRegistry.start(data, "--repair")) {
            JsonNode list = child.http().get("/services").json();
            assertThat(list.get("total").asInt(), is(3));
            assertThat(child.http().get("/services/a").json().get("port").asInt(), is(1000 + 'a'));
            assertThat(child.http().get("/services/b").json().get("port").asInt(), is(1000 + 'b'));
            assertThat(child.http().get("/services/c").json().get("port").asInt(), is(1000 + 'c'));
            for (String path : List.of("/services", "/services/c/history", "/events?limit=1000")) {
                assertThat(path, child.http().get(path).body(), org.hamcrest.Matchers.not(containsString("4329")));
            }
        }
    }

    @Test
    void repairKeepsEveryEventBeforeTheDamageAndSavesTheDamagedFiles() throws Exception {
        Path data = tmp.resolve("data");
        try (TestRegistry registry =
                new TestRegistry(data, s -> s.withSnapshots(0, java.time.Duration.ZERO), Clock.systemUTC())) {
            Http http = registry.http();
            http.post("/services", Http.registration("a", 1, null));
            http.post("/services", Http.registration(VICTIM, 1, null));
            http.post("/services", Http.registration("b", 1, null));
        }
        LogDamage.breakPayloadContaining(data, VICTIM);
        Map<String, Long> damagedFiles = new HashMap<>();
        try (var files = Files.list(data)) {
            for (Path f : files.filter(p -> p.toString().endsWith(".cq4")).toList()) {
                damagedFiles.put(f.getFileName().toString(), FileChecksum.of(f));
            }
        }

        try (ChildRegistry child = ChildRegistry.start(data, "--repair")) {
            JsonNode list = child.http().get("/services").json();
            assertThat(list.get("services").size(), is(1));
            assertThat(list.get("services").get(0).get("name").asText(), is("a"));
            assertThat(
                    child.http()
                            .post("/services", Http.registration("c", 1, null))
                            .status(),
                    is(201));
        }
        Path saved;
        try (var dirs = Files.list(data)) {
            saved = dirs.filter(p -> p.getFileName().toString().startsWith("damaged-"))
                    .findFirst()
                    .orElseThrow();
        }
        for (var e : damagedFiles.entrySet()) {
            assertThat(e.getKey(), FileChecksum.of(saved.resolve(e.getKey())), is(e.getValue()));
        }

        // the repaired log is whole: a plain start takes it, with the write made after the repair
        try (TestRegistry again = new TestRegistry(data, s -> s, Clock.systemUTC())) {
            assertThat(again.http().get("/services").json().get("total").asInt(), is(2));
            assertThat(again.http().get("/services/c").status(), is(200));
        }
    }
}
