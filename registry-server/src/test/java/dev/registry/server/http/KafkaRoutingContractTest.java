package dev.registry.server.http;

import dev.registry.kafka.testkit.KafkaClusterExtension;
import dev.registry.server.config.RegistrySettings;
import dev.registry.server.testing.OnKafka;
import org.junit.jupiter.api.extension.RegisterExtension;

/** {@link RoutingContractTest} on a node whose log is a Kafka topic. */
class KafkaRoutingContractTest extends RoutingContractTest implements OnKafka.Backed {

    @RegisterExtension
    static final KafkaClusterExtension KAFKA = KafkaClusterExtension.shared();

    private final OnKafka kafka = new OnKafka(KAFKA);

    @Override
    protected RegistrySettings onTheLog(RegistrySettings settings) {
        return kafka.settings(settings);
    }
}
