package dev.registry.kafka;

import java.time.Duration;
import java.util.Map;
import java.util.Objects;

/**
 * Where and how a {@link KafkaEventLog} reaches Kafka.
 *
 * @param bootstrapServers     {@code HOST:PORT[,HOST:PORT...]} of the cluster ({@code --kafka-bootstrap})
 * @param topic                the log's topic, one partition ({@code --kafka-topic}, default {@value #DEFAULT_TOPIC})
 * @param nodeId               this registry node's id, written in a header of every record it appends ({@code --node-id})
 * @param clientProperties     any other Kafka client setting, for producer, consumer and admin alike (TLS, SASL,
 *                             timeouts), as {@link KafkaClientProperties} parses them; the log's own required settings
 *                             ({@code acks=all}, idempotence, no consumer group) cannot be changed through them
 * @param openTimeout          how long {@link KafkaEventLog#open} may try to reach the cluster before it gives up
 * @param pollTimeout          how long a reader's {@code next()} waits for an event before it answers "none yet"
 * @param contactProbeInterval how often the log asks Kafka for the topic's end, to keep {@link KafkaContact} fresh
 *                             while nothing is appended or read
 */
public record KafkaLogSettings(
        String bootstrapServers,
        String topic,
        String nodeId,
        Map<String, String> clientProperties,
        Duration openTimeout,
        Duration pollTimeout,
        Duration contactProbeInterval) {

    /** The topic used when none is given. */
    public static final String DEFAULT_TOPIC = "registry-events";

    static final Duration DEFAULT_OPEN_TIMEOUT = Duration.ofSeconds(15);
    static final Duration DEFAULT_POLL_TIMEOUT = Duration.ofMillis(100);
    static final Duration DEFAULT_CONTACT_PROBE_INTERVAL = Duration.ofSeconds(1);

    public KafkaLogSettings {
        if (bootstrapServers == null || bootstrapServers.isBlank()) {
            throw new IllegalArgumentException("the Kafka bootstrap servers are missing (HOST:PORT[,HOST:PORT...])");
        }
        if (topic == null || topic.isBlank()) {
            throw new IllegalArgumentException("the Kafka topic name is empty");
        }
        if (nodeId == null || nodeId.isBlank()) {
            throw new IllegalArgumentException("the node id is empty");
        }
        clientProperties = Map.copyOf(clientProperties);
        requirePositive(openTimeout, "open timeout");
        requirePositive(pollTimeout, "poll timeout");
        requirePositive(contactProbeInterval, "contact probe interval");
    }

    /** Settings with the default topic, no extra client properties and the default timeouts. */
    public static KafkaLogSettings of(String bootstrapServers, String nodeId) {
        return new KafkaLogSettings(
                bootstrapServers,
                DEFAULT_TOPIC,
                nodeId,
                Map.of(),
                DEFAULT_OPEN_TIMEOUT,
                DEFAULT_POLL_TIMEOUT,
                DEFAULT_CONTACT_PROBE_INTERVAL);
    }

    public KafkaLogSettings withTopic(String newTopic) {
        return new KafkaLogSettings(
                bootstrapServers, newTopic, nodeId, clientProperties, openTimeout, pollTimeout, contactProbeInterval);
    }

    public KafkaLogSettings withNodeId(String newNodeId) {
        return new KafkaLogSettings(
                bootstrapServers, topic, newNodeId, clientProperties, openTimeout, pollTimeout, contactProbeInterval);
    }

    public KafkaLogSettings withClientProperties(Map<String, String> properties) {
        return new KafkaLogSettings(
                bootstrapServers, topic, nodeId, properties, openTimeout, pollTimeout, contactProbeInterval);
    }

    public KafkaLogSettings withOpenTimeout(Duration timeout) {
        return new KafkaLogSettings(
                bootstrapServers, topic, nodeId, clientProperties, timeout, pollTimeout, contactProbeInterval);
    }

    public KafkaLogSettings withPollTimeout(Duration timeout) {
        return new KafkaLogSettings(
                bootstrapServers, topic, nodeId, clientProperties, openTimeout, timeout, contactProbeInterval);
    }

    public KafkaLogSettings withContactProbeInterval(Duration interval) {
        return new KafkaLogSettings(
                bootstrapServers, topic, nodeId, clientProperties, openTimeout, pollTimeout, interval);
    }

    private static void requirePositive(Duration duration, String what) {
        Objects.requireNonNull(duration, what);
        if (duration.isNegative() || duration.isZero()) {
            throw new IllegalArgumentException("the " + what + " must be positive: " + duration);
        }
    }
}
