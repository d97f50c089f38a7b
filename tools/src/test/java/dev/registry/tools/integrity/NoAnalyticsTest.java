package dev.registry.tools.integrity;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.empty;
import static org.hamcrest.Matchers.is;

import dev.registry.server.testing.ChildRegistry;
import dev.registry.server.testing.Http;
import dev.registry.server.testing.LegacyLog;
import dev.registry.server.testing.LogDamage;
import dev.registry.tools.ToolRun;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The registry never phones home: the server, every tool that reads a log, and {@code --repair}
 * run with an empty home and none of the test JVM's Chronicle properties, and no Chronicle
 * analytics file appears there (Chronicle writes {@code ~/.chronicle.analytics.*} when its
 * analytics are on).
 */
class NoAnalyticsTest {

    @TempDir
    Path tmp;

    @Test
    void theServerEveryToolAndRepairLeaveAnEmptyHomeWithoutAnalyticsFiles() throws Exception {
        Path home = Files.createDirectories(tmp.resolve("home"));
        Path data = tmp.resolve("data");
        String before;
        try (ChildRegistry server = ChildRegistry.startInHome(home, data)) {
            before = Instant.now().toString();
            server.http().post("/services", Http.registration("a", 1, null));
            server.http().post("/services", Http.registration("b", 2, null));
            server.http().put("/services/a", "{\"port\":3}");
            server.terminate();
        }
        String after = Instant.now().toString();
        List<List<String>> tools = List.of(
                List.of("history", "a"),
                List.of("events"),
                List.of("at", after),
                List.of("diff", before, after),
                List.of("stats"),
                List.of("verify"),
                List.of("replay"),
                List.of("dump"));
        for (List<String> tool : tools) {
            List<String> args = new ArrayList<>(tool);
            args.addAll(List.of("--data-dir", data.toString()));
            ToolRun run = ToolRun.processInHome(home, args.toArray(String[]::new));
            assertThat(run.toString(), run.exit(), is(0));
        }
        Path old = LegacyLog.writeSample(tmp);
        ToolRun convert = ToolRun.processInHome(
                home,
                "convert-log",
                "--data-dir",
                old.toString(),
                "--to",
                tmp.resolve("converted").toString());
        assertThat(convert.toString(), convert.exit(), is(0));

        LogDamage.breakPayloadContaining(data, "\"name\":\"b\"");
        try (ChildRegistry repaired = ChildRegistry.startInHome(home, data, "--repair")) {
            assertThat(repaired.http().get("/services/a").status(), is(200));
            repaired.terminate();
        }

        try (var files = Files.list(home)) {
            assertThat(
                    files.map(f -> f.getFileName().toString())
                            .filter(n -> n.startsWith(".chronicle"))
                            .toList(),
                    is(empty()));
        }
    }
}
