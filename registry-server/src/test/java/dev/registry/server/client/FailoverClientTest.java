package dev.registry.server.client;

import static org.awaitility.Awaitility.await;
import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.is;

import dev.registry.api.client.Registration;
import dev.registry.api.client.RegistryClient;
import dev.registry.api.watch.ServiceWatcher;
import dev.registry.kafka.testkit.KafkaClusterExtension;
import dev.registry.server.testing.KafkaNodes;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * The Java client and the watcher given several nodes of one shared log: when the node they use
 * stops, they go on with the next, and the watcher resumes its event stream where it left off.
 */
class FailoverClientTest {

    @RegisterExtension
    static final KafkaClusterExtension KAFKA = KafkaClusterExtension.shared();

    @TempDir
    Path dir;

    @Test
    void theClientAndTheWatcherMoveToTheNextNodeAndMissNothing() throws Exception {
        try (KafkaNodes nodes = KafkaNodes.start(KAFKA.cluster(), dir, 2)) {
            String urls = "http://127.0.0.1:" + nodes.node(0).server().port() + ",http://127.0.0.1:"
                    + nodes.node(1).server().port();
            RegistryClient client = RegistryClient.builder(urls)
                    .connectTimeout(Duration.ofSeconds(1))
                    .build();
            RegistryClient other = RegistryClient.create(
                    "http://127.0.0.1:" + nodes.node(1).server().port());
            client.register(Registration.running("a", "10.0.0.1", 8000, Map.of()));
            try (ServiceWatcher watcher = ServiceWatcher.builder(client)
                    .backoff(Duration.ofMillis(50), Duration.ofMillis(200))
                    .start()) {
                assertThat(watcher.get("a").isPresent(), is(true));
                other.register(Registration.running("b", "10.0.0.2", 8000, Map.of()));
                await().atMost(Duration.ofSeconds(20))
                        .until(() -> watcher.get("b").isPresent());

                nodes.node(0).close(); // the node both were using
                assertThat(client.heartbeat("a") != null, is(true)); // answered by the next node
                assertThat(client.baseUri().getPort(), is(nodes.node(1).server().port()));
                other.register(Registration.running("c", "10.0.0.3", 8000, Map.of()));
                other.deregister("b");
                await().atMost(Duration.ofSeconds(30))
                        .until(() ->
                                watcher.get("c").isPresent() && watcher.get("b").isEmpty());
                assertThat(
                        watcher.snapshot().keySet(),
                        is(nodes.node(1).server().view().snapshot().keySet()));
            }
        }
    }
}
