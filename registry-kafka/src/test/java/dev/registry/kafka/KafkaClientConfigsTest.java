package dev.registry.kafka;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.aMapWithSize;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasEntry;
import static org.hamcrest.Matchers.hasKey;
import static org.hamcrest.Matchers.not;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.Map;
import org.junit.jupiter.api.Test;

class KafkaClientConfigsTest {

    private static KafkaClientConfigs configs(Map<String, String> properties) {
        return new KafkaClientConfigs(
                KafkaLogSettings.of("k1:9092,k2:9092", "node-1").withClientProperties(properties));
    }

    @Test
    void securitySettingsReachProducerConsumerAndAdminAlike() {
        Map<String, String> tls = Map.of(
                "security.protocol",
                "SASL_SSL",
                "sasl.mechanism",
                "SCRAM-SHA-512",
                "sasl.jaas.config",
                "org.apache.kafka.common.security.scram.ScramLoginModule required;",
                "ssl.truststore.location",
                "/etc/kafka/truststore.p12",
                "ssl.truststore.password",
                "secret");
        KafkaClientConfigs configs = configs(tls);
        for (Map<String, Object> client :
                new Map[] {configs.producer("p"), configs.consumer("c"), configs.admin("a")}) {
            tls.forEach((key, value) -> assertThat(client, hasEntry(key, (Object) value)));
            assertThat(client, hasEntry("bootstrap.servers", (Object) "k1:9092,k2:9092"));
        }
    }

    @Test
    void eachSettingGoesToTheClientsThatKnowItAndAPluginsOwnToAll() {
        KafkaClientConfigs configs =
                configs(Map.of("linger.ms", "7", "fetch.max.wait.ms", "50", "my.login.plugin.realm", "EXAMPLE"));
        assertThat(configs.producer("p"), hasEntry("linger.ms", (Object) "7"));
        assertThat(configs.consumer("c"), not(hasKey("linger.ms")));
        assertThat(configs.admin("a"), not(hasKey("linger.ms")));
        assertThat(configs.consumer("c"), hasEntry("fetch.max.wait.ms", (Object) "50"));
        assertThat(configs.producer("p"), not(hasKey("fetch.max.wait.ms")));
        assertThat(configs.producer("p"), hasEntry("my.login.plugin.realm", (Object) "EXAMPLE"));
        assertThat(configs.consumer("c"), hasEntry("my.login.plugin.realm", (Object) "EXAMPLE"));
        assertThat(configs.admin("a"), hasEntry("my.login.plugin.realm", (Object) "EXAMPLE"));
    }

    @Test
    void theLogsOwnSettingsHoldAndEquivalentValuesAreAccepted() {
        KafkaClientConfigs configs =
                configs(Map.of("acks", "-1", "enable.idempotence", "TRUE", "enable.auto.commit", "false"));
        assertThat(configs.producer("p"), hasEntry("acks", (Object) "all"));
        assertThat(configs.producer("p"), hasEntry("enable.idempotence", (Object) "true"));
        assertThat(configs.consumer("c"), hasEntry("enable.auto.commit", (Object) "false"));
        assertThat(configs.consumer("c"), hasEntry("auto.offset.reset", (Object) "none"));
        assertThat(configs.consumer("c"), not(hasKey("group.id")));
        assertThat(configs(Map.of()).admin("a"), aMapWithSize(4)); // client id, bootstrap, two timeouts
    }

    @Test
    void aPropertyContradictingTheLogsGuaranteesIsRefusedWithOneLine() {
        assertThat(
                refusal(Map.of("acks", "1")),
                equalTo("Kafka property acks=1 conflicts with the registry's acks=all: "
                        + "a write counts only once every in-sync replica has it"));
        assertThat(
                refusal(Map.of("enable.idempotence", "false")),
                equalTo(
                        "Kafka property enable.idempotence=false "
                                + "conflicts with the registry's enable.idempotence=true: a retried send must not write an event twice"));
        assertThat(
                refusal(Map.of("group.id", "registry")),
                equalTo("Kafka property group.id cannot be set: "
                        + "every node reads the whole topic itself, without a consumer group"));
        assertThat(
                refusal(Map.of("auto.offset.reset", "earliest")),
                equalTo("Kafka property auto.offset.reset=earliest "
                        + "conflicts with the registry's auto.offset.reset=none: a reader whose events were deleted must fail, "
                        + "not skip them"));
        assertThat(
                refusal(Map.of("transactional.id", "t")),
                equalTo("Kafka property transactional.id cannot be set: " + "the log appends without transactions"));
        assertThat(
                refusal(Map.of("bootstrap.servers", "elsewhere:9092")),
                equalTo(
                        "Kafka property "
                                + "bootstrap.servers=elsewhere:9092 contradicts the bootstrap servers given (k1:9092,k2:9092)"));
    }

    private static String refusal(Map<String, String> properties) {
        return assertThrows(KafkaLogException.class, () -> configs(properties)).getMessage();
    }
}
