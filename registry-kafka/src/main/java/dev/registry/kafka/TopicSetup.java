package dev.registry.kafka;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.logging.Logger;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.CreateTopicsOptions;
import org.apache.kafka.clients.admin.DescribeClusterOptions;
import org.apache.kafka.clients.admin.DescribeTopicsOptions;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.common.KafkaFuture;
import org.apache.kafka.common.config.TopicConfig;
import org.apache.kafka.common.errors.TopicExistsException;
import org.apache.kafka.common.errors.UnknownTopicOrPartitionException;

/**
 * Makes sure the log's topic exists with one partition: creates it when missing, with replication factor
 * min(3, brokers) and {@code min.insync.replicas=2} from three brokers on (so that an acknowledged event
 * is on two brokers at least), and refuses a topic with more partitions, which would have no total order.
 */
final class TopicSetup {

    /**
     * Largest record, on the topic and in the producer: an event carries a whole registration, up
     * to the registry's body limit (1 MiB by default, Kafka's default record limit), with room to spare.
     */
    static final int MAX_MESSAGE_BYTES = 16 << 20;

    private static final Logger LOG = Logger.getLogger(TopicSetup.class.getName());

    private final Admin admin;
    private final String topic;
    private final String bootstrap;
    private final Duration timeout;
    private final Instant deadline;

    private TopicSetup(Admin admin, String topic, String bootstrap, Duration timeout) {
        this.admin = admin;
        this.topic = topic;
        this.bootstrap = bootstrap;
        this.timeout = timeout;
        this.deadline = Instant.now().plus(timeout);
    }

    /** @throws KafkaLogException when the cluster does not answer within {@code timeout}, or the topic is unfit */
    static void ensure(Admin admin, String topic, String bootstrap, Duration timeout) {
        new TopicSetup(admin, topic, bootstrap, timeout).ensure();
    }

    /** @throws KafkaLogException when the topic is missing, unfit, or the cluster does not answer in time */
    static void requireExisting(Admin admin, String topic, String bootstrap, Duration timeout) {
        new TopicSetup(admin, topic, bootstrap, timeout).requireExisting();
    }

    private void requireExisting() {
        TopicDescription existing = describe();
        if (existing == null) {
            throw new KafkaLogException("no topic '" + topic + "' at " + bootstrap + ": no registry log there");
        }
        if (existing.partitions().size() != 1) {
            throw new KafkaLogException("topic '" + topic + "' has "
                    + existing.partitions().size() + " partitions; it is not a registry's log");
        }
    }

    private void ensure() {
        TopicDescription existing = describe();
        if (existing == null) {
            create();
            existing = describeCreated();
        }
        int partitions = existing.partitions().size();
        if (partitions != 1) {
            throw new KafkaLogException("topic '" + topic + "' has " + partitions
                    + " partitions; the registry's log needs exactly one (a total order): use another --kafka-topic");
        }
    }

    private TopicDescription describe() {
        try {
            return await(admin.describeTopics(List.of(topic), new DescribeTopicsOptions().timeoutMs(remainingMillis()))
                            .allTopicNames())
                    .get(topic);
        } catch (ExecutionException ex) {
            if (ex.getCause() instanceof UnknownTopicOrPartitionException) {
                return null;
            }
            throw failure("cannot describe topic '" + topic + "'", ex);
        }
    }

    /** A new topic reaches every broker's metadata a moment after the controller made it. */
    private TopicDescription describeCreated() {
        TopicDescription created;
        while ((created = describe()) == null) {
            if (remainingMillis() <= 1) {
                throw new KafkaLogException("topic '" + topic + "' was created, but Kafka at " + bootstrap
                        + " did not show it within " + seconds(timeout));
            }
            try {
                Thread.sleep(50);
            } catch (InterruptedException ex) {
                Thread.currentThread().interrupt();
                throw new KafkaLogException("interrupted while opening topic '" + topic + "'", ex);
            }
        }
        return created;
    }

    private void create() {
        int brokers;
        try {
            brokers = await(admin.describeCluster(new DescribeClusterOptions().timeoutMs(remainingMillis()))
                            .nodes())
                    .size();
        } catch (ExecutionException ex) {
            throw failure("cannot list the brokers", ex);
        }
        short replicas = (short) Math.min(3, brokers);
        Map<String, String> configs = new java.util.HashMap<>(
                Map.of(TopicConfig.MAX_MESSAGE_BYTES_CONFIG, Integer.toString(MAX_MESSAGE_BYTES)));
        if (brokers >= 3) {
            configs.put(TopicConfig.MIN_IN_SYNC_REPLICAS_CONFIG, "2");
        }
        try {
            await(admin.createTopics(
                            List.of(new NewTopic(topic, 1, replicas).configs(configs)),
                            new CreateTopicsOptions().timeoutMs(remainingMillis()))
                    .all());
            LOG.info(() -> "created topic '" + topic + "': 1 partition, replication factor " + replicas
                    + (brokers >= 3 ? ", min.insync.replicas 2" : ""));
        } catch (ExecutionException ex) {
            if (!(ex.getCause() instanceof TopicExistsException)) { // another node created it first: fine
                throw failure("cannot create topic '" + topic + "'", ex);
            }
        }
    }

    private <T> T await(KafkaFuture<T> future) throws ExecutionException {
        try {
            return future.get(remainingMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException ex) {
            throw unreachable();
        } catch (InterruptedException ex) {
            Thread.currentThread().interrupt();
            throw new KafkaLogException("interrupted while opening topic '" + topic + "'", ex);
        }
    }

    private KafkaLogException failure(String what, ExecutionException ex) {
        if (ex.getCause() instanceof org.apache.kafka.common.errors.TimeoutException) {
            return unreachable();
        }
        return new KafkaLogException(
                what + " at " + bootstrap + ": " + ex.getCause().getMessage(), ex.getCause());
    }

    private KafkaLogException unreachable() {
        return new KafkaLogException("cannot reach Kafka at " + bootstrap + " within " + seconds(timeout) + " (topic '"
                + topic + "'): is it running, and are the address and the security settings right?");
    }

    private static String seconds(Duration duration) {
        return duration.toMillis() % 1000 == 0 ? duration.toSeconds() + " s" : duration.toMillis() + " ms";
    }

    private int remainingMillis() {
        return (int) Math.max(1, Duration.between(Instant.now(), deadline).toMillis());
    }
}
