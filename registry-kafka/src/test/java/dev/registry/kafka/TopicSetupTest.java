package dev.registry.kafka;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.lessThan;
import static org.hamcrest.Matchers.not;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.registry.events.SampleEvents;
import dev.registry.kafka.testkit.KafkaClusterExtension;
import java.io.IOException;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.List;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.config.TopicConfig;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

class TopicSetupTest {

    @RegisterExtension
    static final KafkaClusterExtension KAFKA = KafkaClusterExtension.shared();

    @Test
    void aMissingTopicIsCreatedWithOnePartitionThreeReplicasAndTwoInSync() throws Exception {
        KafkaLogSettings settings = KAFKA.cluster().logSettings("node-a");
        try (KafkaEventLog log = KafkaEventLog.open(settings);
                Admin admin = KAFKA.cluster().admin()) {
            log.append(SampleEvents.oneOfEach().getFirst());
            TopicDescription topic = admin.describeTopics(List.of(settings.topic()))
                    .allTopicNames()
                    .get()
                    .get(settings.topic());
            assertThat(topic.partitions().size(), is(1));
            assertThat(topic.partitions().getFirst().replicas().size(), is(3));
            assertThat(minInsyncReplicas(admin, settings.topic()), is("2"));
        }
    }

    @Test
    void anExistingOnePartitionTopicIsUsedAsItIs() throws Exception {
        KafkaLogSettings settings = KAFKA.cluster().logSettings("node-a");
        try (Admin admin = KAFKA.cluster().admin()) {
            admin.createTopics(List.of(new NewTopic(settings.topic(), 1, (short) 2)))
                    .all()
                    .get();
            try (KafkaEventLog log = KafkaEventLog.open(settings)) {
                assertThat(log.append(SampleEvents.oneOfEach().getFirst()), is(0L));
            }
            TopicDescription topic = admin.describeTopics(List.of(settings.topic()))
                    .allTopicNames()
                    .get()
                    .get(settings.topic());
            assertThat(topic.partitions().getFirst().replicas().size(), is(2));
        }
    }

    @Test
    void aTopicWithTwoPartitionsIsRefusedWithOneClearLine() throws Exception {
        KafkaLogSettings settings = KAFKA.cluster().logSettings("node-a");
        try (Admin admin = KAFKA.cluster().admin()) {
            admin.createTopics(List.of(new NewTopic(settings.topic(), 2, (short) 1)))
                    .all()
                    .get();
        }
        KafkaLogException refusal = assertThrows(KafkaLogException.class, () -> KafkaEventLog.open(settings));
        assertThat(
                refusal.getMessage(),
                equalTo("topic '" + settings.topic() + "' has 2 partitions; the registry's log "
                        + "needs exactly one (a total order): use another --kafka-topic"));
    }

    @Test
    void anUnreachableClusterIsOneClearLineWithinTheOpenTimeout() throws IOException {
        int port;
        try (ServerSocket free = new ServerSocket(0)) {
            port = free.getLocalPort(); // nothing listens there once it is closed
        }
        KafkaLogSettings settings =
                KafkaLogSettings.of("127.0.0.1:" + port, "node-a").withOpenTimeout(Duration.ofSeconds(2));
        long start = System.nanoTime();
        KafkaLogException refusal = assertThrows(KafkaLogException.class, () -> KafkaEventLog.open(settings));
        assertThat(Duration.ofNanos(System.nanoTime() - start), lessThan(Duration.ofSeconds(10)));
        assertThat(
                refusal.getMessage(),
                equalTo("cannot reach Kafka at 127.0.0.1:" + port + " within 2 s (topic "
                        + "'registry-events'): is it running, and are the address and the security settings right?"));
    }

    @Test
    void anUnresolvableBootstrapHostIsOneClearLine() {
        KafkaLogException refusal = assertThrows(
                KafkaLogException.class,
                () -> KafkaEventLog.open(KafkaLogSettings.of("no-such-host.invalid:9092", "node-a")));
        assertThat(
                refusal.getMessage(), containsString("cannot create the Kafka admin for no-such-host.invalid:9092: "));
        assertThat(refusal.getMessage(), not(containsString("\n")));
    }

    static String minInsyncReplicas(Admin admin, String topic) throws Exception {
        ConfigResource resource = new ConfigResource(ConfigResource.Type.TOPIC, topic);
        return admin.describeConfigs(List.of(resource))
                .all()
                .get()
                .get(resource)
                .get(TopicConfig.MIN_IN_SYNC_REPLICAS_CONFIG)
                .value();
    }
}
