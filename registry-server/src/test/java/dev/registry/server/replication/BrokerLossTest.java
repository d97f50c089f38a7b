package dev.registry.server.replication;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.everyItem;
import static org.hamcrest.Matchers.greaterThan;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.isIn;

import dev.registry.kafka.testkit.KafkaClusterExtension;
import dev.registry.server.testing.Http;
import dev.registry.server.testing.KafkaNodes;
import dev.registry.server.testing.TestRegistry;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/** A broker stops while clients write through two nodes: no acknowledged write is lost, and writes go on. */
class BrokerLossTest {

    @RegisterExtension
    static final KafkaClusterExtension KAFKA = KafkaClusterExtension.perClass(3);

    @TempDir
    Path dir;

    @Test
    void noAcknowledgedRegistrationIsLostWhenABrokerStops() throws Exception {
        try (KafkaNodes nodes = KafkaNodes.start(KAFKA.cluster(), dir, 2)) {
            Set<String> acknowledged = ConcurrentHashMap.newKeySet();
            AtomicBoolean stop = new AtomicBoolean();
            AtomicInteger counter = new AtomicInteger();
            List<Thread> clients = List.of(0, 1).stream()
                    .map(n -> Thread.ofVirtual().start(() -> {
                        Http http = nodes.node(n).http();
                        while (!stop.get()) {
                            String name = "w-" + counter.incrementAndGet();
                            Http.Reply r = http.post("/services", Http.registration(name, 1, null));
                            if (r.status() == 201) {
                                acknowledged.add(name);
                            }
                        }
                    }))
                    .toList();
            waitFor(acknowledged, 100);
            KAFKA.cluster()
                    .stopBroker(KAFKA.cluster().runningBrokerIds().iterator().next());
            int atStop = acknowledged.size();
            waitFor(acknowledged, atStop + 100); // writes go on through the two brokers left
            stop.set(true);
            for (Thread t : clients) {
                t.join();
            }
            var folded = nodes.fold().snapshot();
            assertThat(acknowledged, everyItem(isIn(folded.keySet())));
            assertThat(acknowledged.size(), greaterThan(atStop));
            long last = nodes.topicEvents().getLast().index();
            nodes.awaitAllAt(last);
            for (TestRegistry n : nodes.all()) {
                assertThat(n.server().view().snapshot(), is(folded));
            }
        }
    }

    private static void waitFor(Set<String> acknowledged, int count) {
        org.awaitility.Awaitility.await()
                .atMost(java.time.Duration.ofSeconds(90))
                .until(() -> acknowledged.size() >= count);
    }
}
