package dev.registry.tools;

import dev.registry.cli.Defaults;
import dev.registry.events.audit.Checkpoints;
import dev.registry.events.log.ChronicleEventLog;
import dev.registry.events.log.EventLog;
import dev.registry.events.retention.RetentionBase;
import dev.registry.events.retention.RetentionMarker;
import dev.registry.events.snapshot.Snapshot;
import dev.registry.events.snapshot.SnapshotStore;
import dev.registry.kafka.KafkaClientProperties;
import dev.registry.kafka.KafkaEventLog;
import dev.registry.kafka.KafkaLogException;
import dev.registry.kafka.KafkaLogSettings;
import java.nio.file.Path;
import java.util.Optional;
import picocli.CommandLine.Option;

/** Options every log tool takes: where the log is, and whether to print JSON. */
public final class LogOptions {

    @Option(
            names = "--data-dir",
            defaultValue = "${env:REGISTRY_DATA_DIR:-" + Defaults.DATA_DIR + "}",
            description = "The registry's data directory (env REGISTRY_DATA_DIR; default ${DEFAULT-VALUE}).")
    public Path dataDir;

    @Option(names = "--json", description = "Print JSON for scripts instead of a table.")
    public boolean json;

    @Option(
            names = "--log",
            defaultValue = "${env:REGISTRY_LOG:-" + Defaults.LOG + "}",
            paramLabel = "chronicle|kafka",
            description =
                    "The log to read: chronicle (in --data-dir) or kafka (a topic nodes share) (env REGISTRY_LOG; "
                            + "default ${DEFAULT-VALUE}).")
    public String logKind;

    @Option(
            names = "--kafka-bootstrap",
            defaultValue = "${env:REGISTRY_KAFKA_BOOTSTRAP}",
            paramLabel = "HOST:PORT[,...]",
            description = "Kafka brokers, with --log kafka (env REGISTRY_KAFKA_BOOTSTRAP).")
    public String kafkaBootstrap;

    @Option(
            names = "--kafka-topic",
            defaultValue = "${env:REGISTRY_KAFKA_TOPIC:-" + Defaults.KAFKA_TOPIC + "}",
            description = "The log's topic (env REGISTRY_KAFKA_TOPIC; default ${DEFAULT-VALUE}).")
    public String kafkaTopic;

    @Option(
            names = "--kafka-property",
            paramLabel = "KEY=VALUE",
            description = "Any other Kafka client setting (TLS, SASL, ...); repeatable, over --kafka-config.")
    public java.util.List<String> kafkaProperties = new java.util.ArrayList<>();

    @Option(
            names = "--kafka-config",
            defaultValue = "${env:REGISTRY_KAFKA_CONFIG}",
            paramLabel = "FILE",
            description = "Kafka client settings from a properties file (env REGISTRY_KAFKA_CONFIG).")
    public Path kafkaConfig;

    /** Whether the log is a Kafka topic rather than the data directory's Chronicle log. */
    public boolean onKafka() {
        return switch (logKind.trim().toLowerCase(java.util.Locale.ROOT)) {
            case "chronicle" -> false;
            case "kafka" -> {
                if (kafkaBootstrap == null || kafkaBootstrap.isBlank()) {
                    throw new IllegalArgumentException("--log kafka needs --kafka-bootstrap HOST:PORT[,HOST:PORT...]");
                }
                yield true;
            }
            default -> throw new IllegalArgumentException("--log is chronicle or kafka, not '" + logKind + "'");
        };
    }

    /** Opens the log to read it only; safe while servers write it. */
    public EventLog open() {
        if (!onKafka()) {
            return ChronicleEventLog.openReadOnly(dataDir);
        }
        try {
            return KafkaEventLog.openForReading(KafkaLogSettings.of(kafkaBootstrap, "registry-tools")
                    .withTopic(kafkaTopic)
                    .withClientProperties(KafkaClientProperties.merge(kafkaConfig, kafkaProperties)));
        } catch (KafkaLogException ex) {
            throw new IllegalArgumentException(ex.getMessage(), ex); // no log there: the tool cannot run (exit 2)
        }
    }

    /**
     * The state {@code log} starts from: empty when retention never deleted anything from it,
     * else the retention base (the state after the newest deleted event).
     *
     * @throws IllegalStateException when retention deleted files and the base cannot be read
     */
    public Optional<Snapshot> retentionBase(EventLog log) {
        if (onKafka()) {
            return Optional.empty(); // Kafka's retention: what the topic holds is the history
        }
        Optional<RetentionMarker> marker = RetentionMarker.read(dataDir);
        if (marker.isEmpty()) {
            return Optional.empty();
        }
        Optional<Snapshot> base = RetentionBase.load(marker.get(), new SnapshotStore(dataDir, Integer.MAX_VALUE), log);
        if (base.isEmpty()) {
            throw new IllegalStateException(
                    "retention deleted the log through index " + marker.get().throughIndex()
                            + " and its base (snapshots/retention-base.snap) cannot be read: the log alone is a partial history");
        }
        return base;
    }

    /** Where time travel on {@code log} may start from: the retention base, if any. */
    public Checkpoints checkpoints(EventLog log) {
        return Checkpoints.floorOnly(retentionBase(log)
                .map(s -> new Checkpoints.Checkpoint(s.index(), s.view().lastEventTime(), s.view())));
    }
}
