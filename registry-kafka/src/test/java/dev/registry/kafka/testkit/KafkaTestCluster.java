package dev.registry.kafka.testkit;

import dev.registry.kafka.KafkaLogSettings;
import java.time.Duration;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.logging.Level;
import java.util.logging.LogManager;
import java.util.logging.Logger;
import kafka.server.BrokerServer;
import org.apache.kafka.clients.CommonClientConfigs;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.common.test.KafkaClusterTestKit;
import org.apache.kafka.common.test.TestKitNodes;

/**
 * A real Kafka 4.4 cluster in KRaft mode inside the test's JVM ({@link KafkaClusterTestKit}): one
 * controller and N brokers as separate nodes (combined nodes do not start on 4.4), on free ports, with
 * data in a temporary directory deleted on {@link #close()}. Ready in about three seconds.
 *
 * <p>Tests usually get one through {@link KafkaClusterExtension}. Each test takes a topic of its own
 * ({@link #newTopic()}, {@link #logSettings(String)}), so tests share a cluster without seeing each
 * other's events.
 *
 * <p>A module using this needs, in test scope, {@code registry-kafka}'s test-jar and the test kit's jars
 * (versions managed by the parent): {@code org.apache.kafka:kafka-test-common-runtime},
 * {@code kafka_2.13}, {@code kafka-server}, {@code kafka-server-common}, {@code kafka-clients} with
 * classifier {@code test}, and {@code org.bouncycastle:bcpkix-jdk18on}.
 */
public final class KafkaTestCluster implements AutoCloseable {

    /** Held so the levels set below stay (JUL keeps loggers weakly). */
    private static final Logger[] QUIET = {
        Logger.getLogger("kafka"), Logger.getLogger("org.apache.kafka"), Logger.getLogger("state.change.logger")
    };

    static {
        // The brokers log every step at INFO; a test's output should show its own failures.
        for (Logger logger : QUIET) {
            if (LogManager.getLogManager().getProperty(logger.getName() + ".level") == null) {
                logger.setLevel(Level.SEVERE);
            }
        }
    }

    private final KafkaClusterTestKit kit;
    private final boolean shared;
    private final AtomicInteger topics = new AtomicInteger();

    private KafkaTestCluster(KafkaClusterTestKit kit, boolean shared) {
        this.kit = kit;
        this.shared = shared;
    }

    /** Starts one controller and {@code brokers} brokers and waits until every broker is ready. */
    public static KafkaTestCluster start(int brokers) {
        return start(brokers, false);
    }

    static KafkaTestCluster start(int brokers, boolean shared) {
        KafkaClusterTestKit kit = null;
        try {
            kit = new KafkaClusterTestKit.Builder(new TestKitNodes.Builder()
                            .setCombined(false)
                            .setNumControllerNodes(1)
                            .setNumBrokerNodes(brokers)
                            .build())
                    // internal topics fit the cluster's size, so that one or two brokers work too
                    .setConfigProp("offsets.topic.replication.factor", String.valueOf(Math.min(3, brokers)))
                    .setConfigProp("transaction.state.log.replication.factor", String.valueOf(Math.min(3, brokers)))
                    .setConfigProp("transaction.state.log.min.isr", String.valueOf(Math.min(2, brokers)))
                    .build();
            kit.format();
            kit.startup();
            kit.waitForReadyBrokers();
            return new KafkaTestCluster(kit, shared);
        } catch (Exception ex) {
            if (kit != null) {
                closeQuietly(kit);
            }
            if (ex instanceof InterruptedException) {
                Thread.currentThread().interrupt();
            }
            throw new IllegalStateException("the in-process Kafka cluster did not start: " + ex, ex);
        }
    }

    /** {@code host:port} of every broker, comma-separated. */
    public String bootstrapServers() {
        return kit.bootstrapServers();
    }

    /** The ids of the brokers, running or stopped. */
    public Set<Integer> brokerIds() {
        return new TreeSet<>(kit.brokers().keySet());
    }

    /** The ids of the brokers that run. */
    public Set<Integer> runningBrokerIds() {
        Set<Integer> running = new TreeSet<>();
        kit.brokers().forEach((id, broker) -> {
            if (!broker.isShutdown()) {
                running.add(id);
            }
        });
        return running;
    }

    /**
     * Stops one broker (a controlled shutdown: it hands its partitions' leadership over) and waits until
     * it is down. Not on a shared cluster: the tests after this one would meet a smaller cluster.
     */
    public void stopBroker(int id) {
        if (shared) {
            throw new IllegalStateException(
                    "a shared cluster cannot lose a broker: use KafkaClusterExtension.perClass");
        }
        BrokerServer broker = kit.brokers().get(id);
        if (broker == null) {
            throw new IllegalArgumentException("no broker " + id + " (brokers: " + brokerIds() + ")");
        }
        broker.shutdown(Duration.ofSeconds(30));
        broker.awaitShutdown();
    }

    /** A topic name no test of this cluster has had yet (the topic itself is not created). */
    public String newTopic() {
        return "test-" + topics.incrementAndGet();
    }

    /** Settings of a log on a new topic of this cluster, for the node {@code nodeId}. */
    public KafkaLogSettings logSettings(String nodeId) {
        return KafkaLogSettings.of(bootstrapServers(), nodeId).withTopic(newTopic());
    }

    /** A new admin client on this cluster; the caller closes it. */
    public Admin admin() {
        return Admin.create(Map.of(CommonClientConfigs.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers()));
    }

    /** Stops every node and deletes the cluster's data. */
    @Override
    public void close() {
        closeQuietly(kit);
    }

    private static void closeQuietly(KafkaClusterTestKit kit) {
        try {
            kit.close();
        } catch (Exception ex) {
            if (ex instanceof InterruptedException) {
                Thread.currentThread().interrupt();
            }
            throw new IllegalStateException("the in-process Kafka cluster did not stop cleanly: " + ex, ex);
        }
    }
}
