package dev.registry.tools.integrity;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.is;

import dev.registry.events.log.LoggedEvent;
import dev.registry.server.testing.LegacyLog;
import dev.registry.server.testing.TestRegistry;
import dev.registry.tools.ToolRun;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** convert-log turns an old log into a checksummed one the registry serves, every event at its own index. */
class ConvertLogTest {

    private static final com.fasterxml.jackson.databind.ObjectMapper JSON =
            new com.fasterxml.jackson.databind.ObjectMapper();

    @TempDir
    Path tmp;

    @Test
    void anOldLogConvertsIntoANewDirectoryTheRegistryServes() throws Exception {
        Path old = LegacyLog.writeSample(tmp);
        Path converted = tmp.resolve("converted");
        ToolRun refused = ToolRun.inProcess("verify", "--data-dir", old.toString());
        assertThat(refused.toString(), refused.exit(), is(1));
        assertThat(refused.err(), containsString("registry-tools convert-log"));

        ToolRun run =
                ToolRun.inProcess("convert-log", "--json", "--data-dir", old.toString(), "--to", converted.toString());
        assertThat(run.toString(), run.exit(), is(0));
        assertThat(
                run.json().get("events").asInt(),
                is(eventsOf(tmp.resolve("current")).size()));

        ToolRun verify = ToolRun.inProcess("verify", "--data-dir", converted.toString());
        assertThat(verify.toString(), verify.exit(), is(0));
        List<Long> indexes = new ArrayList<>();
        ToolRun dump = ToolRun.inProcess("dump", "--data-dir", converted.toString());
        for (String line : dump.out().strip().split("\n")) {
            indexes.add(JSON.readTree(line).get("index").asLong());
        }
        assertThat(indexes.size(), is(run.json().get("events").asInt()));
        assertThat(indexes.getFirst(), is(run.json().get("first_index").asLong()));
        assertThat(indexes.getLast(), is(run.json().get("last_index").asLong()));
        try (TestRegistry registry = new TestRegistry(converted)) {
            assertThat(registry.http().get("/services").json().get("total").asInt(), is(2));
            assertThat(registry.http().get("/services/b").json().get("port").asInt(), is(2));
        }
        assertThat(Files.exists(old.resolve("metadata.cq4t")), is(true)); // the old log is left as it was
    }

    @Test
    void onlyAnOldLogConvertsAndOnlyIntoAnEmptyDirectory() throws Exception {
        Path old = LegacyLog.writeSample(tmp);
        Files.createDirectories(tmp.resolve("taken"));
        Files.writeString(tmp.resolve("taken").resolve("x"), "x");
        ToolRun taken = ToolRun.inProcess(
                "convert-log",
                "--data-dir",
                old.toString(),
                "--to",
                tmp.resolve("taken").toString());
        assertThat(taken.toString(), taken.exit(), is(2));
        assertThat(taken.err(), containsString("is not empty"));

        ToolRun current = ToolRun.inProcess(
                "convert-log",
                "--data-dir",
                tmp.resolve("current").toString(),
                "--to",
                tmp.resolve("again").toString());
        assertThat(current.toString(), current.exit(), is(2));
        assertThat(current.err(), containsString("not in the old format"));
        assertThat(Files.exists(tmp.resolve("again")), is(false));
    }

    private static List<LoggedEvent> eventsOf(Path dir) {
        return TestRegistry.readLog(dir);
    }
}
