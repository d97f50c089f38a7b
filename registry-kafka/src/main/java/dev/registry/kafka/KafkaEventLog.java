package dev.registry.kafka;

import dev.registry.events.event.RegistryEvent;
import dev.registry.events.event.ServiceEvent;
import dev.registry.events.log.EventCodec;
import dev.registry.events.log.EventFrame;
import dev.registry.events.log.EventLog;
import dev.registry.events.log.EventReader;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;
import java.util.logging.Level;
import java.util.logging.LogManager;
import java.util.logging.Logger;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.ListOffsetsOptions;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.KafkaFuture;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.header.internals.RecordHeader;
import org.apache.kafka.common.header.internals.RecordHeaders;

/**
 * The event log on a Kafka topic with one partition, so that several registry nodes append to and
 * project one total order. Positions are the partition's offsets.
 *
 * <p>Appends go through an idempotent producer with {@code acks=all}: an append's offset is known only
 * once every in-sync replica has the record ({@code min.insync.replicas=2} on a topic this log creates on
 * three brokers or more). Each record's value is the encoded event as the Chronicle log stores it, its key
 * the service's name (none for {@code registry-started}), and header {@value #NODE_HEADER} names the node
 * that appended it. Any thread may append; {@link #appendAsync} pipelines appends and completes their
 * futures in log order. Each {@link #reader()} reads with a consumer of its own, assigned the partition.
 *
 * <p>{@link #contact()} tells when Kafka last answered, for the server to mark reads stale and refuse
 * writes while it does not.
 */
public final class KafkaEventLog implements EventLog {

    /** The header naming the node that appended a record (UTF-8). */
    public static final String NODE_HEADER = "registry-node-id";

    /** Held so the levels set below stay (JUL keeps loggers weakly). */
    private static final Logger KAFKA_LOGGER = Logger.getLogger("org.apache.kafka");

    private static final Logger NETWORK_LOGGER = Logger.getLogger("org.apache.kafka.clients.NetworkClient");
    private static final AtomicInteger INSTANCES = new AtomicInteger();

    static {
        // Kafka's clients log every setting at INFO, and a warning per reconnection attempt while a broker
        // is away; the log reports unreachability itself (contact(), errors), unless the operator's logging
        // configuration asks for Kafka's own messages.
        LogManager logging = LogManager.getLogManager();
        if (logging.getProperty("org.apache.kafka.level") == null) {
            KAFKA_LOGGER.setLevel(Level.WARNING);
        }
        if (logging.getProperty("org.apache.kafka.clients.NetworkClient.level") == null) {
            NETWORK_LOGGER.setLevel(Level.SEVERE);
        }
    }

    /** This instance's id in every frame it writes (the frame's writer field): random, never 0 (converted). */
    private final int writerId =
            java.util.concurrent.ThreadLocalRandom.current().nextInt(1, Integer.MAX_VALUE);

    private final KafkaLogSettings settings;
    private final KafkaClientConfigs configs;
    private final TopicPartition partition;
    private final String clientIdPrefix;
    private final Admin admin;
    private final KafkaProducer<byte[], byte[]> producer;
    private final KafkaContact contact;
    private final AppendCompletions completions;
    private final ScheduledExecutorService probe;
    private final EventCodec codec = new EventCodec();
    private final byte[] nodeIdBytes;
    private final Object sendOrder = new Object();
    private final Set<KafkaReader> readers = ConcurrentHashMap.newKeySet();
    private final AtomicInteger readerCount = new AtomicInteger();
    private final AtomicBoolean closed = new AtomicBoolean();

    private KafkaEventLog(
            KafkaLogSettings settings,
            KafkaClientConfigs configs,
            String clientIdPrefix,
            Admin admin,
            KafkaProducer<byte[], byte[]> producer,
            KafkaContact contact) {
        this.settings = settings;
        this.configs = configs;
        this.partition = new TopicPartition(settings.topic(), 0);
        this.clientIdPrefix = clientIdPrefix;
        this.admin = admin;
        this.producer = producer;
        this.contact = contact;
        this.nodeIdBytes = settings.nodeId().getBytes(StandardCharsets.UTF_8);
        this.completions = new AppendCompletions(contact, clientIdPrefix + "-completions");
        this.probe = Executors.newSingleThreadScheduledExecutor(
                Thread.ofPlatform().name(clientIdPrefix + "-contact").daemon().factory());
        long interval = settings.contactProbeInterval().toMillis();
        probe.scheduleWithFixedDelay(this::probeContact, interval, interval, TimeUnit.MILLISECONDS);
    }

    /** Opens the log with the system clock; see {@link #open(KafkaLogSettings, Clock)}. */
    public static KafkaEventLog open(KafkaLogSettings settings) {
        return open(settings, Clock.systemUTC());
    }

