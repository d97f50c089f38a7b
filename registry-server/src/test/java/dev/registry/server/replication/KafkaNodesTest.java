package dev.registry.server.replication;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.is;

import com.fasterxml.jackson.databind.JsonNode;
import dev.registry.kafka.testkit.KafkaClusterExtension;
import dev.registry.server.testing.Http;
import dev.registry.server.testing.KafkaNodes;
import dev.registry.server.testing.TestRegistry;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * Three registry nodes on one Kafka topic: writes through any node give the same state on every
 * node, equal to the topic folded on its own, and a node started later rebuilds the same state.
 */
class KafkaNodesTest {

    @RegisterExtension
    static final KafkaClusterExtension KAFKA = KafkaClusterExtension.shared();

    @TempDir
    Path dir;

    @Test
    void writesThroughAnyNodeGiveTheSameStateOnEveryNode() {
        try (KafkaNodes nodes = KafkaNodes.start(KAFKA.cluster(), dir, 3)) {
            List<Long> indexes = new ArrayList<>();
            for (int i = 0; i < 12; i++) {
                Http node = nodes.node(i % 3).http();
                Http.Reply reply = node.post("/services", Http.registration("svc-" + i, 1000 + i, null));
                assertThat(reply.body(), reply.status(), is(201));
                indexes.add(Long.parseLong(
                        reply.headers().firstValue("x-registry-index").orElseThrow()));
            }
            assertThat(
                    nodes.node(1)
                            .http()
                            .post("/services/svc-0/heartbeat", "{\"status\":\"draining\"}")
                            .status(),
                    is(200));
            assertThat(
                    nodes.node(2)
                            .http()
                            .put("/services/svc-1", "{\"port\":2001}")
                            .status(),
                    is(200));
            Http.Reply deleted = nodes.node(0).http().send("DELETE", "/services/svc-2", null);
            assertThat(deleted.status(), is(200));
            long last = Long.parseLong(
                    deleted.headers().firstValue("x-registry-index").orElseThrow());
            nodes.awaitAllAt(last);

            var expected = nodes.fold().snapshot();
            for (TestRegistry n : nodes.all()) {
                assertThat(n.server().view().snapshot(), is(expected));
            }
            assertThat(expected.size(), is(11));
            assertThat(expected.get("svc-0").status(), is("draining"));
            assertThat(expected.get("svc-1").port(), is(2001));
            // a read through another node at least as new as the write
            JsonNode list = nodes.node(1)
                    .http()
                    .get("/services?index=" + (last - 1) + "&wait=5s")
                    .json();
            assertThat(list.get("total").asInt(), is(11));

            TestRegistry late = nodes.add();
            assertThat(late.server().view().snapshot(), is(expected));
        }
    }

    @Test
    void aHeartbeatForARecordAnotherNodeDeletedIsA404OnEveryNode() {
        try (KafkaNodes nodes = KafkaNodes.start(KAFKA.cluster(), dir, 2)) {
            assertThat(
                    nodes.node(0)
                            .http()
                            .post("/services", Http.registration("gone", 1, null))
                            .status(),
                    is(201));
            Http.Reply deleted = nodes.node(0).http().send("DELETE", "/services/gone", null);
            long at = Long.parseLong(
                    deleted.headers().firstValue("x-registry-index").orElseThrow());
            for (TestRegistry n : nodes.all()) {
                Http.Reply beat = n.http().post("/services/gone/heartbeat", "");
                assertThat(beat.status(), is(404));
                long skipped = Long.parseLong(
                        beat.headers().firstValue("x-registry-index").orElseThrow());
                assertThat(skipped > at || skipped == n.server().view().lastIndex(), is(true));
            }
        }
    }
}
