package dev.registry.server.testing;

import dev.registry.events.log.ChronicleEventLog;
import dev.registry.events.log.EventReader;
import dev.registry.events.log.LoggedEvent;
import dev.registry.kafka.KafkaEventLog;
import dev.registry.kafka.KafkaLogSettings;
import dev.registry.server.RegistryServer;
import dev.registry.server.config.KafkaSettings;
import dev.registry.server.config.RegistrySettings;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.UnaryOperator;

/** A real registry server in this JVM, on a free port and a log in the given directory. */
public final class TestRegistry implements AutoCloseable {

    private final Path dataDir;
    private final UnaryOperator<RegistrySettings> customize;
    private final Clock clock;
    private final java.util.function.LongSupplier usableDiskBytes;
    private RegistryServer server;
    private RegistrySettings settings;
    private Http http;
    private TopicReader topic;

    public TestRegistry(Path dataDir) {
        this(dataDir, s -> s, Clock.systemUTC());
    }

    public TestRegistry(Path dataDir, UnaryOperator<RegistrySettings> customize, Clock clock) {
        this(dataDir, customize, clock, () -> Long.MAX_VALUE);
    }

    /** @param usableDiskBytes the free disk space the server sees */
    public TestRegistry(
            Path dataDir,
            UnaryOperator<RegistrySettings> customize,
            Clock clock,
            java.util.function.LongSupplier usableDiskBytes) {
        this.dataDir = dataDir;
        this.customize = customize;
        this.clock = clock;
        this.usableDiskBytes = usableDiskBytes;
        start();
    }

    private void start() {
        settings = customize.apply(testDefaults(dataDir));
        server = RegistryServer.start(settings, clock, usableDiskBytes);
        http = new Http(server.port());
    }

    /**
     * Defaults for tests: loopback only, a free port, and no periodic check rounds (tests that
     * want them turn them on), so that no test probes anything it did not set up.
     */
    public static RegistrySettings testDefaults(Path dataDir) {
        return RegistrySettings.defaults(dataDir, 0)
                .withHost("127.0.0.1")
                .withChecks(false, RegistrySettings.DEFAULT_CHECK_INTERVAL, RegistrySettings.DEFAULT_CHECK_TIMEOUT);
    }

    /** Stops the server and starts a new one on the same directory. */
    public void restart() {
        server.close();
        start();
    }

    public Http http() {
        return http;
    }

    public RegistryServer server() {
        return server;
    }

    public Path dataDir() {
        return dataDir;
    }

    /** Every event in the log (the Chronicle log, or the Kafka topic), read by an independent reader. */
    public List<LoggedEvent> logEvents() {
        return settings.kafka() == null ? readLog(dataDir) : readTopic(settings.kafka());
    }

    private List<LoggedEvent> readTopic(KafkaSettings kafka) {
        if (topic == null || !topic.name.equals(kafka.topic())) {
            closeTopic();
            topic = new TopicReader(kafka);
        }
        return topic.readToEnd();
    }

    /**
     * A reader kept open across calls: opening a Kafka consumer costs most of a second, and a
     * contract test reads the topic before and after each request it makes.
     */
    private static final class TopicReader implements AutoCloseable {
        final String name;
        private final KafkaEventLog log;
        private final EventReader reader;
        private final List<LoggedEvent> events = new ArrayList<>();

        TopicReader(KafkaSettings kafka) {
            name = kafka.topic();
            log = KafkaEventLog.openForReading(
                    KafkaLogSettings.of(kafka.bootstrap(), "test-reader").withTopic(name));
            reader = log.reader();
        }

        List<LoggedEvent> readToEnd() {
            long last = log.lastIndex();
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
            while (events.isEmpty() ? last >= 0 : events.getLast().index() < last) {
                if (System.nanoTime() > deadline) {
                    throw new AssertionError("the topic could not be read through offset " + last);
                }
                LoggedEvent e = reader.next();
                if (e != null) {
                    events.add(e);
                }
            }
            return List.copyOf(events);
        }

        @Override
        public void close() {
            reader.close();
            log.close();
        }
    }

    private void closeTopic() {
        if (topic != null) {
            topic.close();
            topic = null;
        }
    }

    public static List<LoggedEvent> readLog(Path dataDir) {
        List<LoggedEvent> events = new ArrayList<>();
        try (ChronicleEventLog log = ChronicleEventLog.openReadOnly(dataDir);
                EventReader reader = log.reader()) {
            for (LoggedEvent e = reader.next(); e != null; e = reader.next()) {
                events.add(e);
            }
        }
        return events;
    }

    @Override
    public void close() {
        closeTopic();
        server.close();
    }
}