    /**
     * Connects to the cluster, creates the topic if it is missing (or checks the existing one), and readies
     * the producer, all within {@link KafkaLogSettings#openTimeout()}.
     *
     * @param clock the clock {@link #contact()} records times by
     * @throws KafkaLogException with a one-line message when the cluster cannot be reached in time, the topic
     *                           has more than one partition, or a client property is refused
     */
    public static KafkaEventLog open(KafkaLogSettings settings, Clock clock) {
        KafkaClientConfigs configs = new KafkaClientConfigs(settings);
        String prefix = "registry-" + settings.nodeId() + "-" + INSTANCES.incrementAndGet();
        Admin admin = createClient("admin", settings, () -> Admin.create(configs.admin(prefix + "-admin")));
        KafkaProducer<byte[], byte[]> producer = null;
        try {
            TopicSetup.ensure(admin, settings.topic(), settings.bootstrapServers(), settings.openTimeout());
            producer = createClient(
                    "producer", settings, () -> new KafkaProducer<>(configs.producer(prefix + "-producer")));
            producer.partitionsFor(settings.topic()); // the first append need not wait for metadata
            KafkaContact contact = new KafkaContact(clock);
            contact.heard();
            return new KafkaEventLog(settings, configs, prefix, admin, producer, contact);
        } catch (RuntimeException ex) {
            if (producer != null) {
                producer.close(Duration.ZERO);
            }
            admin.close(Duration.ZERO);
            throw ex instanceof KafkaLogException known
                    ? known
                    : new KafkaLogException(
                            "cannot open topic '" + settings.topic() + "' at " + settings.bootstrapServers() + ": "
                                    + ex.getMessage(),
                            ex);
        }
    }

    /**
     * Opens an existing topic to read it only, for tools: no producer, and a missing topic is
     * refused rather than created.
     *
     * @throws KafkaLogException with a one-line message when the cluster cannot be reached in time or
     *                           the topic is missing or has more than one partition
     */
    public static KafkaEventLog openForReading(KafkaLogSettings settings) {
        KafkaClientConfigs configs = new KafkaClientConfigs(settings);
        String prefix = "registry-" + settings.nodeId() + "-" + INSTANCES.incrementAndGet();
        Admin admin = createClient("admin", settings, () -> Admin.create(configs.admin(prefix + "-admin")));
        try {
            TopicSetup.requireExisting(admin, settings.topic(), settings.bootstrapServers(), settings.openTimeout());
            KafkaContact contact = new KafkaContact(Clock.systemUTC());
            contact.heard();
            return new KafkaEventLog(settings, configs, prefix, admin, null, contact);
        } catch (RuntimeException ex) {
            admin.close(Duration.ZERO);
            throw ex instanceof KafkaLogException known
                    ? known
                    : new KafkaLogException(
                            "cannot open topic '" + settings.topic() + "' at " + settings.bootstrapServers() + ": "
                                    + ex.getMessage(),
                            ex);
        }
    }

    /** Waits until Kafka acknowledged the event; see {@link #appendAsync}. */
    @Override
    public long append(RegistryEvent event) {
        try {
            return appendAsync(event).get();
        } catch (ExecutionException ex) {
            throw ex.getCause() instanceof KafkaLogException known
                    ? known
                    : new KafkaLogException(
                            "the event was not appended: " + ex.getCause().getMessage(), ex.getCause());
        } catch (InterruptedException ex) {
            Thread.currentThread().interrupt();
            throw new KafkaLogException(
                    "interrupted while waiting for Kafka's acknowledgement " + "(the event may still be appended)", ex);
        }
    }

    /**
     * Sends the event and returns at once. The future completes with the event's offset once Kafka
     * acknowledged it, or with a {@link KafkaLogException}; futures complete in the order of their calls,
     * which is the log's order, on a thread of the log's own (never the producer's network thread). May
     * block while the producer's buffer is full. A future that failed may still mean the event was
     * appended (Kafka acknowledged it, the answer was lost), so a retried write can appear twice.
     */
    public CompletableFuture<Long> appendAsync(RegistryEvent event) {
        if (producer == null) {
            return CompletableFuture.failedFuture(new KafkaLogException("the Kafka log was opened for reading only"));
        }
        if (closed.get()) {
            return CompletableFuture.failedFuture(new KafkaLogException("the Kafka log is closed"));
        }
        byte[] key = event instanceof ServiceEvent service ? service.name().getBytes(StandardCharsets.UTF_8) : null;
        byte[] value;
        try {
            // the frame of the Chronicle log, with its checksum; bound to no position (seed 0):
            // Kafka assigns offsets after the write
            value = EventFrame.encode(codec.encode(event), writerId, 0);
        } catch (RuntimeException ex) {
            return CompletableFuture.failedFuture(
                    new KafkaLogException("cannot encode the event: " + ex.getMessage(), ex));
        }
        RecordHeaders headers = new RecordHeaders(List.of(new RecordHeader(NODE_HEADER, nodeIdBytes)));
        ProducerRecord<byte[], byte[]> record =
                new ProducerRecord<>(partition.topic(), partition.partition(), null, key, value, headers);
        synchronized (sendOrder) { // the line of futures must be in the order of the sends
            AppendCompletions.Pending pending = completions.expect();
            try {
                producer.send(record, (metadata, failure) -> completions.answered(pending, metadata, failure));
            } catch (RuntimeException ex) {
                completions.answered(pending, null, ex);
            }
            return pending.future();
        }
    }

