package dev.registry.tools.dump;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.greaterThan;
import static org.hamcrest.Matchers.hasItems;
import static org.hamcrest.Matchers.is;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.registry.server.testing.ChildJvm;
import dev.registry.server.testing.Http;
import dev.registry.server.testing.TestRegistry;
import dev.registry.tools.RegistryTools;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.locks.LockSupport;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DumpCommandTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path dataDir;

    @Test
    void dumpsEveryEventAsOneJsonLine() throws Exception {
        try (TestRegistry registry = new TestRegistry(dataDir)) {
            Http http = registry.http();
            http.post("/services", Http.registration("a", 8000, "{\"type\":\"openai-api\"}"));
            http.send("POST", "/services/a/heartbeat", "{\"status\":\"draining\"}");
            http.put("/services/a", "{\"port\":8001}");
            http.delete("/services/a");
        }
        StringWriter out = new StringWriter();
        int exit = RegistryTools.run(
                new PrintWriter(out), new PrintWriter(new StringWriter()), "dump", "--data-dir", dataDir.toString());

        assertThat(exit, is(0));
        List<JsonNode> lines = parse(out.toString());
        assertThat(types(lines), is(List.of("registry-started", "registered", "heartbeat", "updated", "deregistered")));
        JsonNode registered = lines.get(1);
        assertThat(registered.get("record").get("name").asText(), is("a"));
        assertThat(registered.get("record").get("metadata").get("type").asText(), is("openai-api"));
        assertThat(registered.get("replaced").asBoolean(), is(false));
        assertThat(registered.get("time").asText().endsWith("Z"), is(true));
        assertThat(lines.get(2).get("status").asText(), is("draining"));
        assertThat(lines.get(3).get("changes").toString(), is("{\"port\":8001}"));
        assertIncreasingIndexes(lines);
    }

    @Test
    void dumpRunsAsASeparateProcessWhileTheServerWrites() throws Exception {
        try (TestRegistry registry = new TestRegistry(dataDir)) {
            Http http = registry.http();
            for (int i = 0; i < 50; i++) {
                http.post("/services", Http.registration("svc-" + i, 8000 + i, null));
            }
            AtomicBoolean stop = new AtomicBoolean();
            Thread writer = Thread.ofVirtual().start(() -> {
                for (int i = 0; !stop.get(); i++) {
                    http.send("POST", "/services/svc-" + (i % 50) + "/heartbeat", null);
                    // about 1,000 writes a second: flat out, the server took both cores from the dump's JVM
                    LockSupport.parkNanos(Duration.ofMillis(1).toNanos());
                }
            });
            try {
                Process dump = new ProcessBuilder(ChildJvm.command(
                                RegistryTools.class.getName(), List.of("dump", "--data-dir", dataDir.toString())))
                        .start();
                byte[] stdout = dump.getInputStream().readAllBytes();
                assertThat(dump.waitFor(60, TimeUnit.SECONDS), is(true));
                assertThat(
                        new String(dump.getErrorStream().readAllBytes(), StandardCharsets.UTF_8),
                        dump.exitValue(),
                        is(0));
                List<JsonNode> lines = parse(new String(stdout, StandardCharsets.UTF_8));
                assertThat(lines.size(), greaterThan(51));
                assertThat(types(lines), hasItems("registry-started", "registered"));
                assertIncreasingIndexes(lines);
            } finally {
                stop.set(true);
                writer.join();
            }
            assertThat(http.get("/services").json().get("total").asInt(), is(50));
        }
    }

    @Test
    void missingLogIsAClearErrorWithExitCode2() {
        StringWriter err = new StringWriter();
        int exit = RegistryTools.run(
                new PrintWriter(new StringWriter()),
                new PrintWriter(err),
                "dump",
                "--data-dir",
                dataDir.resolve("absent").toString());
        assertThat(exit, is(2));
        assertThat(err.toString(), containsString("no registry log"));
    }

    private static List<JsonNode> parse(String output) throws Exception {
        List<JsonNode> lines = new ArrayList<>();
        for (String line : output.split("\n")) {
            if (!line.isBlank()) {
                lines.add(JSON.readTree(line));
            }
        }
        return lines;
    }

    private static List<String> types(List<JsonNode> lines) {
        return lines.stream().map(l -> l.get("type").asText()).toList();
    }

    private static void assertIncreasingIndexes(List<JsonNode> lines) {
        for (int i = 1; i < lines.size(); i++) {
            assertThat(
                    lines.get(i).get("index").asLong(),
                    greaterThan(lines.get(i - 1).get("index").asLong()));
        }
    }
}
