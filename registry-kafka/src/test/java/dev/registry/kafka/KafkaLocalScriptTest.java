package dev.registry.kafka;

import static org.awaitility.Awaitility.await;
import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.is;

import dev.registry.events.SampleEvents;
import dev.registry.events.event.RegistryEvent;
import dev.registry.events.log.EventReader;
import dev.registry.events.log.LoggedEvent;
import dev.registry.kafka.testkit.ConsecutivePorts;
import dev.registry.kafka.testkit.ReaderCatchUp;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.CommonClientConfigs;
import org.apache.kafka.clients.admin.Admin;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code bin/kafka-local}: brokers as processes of their own, killed with {@code kill -9} by PID. */
class KafkaLocalScriptTest {

    private static final Path ROOT = Path.of(System.getProperty("user.dir")).getParent();

    @TempDir
    Path dir;

    private final List<Process> scripts = new ArrayList<>();

    @AfterEach
    void killWhatIsLeft() throws IOException {
        scripts.forEach(Process::destroyForcibly);
        if (Files.exists(dir.resolve("pids"))) {
            pids().values().forEach(pid -> ProcessHandle.of(pid).ifPresent(ProcessHandle::destroyForcibly));
        }
    }

    @Test
    void threeBrokerProcessesKeepAcknowledgedEventsThroughAKillAndStopOnSigterm() throws Exception {
        int port = ConsecutivePorts.free(4);
        Process script = start(port);
        String bootstrap = bootstrapLine(script);
        assertThat(bootstrap, is("127.0.0.1:" + port + ",127.0.0.1:" + (port + 1) + ",127.0.0.1:" + (port + 2)));
        Map<String, Long> pids = pids();
        assertThat(List.copyOf(pids.keySet()), equalTo(List.of("controller", "broker-1", "broker-2", "broker-3")));

        KafkaLogSettings settings = KafkaLogSettings.of(bootstrap, "node-a");
        List<RegistryEvent> events = SampleEvents.randomHistory(11, 400);
        List<LoggedEvent> acknowledged = new ArrayList<>();
        try (KafkaEventLog log = KafkaEventLog.open(settings)) {
            events.subList(0, 200).forEach(event -> acknowledged.add(new LoggedEvent(log.append(event), event)));
            long leader = pids.get("broker-" + leaderOf(bootstrap, settings.topic()));
            assertThat(
                    new ProcessBuilder("kill", "-9", String.valueOf(leader))
                            .start()
                            .waitFor(),
                    is(0));
            await().atMost(Duration.ofSeconds(10))
                    .until(() -> ProcessHandle.of(leader).isEmpty()
                            || !ProcessHandle.of(leader).get().isAlive());
            // the topic's leadership moves to a broker left (the controller notices within its session timeout)
            events.subList(200, 400).forEach(event -> acknowledged.add(new LoggedEvent(log.append(event), event)));
            try (EventReader reader = log.reader()) {
                assertThat(ReaderCatchUp.readAtLeast(reader, events.size()), equalTo(acknowledged));
            }
        }

        script.destroy(); // SIGTERM
        assertThat(script.waitFor(60, TimeUnit.SECONDS), is(true));
        assertThat(script.exitValue(), is(0));
        pids.forEach((name, pid) -> assertThat(
                name + " still runs",
                ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false),
                is(false)));
        assertThat(Files.exists(dir.resolve("pids")), is(false));

        // a second start on the same directory finds the events again
        Process again = start(port);
        assertThat(bootstrapLine(again), is(bootstrap));
        try (KafkaEventLog log = KafkaEventLog.open(settings);
                EventReader reader = log.reader()) {
            assertThat(ReaderCatchUp.readAtLeast(reader, events.size()), equalTo(acknowledged));
        }
        again.destroy();
        assertThat(again.waitFor(60, TimeUnit.SECONDS), is(true));
    }

    private Process start(int port) throws IOException {
        Process script = new ProcessBuilder(
                        ROOT.resolve("bin/kafka-local").toString(),
                        "--brokers",
                        "3",
                        "--port",
                        String.valueOf(port),
                        "--dir",
                        dir.toString())
                .redirectError(ProcessBuilder.Redirect.appendTo(
                        dir.resolve("kafka-local.err").toFile()))
                .start();
        scripts.add(script);
        return script;
    }

    /** The one line the script prints once every broker serves, without its {@code bootstrap: } prefix. */
    private String bootstrapLine(Process script) throws Exception {
        CompletableFuture<String> line = CompletableFuture.supplyAsync(() -> {
            try {
                return new BufferedReader(new InputStreamReader(script.getInputStream(), StandardCharsets.UTF_8))
                        .readLine();
            } catch (IOException ex) {
                throw new IllegalStateException(ex);
            }
        });
        String read = line.get(180, TimeUnit.SECONDS);
        if (read == null || !read.startsWith("bootstrap: ")) {
            throw new AssertionError("kafka-local printed " + read + "; its errors: "
                    + Files.readString(dir.resolve("kafka-local.err")));
        }
        return read.substring("bootstrap: ".length());
    }

    /** DIR/pids: {@code NAME PID PORT} a line. */
    private Map<String, Long> pids() throws IOException {
        Map<String, Long> pids = new LinkedHashMap<>();
        for (String line : Files.readAllLines(dir.resolve("pids"))) {
            String[] fields = line.split(" ");
            pids.put(fields[0], Long.parseLong(fields[1]));
        }
        return pids;
    }

    private static int leaderOf(String bootstrap, String topic) throws Exception {
        try (Admin admin = Admin.create(Map.of(CommonClientConfigs.BOOTSTRAP_SERVERS_CONFIG, bootstrap))) {
            return admin.describeTopics(List.of(topic))
                    .allTopicNames()
                    .get()
                    .get(topic)
                    .partitions()
                    .getFirst()
                    .leader()
                    .id();
        }
    }
}
