package dev.registry.server.replication;

import static org.awaitility.Awaitility.await;
import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.is;

import dev.registry.server.config.KafkaSettings;
import dev.registry.server.testing.ChildRegistry;
import dev.registry.server.testing.CuttableProxy;
import dev.registry.server.testing.Http;
import dev.registry.server.testing.KafkaLocal;
import dev.registry.server.testing.TestRegistry;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * One node is cut off from Kafka while the others go on: it keeps answering reads from what it
 * has, marked stale, refuses writes with 503, and once Kafka is back it catches up with what the
 * others wrote meanwhile and ends in their state.
 */
class CutOffNodeTest {

    @TempDir
    Path dir;

    @Test
    void aNodeCutOffFromKafkaServesStaleReadsRefusesWritesAndCatchesUp() throws Exception {
        // A broker process of our own binds 127.0.0.1 and calls itself localhost. The other node
        // resolves localhost to 127.0.0.1; the cut one (a child JVM with its own hosts file) to
        // 127.0.0.2, where a proxy forwards to the broker: cutting the proxy cuts that node alone.
        Path hosts = Files.writeString(dir.resolve("hosts"), "127.0.0.2 localhost\n");
        try (KafkaLocal kafka =
                        KafkaLocal.start(1, dir.resolve("kafka"), Map.of("KAFKA_LOCAL_ADVERTISED_HOST", "localhost"));
                CuttableProxy proxy = CuttableProxy.forPorts("127.0.0.2", List.of(kafka.port()))
                        .getFirst();
                TestRegistry other = new TestRegistry(
                        dir.resolve("other"),
                        s -> s.toBuilder()
                                .kafka(new KafkaSettings(
                                        "localhost:" + kafka.port(), "cut-test", "other", Map.of(), null))
                                .build(),
                        java.time.Clock.systemUTC());
                ChildRegistry cut = ChildRegistry.start(
                        dir.resolve("cut"),
                        List.of("-Djdk.net.hosts.file=" + hosts),
                        "--log",
                        "kafka",
                        "--kafka-bootstrap",
                        "localhost:" + kafka.port(),
                        "--kafka-topic",
                        "cut-test",
                        "--node-id",
                        "cut",
                        "--checks",
                        "off")) {
            Http others = other.http();
            assertThat(
                    others.post("/services", Http.registration("before", 1, null))
                            .status(),
                    is(201));
            await().atMost(Duration.ofSeconds(20))
                    .until(() -> cut.http().get("/services/before").status() == 200);

            proxy.cut();
            await().atMost(Duration.ofSeconds(30))
                    .until(() -> cut.http().get("/health").json().path("stale").asBoolean());
            Http.Reply read = cut.http().get("/services/before");
            assertThat(read.status(), is(200));
            assertThat(read.headers().firstValue("x-registry-stale").orElse(""), is("true"));
            assertThat(
                    cut.http()
                            .post("/services", Http.registration("refused", 2, null))
                            .status(),
                    is(503));
            assertThat(
                    others.post("/services", Http.registration("while-cut", 3, null))
                            .status(),
                    is(201));
            assertThat(
                    others.get("/services/before")
                            .headers()
                            .firstValue("x-registry-stale")
                            .isPresent(),
                    is(false));

            proxy.restore();
            await().atMost(Duration.ofSeconds(60))
                    .until(() -> cut.http().get("/services/while-cut").status() == 200);
            await().atMost(Duration.ofSeconds(30))
                    .until(() -> cut.http()
                            .get("/services/before")
                            .headers()
                            .firstValue("x-registry-stale")
                            .isEmpty());
            assertThat(cut.http().get("/services/refused").status(), is(404));
            assertThat(
                    cut.http().get("/services").body().replaceAll("\"timestamp\":\"[^\"]*\"", ""),
                    is(others.get("/services").body().replaceAll("\"timestamp\":\"[^\"]*\"", "")));
        }
    }
}
