package dev.registry.server.replication;

import static org.awaitility.Awaitility.await;
import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.is;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.registry.kafka.testkit.KafkaClusterExtension;
import dev.registry.server.config.KafkaSettings;
import dev.registry.server.config.RegistrySettings;
import dev.registry.server.testing.Http;
import dev.registry.server.testing.TestRegistry;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.RecordsToDelete;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * Kafka deleted the beginning of the topic (its retention): a new node refuses to start on what
 * is left, and with {@code --bootstrap-from} it loads a running node's snapshot (behind the
 * token) and ends in that node's state.
 */
class BootstrapFromTest {

    @RegisterExtension
    static final KafkaClusterExtension KAFKA = KafkaClusterExtension.shared();

    private static final String TOKEN = "s3cret-token";

    @TempDir
    Path dir;

    @Test
    void aNodeStartsFromARunningNodesSnapshotOnceKafkaDeletedTheBeginning() throws Exception {
        String topic = KAFKA.cluster().newTopic();
        try (TestRegistry first = node("first", topic, null)) {
            Http http = first.http().withToken(TOKEN);
            for (int i = 0; i < 12; i++) {
                assertThat(
                        http.post("/services", Http.registration("svc-" + i, 100 + i, null))
                                .status(),
                        is(201));
            }
            Path snapshots =
                    SharedNode.stateDirectory(dir.resolve("first"), topic).resolve("snapshots");
            await().atMost(Duration.ofSeconds(30)).until(() -> snapshotIndex(snapshots) >= 0);
            long snapshotAt = snapshotIndex(snapshots);
            assertThat(http.send("DELETE", "/services/svc-0", null).status(), is(200));
            try (Admin admin = KAFKA.cluster().admin()) {
                admin.deleteRecords(Map.of(new TopicPartition(topic, 0), RecordsToDelete.beforeOffset(snapshotAt)))
                        .all()
                        .get();
            }

            IllegalStateException refused =
                    assertThrows(IllegalStateException.class, () -> node("second", topic, null));
            assertThat(refused.getMessage(), containsString("--bootstrap-from"));

            String url = "http://127.0.0.1:" + first.server().port();
            assertThat(status(url, null), is(401));
            try (TestRegistry second = node("second", topic, URI.create(url))) {
                await().atMost(Duration.ofSeconds(30))
                        .until(() -> second.server()
                                .view()
                                .snapshot()
                                .equals(first.server().view().snapshot()));
                assertThat(second.server().view().get("svc-0").isPresent(), is(false));
                // the first node's newest snapshot then, taken at or after the deletion point
                assertThat(second.server().recovery().snapshotIndex().orElseThrow() >= snapshotAt, is(true));
            }
        }
    }

    private TestRegistry node(String id, String topic, URI bootstrapFrom) {
        return new TestRegistry(
                dir.resolve(id),
                s -> withToken(s).toBuilder()
                        .snapshotEvery(5)
                        .kafka(new KafkaSettings(
                                KAFKA.cluster().bootstrapServers(), topic, id, Map.of(), bootstrapFrom))
                        .build(),
                Clock.systemUTC());
    }

    private static RegistrySettings withToken(RegistrySettings s) {
        return s.withToken(TOKEN, false);
    }

    private static long snapshotIndex(Path snapshots) {
        try (var files = java.nio.file.Files.list(snapshots)) {
            return files.map(f -> f.getFileName().toString())
                    .filter(n -> n.matches("snapshot-\\d{20}\\.snap"))
                    .mapToLong(n -> Long.parseLong(n.substring(9, 29)))
                    .max()
                    .orElse(-1);
        } catch (java.io.IOException ex) {
            return -1;
        }
    }

    private static int status(String url, String token) throws Exception {
        HttpRequest.Builder request =
                HttpRequest.newBuilder(URI.create(url + "/internal/snapshot")).GET();
        if (token != null) {
            request.header("Authorization", "Bearer " + token);
        }
        try (HttpClient http = HttpClient.newHttpClient()) {
            return http.send(request.build(), HttpResponse.BodyHandlers.discarding())
                    .statusCode();
        }
    }
}
