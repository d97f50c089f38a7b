package dev.registry.tools.audit;

import static org.awaitility.Awaitility.await;
import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.greaterThan;
import static org.hamcrest.Matchers.is;

import com.fasterxml.jackson.databind.JsonNode;
import dev.registry.events.log.LoggedEvent;
import dev.registry.server.audit.ScriptedLifecycle;
import dev.registry.server.testing.Http;
import dev.registry.server.testing.MutableClock;
import dev.registry.server.testing.TestRegistry;
import dev.registry.tools.ToolRun;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.locks.LockSupport;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The offline tools read the same history the API serves, also while a server writes the log. */
class ToolsAuditTest {

    @TempDir
    Path dataDir;

    @Test
    void historyToolShowsTheScriptedLifecycleExactly() throws Exception {
        MutableClock clock = new MutableClock(ScriptedLifecycle.T0);
        try (TestRegistry registry = new TestRegistry(dataDir, s -> s, clock)) {
            ScriptedLifecycle.play(registry, clock);
        }
        ToolRun json = ToolRun.inProcess("history", ScriptedLifecycle.NAME, "--json", "--data-dir", dataDir.toString());
        assertThat(json.toString(), json.exit(), is(0));
        List<String> summaries = new ArrayList<>();
        json.json()
                .get("history")
                .forEach(e -> summaries.add(
                        e.get("type").asText() + " " + e.get("cause").asText() + " "
                                + e.get("heartbeats_before").asInt()));
        assertThat(summaries, is(ScriptedLifecycle.EXPECTED));

        ToolRun table = ToolRun.inProcess("history", ScriptedLifecycle.NAME, "--data-dir", dataDir.toString());
        assertThat(table.out(), containsString("health-checked  check"));
        assertThat(table.out().lines().count(), is((long) ScriptedLifecycle.EXPECTED.size() + 2));

        ToolRun missing = ToolRun.inProcess("history", "nobody", "--data-dir", dataDir.toString());
        assertThat(missing.exit(), is(1));
        assertThat(missing.err(), containsString("no history for service 'nobody'"));
    }

    @Test
    void everyToolRunsAsASeparateProcessWhileTheServerWrites() throws Exception {
        try (TestRegistry registry = new TestRegistry(dataDir)) {
            Http http = registry.http();
            for (int i = 0; i < 20; i++) {
                http.post("/services", Http.registration("svc-" + i, 1000 + i, null));
            }
            String middle = registry.logEvents().getLast().event().time().toString();
            AtomicBoolean stop = new AtomicBoolean();
            Thread writer = Thread.ofVirtual().start(() -> {
                for (int i = 0; !stop.get(); i++) {
                    http.send("POST", "/services/svc-" + (i % 20) + "/heartbeat", null);
                    // about 1,000 writes a second: flat out, the server took both cores from the tools' JVMs
                    LockSupport.parkNanos(Duration.ofMillis(1).toNanos());
                }
            });
            try {
                String dir = dataDir.toString();
                assertThat(
                        ToolRun.process("history", "svc-3", "--json", "--data-dir", dir)
                                .json()
                                .get("history")
                                .get(0)
                                .get("type")
                                .asText(),
                        is("registered"));
                assertThat(
                        ToolRun.process("events", "--json", "--limit", "5", "--data-dir", dir)
                                .out()
                                .lines()
                                .count(),
                        is(5L));
                JsonNode stats =
                        ToolRun.process("stats", "--json", "--data-dir", dir).json();
                assertThat(stats.get("per_type").get("registered").asInt(), is(20));
                ToolRun verify = ToolRun.process("verify", "--data-dir", dir);
                assertThat(verify.toString(), verify.exit(), is(0));
                assertThat(verify.out(), containsString("OK: "));
                assertThat(
                        ToolRun.process("at", middle, "--json", "--data-dir", dir)
                                .json()
                                .get("total")
                                .asInt(),
                        is(20));
                assertThat(
                        ToolRun.process("diff", "2026-01-01T00:00:00Z", middle, "--data-dir", dir)
                                .exit(),
                        is(2));
                JsonNode replay =
                        ToolRun.process("replay", "--json", "--data-dir", dir).json();
                assertThat(replay.get("records").asInt(), is(20));
                assertThat(replay.get("events").asLong(), greaterThan(20L));
            } finally {
                stop.set(true);
                writer.join();
            }
        }
    }

    @Test
    void eventsFollowPrintsNewEventsAsTheyAreAppended() throws Exception {
        try (TestRegistry registry = new TestRegistry(dataDir)) {
            Http http = registry.http();
            http.post("/services", Http.registration("followed", 1, null));
            Process follow = new ProcessBuilder(dev.registry.server.testing.ChildJvm.command(
                            dev.registry.tools.RegistryTools.class.getName(),
                            List.of(
                                    "events",
                                    "--follow",
                                    "--json",
                                    "--service",
                                    "followed",
                                    "--data-dir",
                                    dataDir.toString())))
                    .redirectError(ProcessBuilder.Redirect.DISCARD)
                    .start();
            List<String> lines = new CopyOnWriteArrayList<>();
            Thread reader = Thread.ofVirtual().start(() -> {
                try (BufferedReader in =
                        new BufferedReader(new InputStreamReader(follow.getInputStream(), StandardCharsets.UTF_8))) {
                    for (String line = in.readLine(); line != null; line = in.readLine()) {
                        lines.add(line);
                    }
                } catch (java.io.IOException ignored) {
                    // the process was stopped
                }
            });
            try {
                await().atMost(Duration.ofSeconds(30)).until(() -> lines.size() == 1);
                http.send("POST", "/services/followed/heartbeat", null);
                http.put("/services/followed", "{\"port\":2}");
                await().atMost(Duration.ofSeconds(30)).until(() -> lines.size() == 3);
                assertThat(lines.get(1), containsString("\"type\":\"heartbeat\""));
                assertThat(lines.get(2), containsString("\"type\":\"updated\""));
                List<Long> logIndexes = registry.logEvents().stream()
                        .filter(e -> e.event() instanceof dev.registry.events.event.ServiceEvent se
                                && se.name().equals("followed"))
                        .map(LoggedEvent::index)
                        .toList();
                assertThat(
                        lines.stream()
                                .map(l -> Long.parseLong(l.replaceAll(".*\"index\":(\\d+).*", "$1")))
                                .toList(),
                        is(logIndexes));
            } finally {
                follow.destroyForcibly().waitFor();
                reader.join();
            }
        }
    }
}
