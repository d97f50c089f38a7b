package dev.registry.kafka;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.is;

import dev.registry.events.SampleEvents;
import dev.registry.events.log.EventReader;
import dev.registry.kafka.testkit.KafkaClusterExtension;
import dev.registry.kafka.testkit.ReaderCatchUp;
import java.util.List;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.TopicDescription;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

class SingleBrokerTopicTest {

    @RegisterExtension
    static final KafkaClusterExtension KAFKA = KafkaClusterExtension.perClass(1);

    @Test
    void onOneBrokerTheTopicHasOneReplicaAndTheBrokersMinInsync() throws Exception {
        KafkaLogSettings settings = KAFKA.cluster().logSettings("node-a");
        try (KafkaEventLog log = KafkaEventLog.open(settings);
                EventReader reader = log.reader();
                Admin admin = KAFKA.cluster().admin()) {
            long index = log.append(SampleEvents.oneOfEach().getFirst());
            assertThat(ReaderCatchUp.readAtLeast(reader, 1).getFirst().index(), is(index));
            TopicDescription topic = admin.describeTopics(List.of(settings.topic()))
                    .allTopicNames()
                    .get()
                    .get(settings.topic());
            assertThat(topic.partitions().getFirst().replicas().size(), is(1));
            assertThat(TopicSetupTest.minInsyncReplicas(admin, settings.topic()), is("1"));
        }
    }
}
