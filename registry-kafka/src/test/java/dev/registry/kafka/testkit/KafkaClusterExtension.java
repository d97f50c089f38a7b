package dev.registry.kafka.testkit;

import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * Gives a test class a running {@link KafkaTestCluster}. Register it as a static field:
 *
 * <pre>{@code
 * @RegisterExtension
 * static final KafkaClusterExtension KAFKA = KafkaClusterExtension.shared();
 * ...
 * try (KafkaEventLog log = KafkaEventLog.open(KAFKA.cluster().logSettings("node-1"))) { ... }
 * }</pre>
 *
 * <p>{@link #shared()}: one cluster of three brokers for every test class of the JVM that asks for it,
 * started by the first and stopped when the test run ends, so that a class pays nothing for it; it cannot
 * lose brokers. {@link #perClass(int)}: a cluster of the class's own, started before its first test and
 * stopped after its last, for tests that stop brokers.
 */
public final class KafkaClusterExtension implements BeforeAllCallback, AfterAllCallback {

    private static final ExtensionContext.Namespace NAMESPACE =
            ExtensionContext.Namespace.create(KafkaClusterExtension.class);
    private static final int SHARED_BROKERS = 3;

    private final int brokers;
    private final boolean shared;
    private KafkaTestCluster cluster;

    private KafkaClusterExtension(int brokers, boolean shared) {
        this.brokers = brokers;
        this.shared = shared;
    }

    /** The JVM's one shared cluster: one controller, three brokers. */
    public static KafkaClusterExtension shared() {
        return new KafkaClusterExtension(SHARED_BROKERS, true);
    }

    /** A cluster of the test class's own, with {@code brokers} brokers. */
    public static KafkaClusterExtension perClass(int brokers) {
        return new KafkaClusterExtension(brokers, false);
    }

    /** The running cluster (from the class's {@code @BeforeAll} on). */
    public KafkaTestCluster cluster() {
        if (cluster == null) {
            throw new IllegalStateException(
                    "the Kafka cluster is not started: register the extension on a static field");
        }
        return cluster;
    }

    @Override
    public void beforeAll(ExtensionContext context) {
        if (shared) {
            cluster = context.getRoot()
                    .getStore(NAMESPACE)
                    .getOrComputeIfAbsent(
                            "shared-cluster",
                            key -> new SharedCluster(KafkaTestCluster.start(brokers, true)),
                            SharedCluster.class)
                    .cluster();
        } else {
            cluster = KafkaTestCluster.start(brokers);
        }
    }

    @Override
    public void afterAll(ExtensionContext context) {
        if (!shared && cluster != null) {
            cluster.close();
        }
        cluster = null;
    }

    /** Closed by JUnit when the root context (the whole run) ends. */
    private record SharedCluster(KafkaTestCluster cluster) implements ExtensionContext.Store.CloseableResource {
        @Override
        public void close() {
            cluster.close();
        }
    }
}
