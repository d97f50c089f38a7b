package dev.registry.kafka;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.greaterThan;
import static org.hamcrest.Matchers.hasSize;
import static org.hamcrest.Matchers.is;

import dev.registry.events.event.HeartbeatReceived;
import dev.registry.events.event.RegistryEvent;
import dev.registry.events.log.EventReader;
import dev.registry.events.log.LoggedEvent;
import dev.registry.kafka.testkit.KafkaClusterExtension;
import dev.registry.kafka.testkit.KafkaTestCluster;
import dev.registry.kafka.testkit.ReaderCatchUp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import org.apache.kafka.clients.admin.Admin;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

class BrokerFailureTest {

    @RegisterExtension
    static final KafkaClusterExtension KAFKA = KafkaClusterExtension.perClass(3);

    private static final int BATCH = 10_000;

    @Test
    void theLeaderStoppingDuringAppendsLosesNoAcknowledgedEventAndWritesNoneTwice() throws Exception {
        KafkaTestCluster cluster = KAFKA.cluster();
        KafkaLogSettings settings = cluster.logSettings("node-a");
        List<RegistryEvent> sent = new ArrayList<>();
        List<CompletableFuture<Long>> acks = new ArrayList<>();
        try (KafkaEventLog log = KafkaEventLog.open(settings)) {
            sendBatch(log, sent, acks);
            CompletableFuture<Void> stopped =
                    CompletableFuture.runAsync(() -> cluster.stopBroker(leaderOf(settings.topic())));
            sendBatch(log, sent, acks); // while the leader hands over and stops
            stopped.join();
            sendBatch(log, sent, acks); // after: two of three brokers, min.insync.replicas 2
            CompletableFuture.allOf(acks.toArray(CompletableFuture[]::new))
                    .exceptionally(failure -> null)
                    .join();
            assertThat(cluster.runningBrokerIds(), hasSize(2));

            List<LoggedEvent> acknowledged = new ArrayList<>();
            for (int i = 0; i < sent.size(); i++) {
                Long offset = offsetOrNull(acks.get(i));
                if (offset != null) {
                    acknowledged.add(new LoggedEvent(offset, sent.get(i)));
                }
            }
            for (int i = 2 * BATCH; i < sent.size(); i++) {
                assertThat("sent after the broker stopped: " + i, offsetOrNull(acks.get(i)) != null, is(true));
            }
            for (int i = 1; i < acknowledged.size(); i++) {
                assertThat(
                        acknowledged.get(i).index(),
                        greaterThan(acknowledged.get(i - 1).index()));
            }

            try (EventReader reader = log.reader()) {
                List<LoggedEvent> read = ReaderCatchUp.readThrough(reader, log.lastIndex());
                Set<RegistryEvent> distinct = new HashSet<>();
                read.forEach(event -> assertThat("read twice: " + event, distinct.add(event.event()), is(true)));
                // everything in the log was sent; everything acknowledged is in it, at its offset, in order
                assertThat(
                        read.stream()
                                .filter(event -> acknowledged.stream().noneMatch(a -> a.index() == event.index()))
                                .count(),
                        is((long) read.size() - acknowledged.size()));
                assertThat(read.stream().filter(acknowledged::contains).toList(), equalTo(acknowledged));
            }
        }
    }

    private static void sendBatch(KafkaEventLog log, List<RegistryEvent> sent, List<CompletableFuture<Long>> acks) {
        for (int i = 0; i < BATCH; i++) {
            int n = sent.size();
            RegistryEvent event = new HeartbeatReceived(
                    Instant.parse("2026-05-01T00:00:00Z").plusMillis(n),
                    "svc-" + n,
                    null,
                    HeartbeatReceived.CAUSE_CLIENT);
            sent.add(event);
            acks.add(log.appendAsync(event));
        }
    }

    private static Long offsetOrNull(CompletableFuture<Long> ack) {
        try {
            return ack.join();
        } catch (CompletionException failed) {
            return null;
        }
    }

    private static int leaderOf(String topic) {
        try (Admin admin = KAFKA.cluster().admin()) {
            return admin.describeTopics(List.of(topic))
                    .allTopicNames()
                    .get()
                    .get(topic)
                    .partitions()
                    .getFirst()
                    .leader()
                    .id();
        } catch (Exception ex) {
            throw new IllegalStateException(ex);
        }
    }
}
