package dev.registry.server;

import static org.awaitility.Awaitility.await;
import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.is;

import dev.registry.events.log.LoggedEvent;
import dev.registry.server.testing.ChildJvm;
import dev.registry.server.testing.ChildRegistry;
import dev.registry.server.testing.TestRegistry;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What a newcomer meets first: a start that cannot succeed says why in one line, exits non-zero,
 * lets go of the data directory and leaves the log exactly as it was; a stop says what it kept.
 */
class StartUpTest {

    @TempDir
    Path dataDir;

    @Test
    void aBusyPortIsOneLineAndANonZeroExitAndTheLogIsUntouched() throws Exception {
        List<LoggedEvent> before = logWithOneRecord();
        try (ServerSocket taken = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
            int port = taken.getLocalPort();
            Run run =
                    runMain("--host", "127.0.0.1", "--port", Integer.toString(port), "--data-dir", dataDir.toString());
            assertThat(run.output, equalTo("registry-server: port " + port + " on 127.0.0.1 is already in use\n"));
            assertThat(run.exitCode, is(1));
        }
        assertThat(eventTypes(TestRegistry.readLog(dataDir)), equalTo(eventTypes(before)));
        try (TestRegistry again = new TestRegistry(dataDir)) { // the lock was released
            assertThat(again.http().get("/services/kept").status(), is(200));
        }
    }

    @Test
    void aPortOutOfRangeIsRefusedBeforeTheLogIsTouched() throws Exception {
        List<LoggedEvent> before = logWithOneRecord();
        Run run = runMain("--port", "99999", "--data-dir", dataDir.toString());
        assertThat(
                run.output,
                equalTo("registry-server: --port must be between 0 and 65535 (0: any free port), not 99999\n"));
        assertThat(run.exitCode, is(2));
        assertThat(eventTypes(TestRegistry.readLog(dataDir)), equalTo(eventTypes(before)));
    }

    @Test
    void aBadOptionIsTheErrorAndAPointerToHelpNotTheWholeUsage() throws Exception {
        Run run = runMain("--prot", "8000", "--data-dir", dataDir.toString());
        assertThat(
                run.output,
                equalTo("registry-server: Unknown options: '--prot', '8000'\n"
                        + "Try 'registry-server --help' for more information.\n"));
        assertThat(run.exitCode, is(2));
        assertThat(Files.exists(dataDir.resolve("metadata.cq4t")), is(false));
    }

    @Test
    void aStopSaysWhatItKeptAndAStalePeriodShorterThanTheTtlIsWarnedAbout() throws Exception {
        Path log = dataDir.resolveSibling(dataDir.getFileName() + "-server.log");
        ChildRegistry child = ChildRegistry.start(dataDir, "--stale-after", "60s", "--heartbeat-ttl", "120s");
        try {
            assertThat(
                    child.http()
                            .post(
                                    "/services",
                                    "{\"name\":\"a\",\"host\":\"h\",\"port\":1,\"hostname\":\"h\","
                                            + "\"url\":\"http://h:1\",\"status\":\"running\"}")
                            .status(),
                    is(201));
            assertThat(child.terminate(), is(143));
        } finally {
            child.close();
        }
        String output = Files.readString(log);
        assertThat(
                output,
                containsString("WARNING dev.registry.server.RegistryServer: --stale-after 60s is shorter than "
                        + "--heartbeat-ttl 120s"));
        assertThat(
                output,
                containsString(
                        "registry stopped: every accepted write finished; 2 events appended since " + "the start"));
        assertThat(output.contains("sun.misc.Unsafe"), is(false));
    }

    /** A log with one registration (and its start), written by a server that has stopped. */
    private List<LoggedEvent> logWithOneRecord() {
        try (TestRegistry registry = new TestRegistry(dataDir)) {
            assertThat(
                    registry.http()
                            .post(
                                    "/services",
                                    "{\"name\":\"kept\",\"host\":\"h\",\"port\":1,\"hostname\":\"h\","
                                            + "\"url\":\"http://h:1\",\"status\":\"running\"}")
                            .status(),
                    is(201));
        }
        return TestRegistry.readLog(dataDir);
    }

    private static List<String> eventTypes(List<LoggedEvent> events) {
        List<String> types = new ArrayList<>();
        events.forEach(e -> types.add(e.index() + " " + e.event().getClass().getSimpleName()));
        return types;
    }

    private record Run(int exitCode, String output) {}

    private static Run runMain(String... args) throws Exception {
        Process p = new ProcessBuilder(ChildJvm.command("dev.registry.server.Main", List.of(args)))
                .redirectErrorStream(true)
                .start();
        try {
            String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            await().atMost(java.time.Duration.ofSeconds(60)).until(() -> !p.isAlive());
            return new Run(p.waitFor(), output);
        } finally {
            p.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
        }
    }
}
