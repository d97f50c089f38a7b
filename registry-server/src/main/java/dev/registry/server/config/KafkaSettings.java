package dev.registry.server.config;

import java.net.URI;
import java.util.Map;

/**
 * How a node reaches the Kafka log it shares with the other registry nodes ({@code --log kafka}).
 *
 * @param bootstrap        {@code --kafka-bootstrap}: HOST:PORT[,HOST:PORT...]
 * @param topic            {@code --kafka-topic}
 * @param nodeId           {@code --node-id}: this node's name in the log (leases, who appended what)
 * @param clientProperties Kafka client settings from {@code --kafka-config} and {@code --kafka-property}
 * @param bootstrapFrom    {@code --bootstrap-from}: a running node to load a snapshot from when Kafka
 *                         no longer holds the topic's beginning, or {@code null}
 */
public record KafkaSettings(
        String bootstrap, String topic, String nodeId, Map<String, String> clientProperties, URI bootstrapFrom) {

    public KafkaSettings {
        if (bootstrap == null || bootstrap.isBlank()) {
            throw new IllegalArgumentException("--log kafka needs --kafka-bootstrap HOST:PORT[,HOST:PORT...]");
        }
        if (topic == null || topic.isBlank()) {
            throw new IllegalArgumentException("--kafka-topic must not be empty");
        }
        if (nodeId == null || nodeId.isBlank()) {
            throw new IllegalArgumentException("--node-id must not be empty");
        }
        clientProperties = Map.copyOf(clientProperties);
    }
}
