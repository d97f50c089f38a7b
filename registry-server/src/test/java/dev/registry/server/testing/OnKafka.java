package dev.registry.server.testing;

import dev.registry.kafka.testkit.KafkaClusterExtension;
import dev.registry.server.config.KafkaSettings;
import dev.registry.server.config.RegistrySettings;
import java.util.Map;

/**
 * Runs a contract test class on a Kafka-backed node: its subclass registers the shared cluster
 * and returns {@link #settings} from {@code onTheLog}, a topic of its own per test.
 */
public final class OnKafka {

    /** Implemented by the contract test classes that run on Kafka. */
    public interface Backed {}

    private final String topic;
    private final KafkaClusterExtension kafka;

    public OnKafka(KafkaClusterExtension kafka) {
        this.kafka = kafka;
        this.topic = kafka.cluster().newTopic();
    }

    /** {@code settings} on this test's topic, as node-1. */
    public RegistrySettings settings(RegistrySettings settings) {
        return settings.toBuilder()
                .kafka(new KafkaSettings(kafka.cluster().bootstrapServers(), topic, "node-1", Map.of(), null))
                .build();
    }
}
