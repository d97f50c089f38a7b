package dev.registry.tools.audit;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.is;

import com.fasterxml.jackson.databind.JsonNode;
import dev.registry.kafka.testkit.KafkaClusterExtension;
import dev.registry.server.testing.Http;
import dev.registry.server.testing.KafkaNodes;
import dev.registry.tools.ToolRun;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/** The offline tools read a Kafka topic that two registry nodes write, as they read a Chronicle log. */
class ToolsOnKafkaTest {

    @RegisterExtension
    static final KafkaClusterExtension KAFKA = KafkaClusterExtension.shared();

    @TempDir
    Path dir;

    @Test
    void historyEventsAtDiffStatsVerifyReplayAndDumpReadTheTopic() {
        try (KafkaNodes nodes = KafkaNodes.start(KAFKA.cluster(), dir, 2)) {
            Http a = nodes.node(0).http();
            Http b = nodes.node(1).http();
            for (int i = 0; i < 4; i++) {
                assertThat(
                        a.post("/services", Http.registration("svc-" + i, 9000 + i, null))
                                .status(),
                        is(201));
            }
            Instant middle = Instant.now();
            assertThat(b.post("/services/svc-1/heartbeat", "").status(), is(200));
            assertThat(b.put("/services/svc-2", "{\"port\":9999}").status(), is(200));
            assertThat(b.send("DELETE", "/services/svc-3", null).status(), is(200));
            topic = nodes.topic();

            JsonNode history = run("history", "svc-2", "--json").json();
            assertThat(history.get("history").get(1).get("type").asText(), is("updated"));
            assertThat(run("events", "--json", "--type", "deregistered").out(), containsString("svc-3"));
            assertThat(
                    run("at", middle.toString(), "--json").json().get("total").asInt(), is(4));
            assertThat(
                    run("diff", middle.toString(), Instant.now().toString()).out(), containsString("removed  svc-3"));
            assertThat(
                    run("stats", "--json")
                            .json()
                            .get("per_type")
                            .get("registered")
                            .asInt(),
                    is(4));
            ToolRun verify = run("verify");
            assertThat(verify.toString(), verify.exit(), is(0));
            assertThat(verify.out(), containsString("3 records rebuilt"));
            assertThat(run("replay", "--json").json().get("records").asInt(), is(3));
            assertThat(run("dump").out().lines().count() >= 7, is(true));

            ToolRun missing = ToolRun.inProcess(
                    "verify",
                    "--log",
                    "kafka",
                    "--kafka-bootstrap",
                    KAFKA.cluster().bootstrapServers(),
                    "--kafka-topic",
                    "no-such-topic");
            assertThat(missing.exit(), is(2));
            assertThat(missing.err(), containsString("no topic 'no-such-topic'"));
        }
    }

    private String topic;

    /** The tool on this test's topic. */
    private ToolRun run(String... args) {
        List<String> all = new ArrayList<>(List.of(args));
        all.addAll(List.of(
                "--log", "kafka", "--kafka-bootstrap", KAFKA.cluster().bootstrapServers(), "--kafka-topic", topic));
        return ToolRun.inProcess(all.toArray(String[]::new));
    }
}
