package dev.registry.tools.audit;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.matchesPattern;
import static org.hamcrest.Matchers.not;

import dev.registry.server.audit.ScriptedLifecycle;
import dev.registry.server.testing.MutableClock;
import dev.registry.server.testing.TestRegistry;
import dev.registry.tools.ToolRun;
import java.nio.file.Path;
import java.time.Instant;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The tools take the options the README shows, in the server's forms (durations as {@code 120s},
 * switches as {@code true/false}), print numbers as the records do, and say what is wrong with a
 * command line in one line.
 */
class ToolOptionsTest {

    @TempDir
    Path dataDir;

    private String dir;

    @BeforeEach
    void playTheLifecycle() throws Exception {
        MutableClock clock = new MutableClock(ScriptedLifecycle.T0);
        try (TestRegistry registry = new TestRegistry(dataDir, s -> s, clock)) {
            ScriptedLifecycle.play(registry, clock);
        }
        dir = dataDir.toString();
    }

    @Test
    void historyListsHeartbeatsInTableMode() {
        ToolRun run = ToolRun.inProcess("history", ScriptedLifecycle.NAME, "--heartbeats", "--data-dir", dir);
        assertThat(run.toString(), run.exit(), is(0));
        assertThat(run.out().lines().findFirst().orElseThrow(), matchesPattern("INDEX +TIME +TYPE +CAUSE +DETAILS"));
        assertThat(run.out(), containsString("heartbeat       client"));
    }

    @Test
    void atTakesTheHealthyFilterAndTheTtlAsTheServerWritesThem() {
        Instant during = ScriptedLifecycle.T0.plusSeconds(25);
        ToolRun healthy = ToolRun.inProcess(
                "at", during.toString(), "--healthy", "true", "--heartbeat-ttl", "120s", "--json", "--data-dir", dir);
        assertThat(healthy.toString(), healthy.exit(), is(0));
        assertThat(healthy.json().get("total").asInt(), is(1));
        ToolRun unhealthy = ToolRun.inProcess(
                "at", during.toString(), "--healthy", "false", "--heartbeat-ttl", "2s", "--json", "--data-dir", dir);
        assertThat(unhealthy.toString(), unhealthy.exit(), is(0));
        assertThat(unhealthy.json().get("total").asInt(), is(1)); // a 2 s TTL: 5 s after the last heartbeat
        assertThat(
                ToolRun.inProcess("at", during.toString(), "--healthy", "false", "--json", "--data-dir", dir)
                        .json()
                        .get("total")
                        .asInt(),
                is(0));
    }

    @Test
    void epochSecondsArePlainDecimalsInEveryOutput() {
        String diff = ToolRun.inProcess(
                        "diff",
                        ScriptedLifecycle.T0.toString(),
                        ScriptedLifecycle.T0.plusSeconds(45).toString(),
                        "--data-dir",
                        dir)
                .out();
        String diffJson = ToolRun.inProcess(
                        "diff",
                        ScriptedLifecycle.T0.toString(),
                        ScriptedLifecycle.T0.plusSeconds(45).toString(),
                        "--json",
                        "--data-dir",
                        dir)
                .out();
        String history = ToolRun.inProcess("history", ScriptedLifecycle.NAME, "--json", "--data-dir", dir)
                .out();
        String events = ToolRun.inProcess("events", "--json", "--data-dir", dir).out();
        String dump = ToolRun.inProcess("dump", "--data-dir", dir).out();
        for (String out : new String[] {diff, diffJson, history, events, dump}) {
            assertThat(out, not(matchesPattern("(?s).*\\d\\.\\d+E\\d.*")));
        }
        assertThat(diff, containsString("last_heartbeat: " + ScriptedLifecycle.T0.getEpochSecond() + ".0 -> "));
        assertThat(history, containsString("\"last_heartbeat\" : " + ScriptedLifecycle.T0.getEpochSecond() + ".0,"));
    }

    @Test
    void aMomentBeforeTheLogIsBadInputForEveryTool() {
        String before = ScriptedLifecycle.T0.minusSeconds(3600).toString();
        String after = ScriptedLifecycle.T0.plusSeconds(30).toString();
        ToolRun diff = ToolRun.inProcess("diff", before, after, "--data-dir", dir);
        assertThat(diff.toString(), diff.exit(), is(2));
        assertThat(diff.err(), containsString("history is available from " + ScriptedLifecycle.T0));
        assertThat(ToolRun.inProcess("at", before, "--data-dir", dir).exit(), is(2));
        assertThat(
                ToolRun.inProcess("history", ScriptedLifecycle.NAME, "--since", before, "--data-dir", dir)
                        .exit(),
                is(2));
        assertThat(
                ToolRun.inProcess("history", ScriptedLifecycle.NAME, "--since", after, "--data-dir", dir)
                        .exit(),
                is(0));
    }

    @Test
    void aBadOptionIsOneLineAndAPointerToHelp() {
        ToolRun run = ToolRun.inProcess("at", "now", "--healthy", "maybe", "--data-dir", dir);
        assertThat(run.exit(), is(2));
        assertThat(
                run.err(),
                equalTo("registry-tools at: Invalid value for option '--healthy': 'maybe' is not on or off\n"
                        + "Try 'registry-tools at --help' for more information.\n"));
        ToolRun unknown = ToolRun.inProcess("verify", "--colour", "--data-dir", dir);
        assertThat(unknown.exit(), is(2));
        assertThat(unknown.err().lines().count(), is(2L));
    }
}