    /** Nothing to do: an append is durable when it returns ({@code acks=all} on the replicas). */
    @Override
    public void sync() {}

    /** A new reader positioned before the first event, on a consumer of its own; close it when done. */
    @Override
    public EventReader reader() {
        if (closed.get()) {
            throw new KafkaLogException("the Kafka log is closed");
        }
        String clientId = clientIdPrefix + "-reader-" + readerCount.incrementAndGet();
        KafkaConsumer<byte[], byte[]> consumer =
                createClient("consumer", settings, () -> new KafkaConsumer<>(configs.consumer(clientId)));
        KafkaReader reader = new KafkaReader(
                consumer, partition, settings.pollTimeout(), settings.openTimeout(), contact, codec, readers::remove);
        readers.add(reader);
        return reader;
    }

    /** The partition's first offset, or -1 when it holds no event; asks Kafka. */
    @Override
    public long firstIndex() {
        OffsetRange bounds = bounds();
        return bounds.isEmpty() ? -1 : bounds.first();
    }

    /** The offset of the partition's last acknowledged event, or -1 when it holds none; asks Kafka. */
    @Override
    public long lastIndex() {
        OffsetRange bounds = bounds();
        return bounds.isEmpty() ? -1 : bounds.end() - 1;
    }

    /** When Kafka last answered this log (appends, reads, and a probe every contact-probe interval). */
    public KafkaContact contact() {
        return contact;
    }

    /** The topic this log appends to. */
    public String topic() {
        return partition.topic();
    }

    /** The node id written in {@value #NODE_HEADER} of every record this log appends. */
    public String nodeId() {
        return settings.nodeId();
    }

    /**
     * Waits up to ten seconds for appends in flight to be acknowledged (those that are not fail), then closes
     * the producer, every reader still open, and the admin client.
     */
    @Override
    public void close() {
        if (!closed.compareAndSet(false, true)) {
            return;
        }
        probe.shutdownNow();
        if (producer != null) {
            producer.close(Duration.ofSeconds(10));
        }
        completions.close();
        readers.forEach(KafkaReader::closeFromLog);
        readers.clear();
        admin.close(Duration.ofSeconds(5));
    }

    /** The partition's offsets, its beginning and end asked at once. */
    private OffsetRange bounds() {
        Map<TopicPartition, OffsetSpec> earliest = Map.of(partition, OffsetSpec.earliest());
        Map<TopicPartition, OffsetSpec> latest = Map.of(partition, OffsetSpec.latest());
        ListOffsetsOptions options =
                new ListOffsetsOptions().timeoutMs((int) settings.openTimeout().toMillis());
        KafkaFuture<Long> first =
                admin.listOffsets(earliest, options).partitionResult(partition).thenApply(r -> r.offset());
        KafkaFuture<Long> end =
                admin.listOffsets(latest, options).partitionResult(partition).thenApply(r -> r.offset());
        try {
            OffsetRange bounds = new OffsetRange(first.get(), end.get());
            contact.heard();
            return bounds;
        } catch (ExecutionException ex) {
            throw new KafkaLogException(
                    "cannot ask Kafka for the offsets of topic '" + partition.topic() + "': "
                            + ex.getCause().getMessage(),
                    ex.getCause());
        } catch (InterruptedException ex) {
            Thread.currentThread().interrupt();
            throw new KafkaLogException("interrupted while asking Kafka for the topic's offsets", ex);
        }
    }

    private void probeContact() {
        long timeout = Math.max(1000, settings.contactProbeInterval().toMillis());
        try {
            admin.listOffsets(Map.of(partition, OffsetSpec.latest()), new ListOffsetsOptions().timeoutMs((int) timeout))
                    .partitionResult(partition)
                    .get(timeout, TimeUnit.MILLISECONDS);
            contact.heard();
        } catch (ExecutionException | TimeoutException | RuntimeException ex) {
            // unreachable for now: contact() keeps the time of the last answer
        } catch (InterruptedException ex) {
            Thread.currentThread().interrupt();
        }
    }

    /** Makes a Kafka client, turning a bad setting (e.g. an unresolvable host) into one clear line. */
    private static <T> T createClient(String what, KafkaLogSettings settings, Supplier<T> create) {
        try {
            return create.get();
        } catch (KafkaException ex) {
            Throwable cause = ex.getCause() != null ? ex.getCause() : ex;
            throw new KafkaLogException(
                    "cannot create the Kafka " + what + " for " + settings.bootstrapServers() + ": "
                            + cause.getMessage(),
                    ex);
        }
    }
}
