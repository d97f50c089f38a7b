package dev.registry.server.replication;

import static org.awaitility.Awaitility.await;
import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.everyItem;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.not;

import dev.registry.events.event.LeaseGranted;
import dev.registry.events.event.ServiceEvicted;
import dev.registry.events.event.ServiceExpired;
import dev.registry.events.log.LoggedEvent;
import dev.registry.events.projection.Projector;
import dev.registry.events.projection.RegistryView;
import dev.registry.kafka.testkit.KafkaClusterExtension;
import dev.registry.server.testing.ChildRegistry;
import dev.registry.server.testing.Http;
import dev.registry.server.testing.KafkaNodes;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * The node holding the lease is killed with SIGKILL after it expired the records that went
 * silent: another node takes the lease over when it runs out, and evicts each of them exactly
 * once, counted from the log.
 */
class LeaseFailoverTest {

    @RegisterExtension
    static final KafkaClusterExtension KAFKA = KafkaClusterExtension.shared();

    @TempDir
    Path dir;

    @Test
    void aKilledLeaseHolderIsReplacedAndEveryStaleRecordIsEvictedOnce() {
        KafkaNodes nodes = new KafkaNodes(
                KAFKA.cluster(),
                dir,
                s -> s.toBuilder()
                        .heartbeatTtl(Duration.ofSeconds(1))
                        .staleAfter(Duration.ofSeconds(8))
                        .build(),
                Clock.systemUTC());
        try (nodes;
                ChildRegistry leader = ChildRegistry.start(
                        dir.resolve("leader"),
                        "--log",
                        "kafka",
                        "--kafka-bootstrap",
                        KAFKA.cluster().bootstrapServers(),
                        "--kafka-topic",
                        nodes.topic(),
                        "--node-id",
                        "leader",
                        "--heartbeat-ttl",
                        "1s",
                        "--stale-after",
                        "8s",
                        "--checks",
                        "off")) {
            await().atMost(Duration.ofSeconds(30)).until(() -> holder(nodes).equals("leader"));
            nodes.add();
            nodes.add();
            Http http = nodes.node(0).http();
            for (int i = 0; i < 5; i++) {
                assertThat(
                        http.post("/services", Http.registration("quiet-" + i, 8000 + i, null))
                                .status(),
                        is(201));
            }
            await().atMost(Duration.ofSeconds(30))
                    .until(() -> nodes.topicEvents().stream()
                                    .filter(e -> e.event() instanceof ServiceExpired)
                                    .count()
                            == 5);
            leader.kill9();

            await().atMost(Duration.ofSeconds(60))
                    .until(() -> nodes.topicEvents().stream()
                                    .filter(e -> e.event() instanceof ServiceEvicted)
                                    .count()
                            >= 5);
            List<LoggedEvent> log = nodes.topicEvents();
            Map<String, Integer> evictions = new HashMap<>();
            RegistryView view = new RegistryView();
            for (LoggedEvent e : log) {
                boolean effective = Projector.apply(view, e);
                if (e.event() instanceof ServiceEvicted ev) {
                    assertThat("every eviction proposed took effect: " + ev, effective, is(true));
                    evictions.merge(ev.name(), 1, Integer::sum);
                }
            }
            assertThat(evictions.values(), everyItem(is(1)));
            assertThat(evictions.size(), is(5));
            String holder = view.lease().orElseThrow().holder();
            assertThat(holder, not(is("leader")));
            long takeoverEpoch = log.stream()
                    .filter(e ->
                            e.event() instanceof LeaseGranted g && !g.holder().equals("leader"))
                    .map(e -> ((LeaseGranted) e.event()).epoch())
                    .findFirst()
                    .orElseThrow();
            assertThat(
                    log.stream()
                            .filter(e -> e.event() instanceof ServiceEvicted)
                            .allMatch(e -> ((ServiceEvicted) e.event()).leaseEpoch() >= takeoverEpoch),
                    is(true));
            nodes.awaitAllAt(log.getLast().index());
            assertThat(nodes.node(1).server().view().snapshot(), is(view.snapshot()));
        }
    }

    private static String holder(KafkaNodes nodes) {
        RegistryView view = nodes.fold();
        return view.lease().map(RegistryView.Lease::holder).orElse("");
    }
}
