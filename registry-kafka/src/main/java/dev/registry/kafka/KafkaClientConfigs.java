package dev.registry.kafka;

import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import org.apache.kafka.clients.CommonClientConfigs;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;

/**
 * The producer's, consumers' and admin client's settings: a few defaults of ours, the operator's
 * properties over them (each to the clients that know it; a key no client knows, such as a plugin's own,
 * to all), and the settings the log's guarantees rest on over everything. An operator property that
 * contradicts one of those is refused, never silently replaced.
 */
final class KafkaClientConfigs {

    /** Settings the log's guarantees rest on, with why (for the refusal's message). */
    private static final Map<String, Required> PRODUCER_REQUIRED = Map.of(
            ProducerConfig.ACKS_CONFIG, new Required("all", "a write counts only once every in-sync replica has it"),
            ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG,
                    new Required("true", "a retried send must not write an event twice"));

    private static final Map<String, Required> CONSUMER_REQUIRED = Map.of(
            ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, new Required("false", "readers keep their own positions"),
            ConsumerConfig.AUTO_OFFSET_RESET_CONFIG,
                    new Required("none", "a reader whose events were deleted must fail, not skip them"));
    /** Settings the log makes itself and an operator may not set at all. */
    private static final Map<String, String> FORBIDDEN = Map.of(
            ConsumerConfig.GROUP_ID_CONFIG, "every node reads the whole topic itself, without a consumer group",
            ConsumerConfig.GROUP_INSTANCE_ID_CONFIG,
                    "every node reads the whole topic itself, without a consumer group",
            ProducerConfig.TRANSACTIONAL_ID_CONFIG, "the log appends without transactions",
            ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, "the log writes the record's bytes itself",
            ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, "the log writes the record's bytes itself",
            ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, "the log reads the record's bytes itself",
            ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, "the log reads the record's bytes itself");

    /** Bounded waits of ours (overridable), so that an unreachable Kafka fails a write within seconds. */
    private static final Map<String, Object> PRODUCER_DEFAULTS = Map.of(
            ProducerConfig.MAX_BLOCK_MS_CONFIG, 10_000,
            ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, 10_000,
            ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, 30_000,
            // Kafka 4's default (5 ms) delays every single append; pipelined appends batch by themselves.
            ProducerConfig.LINGER_MS_CONFIG, 0,
            // an event carries a whole registration: up to the registry's body limit (1 MiB by default)
            ProducerConfig.MAX_REQUEST_SIZE_CONFIG, TopicSetup.MAX_MESSAGE_BYTES);

    private static final Map<String, Object> CONSUMER_DEFAULTS = Map.of(
            ConsumerConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, 10_000,
            ConsumerConfig.REQUEST_TIMEOUT_MS_CONFIG, 10_000);
    private static final Map<String, Object> ADMIN_DEFAULTS = Map.of(
            AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, 10_000,
            AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, 10_000);
    private static final Map<String, Object> PRODUCER_BYTES = Map.of(
            ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class,
            ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class);
    private static final Map<String, Object> CONSUMER_BYTES = Map.of(
            ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class,
            ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class);

    private final KafkaLogSettings settings;

    KafkaClientConfigs(KafkaLogSettings settings) {
        this.settings = settings;
        refuseConflicts(settings);
    }

    Map<String, Object> producer(String clientId) {
        return build(clientId, ProducerConfig.configNames(), PRODUCER_DEFAULTS, PRODUCER_REQUIRED, PRODUCER_BYTES);
    }

    Map<String, Object> consumer(String clientId) {
        return build(clientId, ConsumerConfig.configNames(), CONSUMER_DEFAULTS, CONSUMER_REQUIRED, CONSUMER_BYTES);
    }

    Map<String, Object> admin(String clientId) {
        return build(clientId, AdminClientConfig.configNames(), ADMIN_DEFAULTS, Map.of(), Map.of());
    }

    /** Our defaults, then the operator's settings this client knows (or no client knows), then ours again. */
    private Map<String, Object> build(
            String clientId,
            Set<String> known,
            Map<String, Object> defaults,
            Map<String, Required> required,
            Map<String, Object> bytes) {
        Map<String, Object> config = new LinkedHashMap<>(defaults);
        config.put(CommonClientConfigs.CLIENT_ID_CONFIG, clientId);
        settings.clientProperties().forEach((key, value) -> {
            if (known.contains(key) || !knownToAnyClient(key)) {
                config.put(key, value);
            }
        });
        config.put(CommonClientConfigs.BOOTSTRAP_SERVERS_CONFIG, settings.bootstrapServers());
        required.forEach((key, setting) -> config.put(key, setting.value()));
        config.putAll(bytes);
        return config;
    }

    private static boolean knownToAnyClient(String key) {
        return ProducerConfig.configNames().contains(key)
                || ConsumerConfig.configNames().contains(key)
                || AdminClientConfig.configNames().contains(key);
    }

    private static void refuseConflicts(KafkaLogSettings settings) {
        settings.clientProperties().forEach((key, value) -> {
            String forbidden = FORBIDDEN.get(key);
            if (forbidden != null) {
                throw new KafkaLogException("Kafka property " + key + " cannot be set: " + forbidden);
            }
            Required required = PRODUCER_REQUIRED.getOrDefault(key, CONSUMER_REQUIRED.get(key));
            if (required != null && !required.acceptsValue(key, value)) {
                throw new KafkaLogException("Kafka property " + key + "=" + value + " conflicts with the registry's "
                        + key + "=" + required.value() + ": " + required.why());
            }
        });
        String bootstrap = settings.clientProperties().get(CommonClientConfigs.BOOTSTRAP_SERVERS_CONFIG);
        if (bootstrap != null
                && !bootstrap
                        .replace(" ", "")
                        .equals(settings.bootstrapServers().replace(" ", ""))) {
            throw new KafkaLogException("Kafka property bootstrap.servers=" + bootstrap
                    + " contradicts the bootstrap servers given (" + settings.bootstrapServers() + ")");
        }
    }

    private record Required(String value, String why) {
        boolean acceptsValue(String key, String given) {
            String normalized = given.strip().toLowerCase(Locale.ROOT);
            return normalized.equals(value) || (key.equals(ProducerConfig.ACKS_CONFIG) && normalized.equals("-1"));
        }
    }
}
