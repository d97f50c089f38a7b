package dev.registry.server.testing;

import static org.awaitility.Awaitility.await;

import dev.registry.events.log.EventReader;
import dev.registry.events.log.LoggedEvent;
import dev.registry.events.projection.Projector;
import dev.registry.events.projection.RegistryView;
import dev.registry.kafka.KafkaEventLog;
import dev.registry.kafka.KafkaLogSettings;
import dev.registry.kafka.testkit.KafkaTestCluster;
import dev.registry.server.config.KafkaSettings;
import dev.registry.server.config.RegistrySettings;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.UnaryOperator;

/**
 * Registry nodes in this JVM sharing one topic of a test Kafka cluster, each with its own data
 * directory and port; and the topic read back on its own, for comparing every node's state with
 * a plain fold of the log.
 */
public final class KafkaNodes implements AutoCloseable {

    private final KafkaTestCluster cluster;
    private final String topic;
    private final Path dir;
    private final UnaryOperator<RegistrySettings> customize;
    private final Clock clock;
    private final List<TestRegistry> nodes = new ArrayList<>();

    public KafkaNodes(KafkaTestCluster cluster, Path dir, UnaryOperator<RegistrySettings> customize, Clock clock) {
        this.cluster = cluster;
        this.topic = cluster.newTopic();
        this.dir = dir;
        this.customize = customize;
        this.clock = clock;
    }

    /** Starts {@code count} nodes, node-1 to node-N. */
    public static KafkaNodes start(KafkaTestCluster cluster, Path dir, int count) {
        KafkaNodes nodes = new KafkaNodes(cluster, dir, s -> s, Clock.systemUTC());
        for (int i = 0; i < count; i++) {
            nodes.add();
        }
        return nodes;
    }

    /** Starts one more node, named node-N. */
    public TestRegistry add() {
        String id = "node-" + (nodes.size() + 1);
        TestRegistry node = new TestRegistry(dir.resolve(id), s -> customize.apply(settingsFor(s, id)), clock);
        nodes.add(node);
        return node;
    }

    /** A node's settings: on this topic, as {@code id}. */
    public RegistrySettings settingsFor(RegistrySettings base, String id) {
        return base.toBuilder()
                .kafka(new KafkaSettings(cluster.bootstrapServers(), topic, id, Map.of(), null))
                .build();
    }

    public TestRegistry node(int i) {
        return nodes.get(i);
    }

    public List<TestRegistry> all() {
        return List.copyOf(nodes);
    }

    public String topic() {
        return topic;
    }

    /** Waits until every running node's view has applied the log through {@code index}. */
    public void awaitAllAt(long index) {
        await().atMost(Duration.ofSeconds(30))
                .pollInterval(Duration.ofMillis(20))
                .until(() -> nodes.stream().allMatch(n -> n.server().view().lastIndex() >= index));
    }

    /** Every event of the topic, read by a reader of its own. */
    public List<LoggedEvent> topicEvents() {
        try (KafkaEventLog log = KafkaEventLog.openForReading(KafkaLogSettings.of(cluster.bootstrapServers(), "reader")
                        .withTopic(topic));
                EventReader reader = log.reader()) {
            long last = log.lastIndex();
            List<LoggedEvent> events = new ArrayList<>();
            await().atMost(Duration.ofSeconds(30)).until(() -> {
                for (LoggedEvent e = reader.next(); e != null; e = reader.next()) {
                    events.add(e);
                }
                return events.isEmpty() ? last < 0 : events.getLast().index() >= last;
            });
            return events;
        }
    }

    /** The topic folded by the projector alone: what every node must hold. */
    public RegistryView fold() {
        RegistryView view = new RegistryView();
        topicEvents().forEach(e -> Projector.apply(view, e));
        return view;
    }

    @Override
    public void close() {
        for (TestRegistry n : nodes) {
            n.close();
        }
    }
}
