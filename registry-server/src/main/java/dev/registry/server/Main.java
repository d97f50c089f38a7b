package dev.registry.server;

import dev.registry.cli.Defaults;
import dev.registry.cli.DurationConverter;
import dev.registry.cli.OnOffConverter;
import dev.registry.cli.ShortUsageErrors;
import dev.registry.cli.SizeConverter;
import dev.registry.events.log.ChronicleQueues;
import dev.registry.events.log.RollPeriod;
import dev.registry.events.log.UnsafeMemoryAccess;
import dev.registry.kafka.KafkaClientProperties;
import dev.registry.server.config.KafkaSettings;
import dev.registry.server.config.LogKind;
import dev.registry.server.config.RegistrySettings;
import dev.registry.server.config.RequestLimits;
import dev.registry.server.connections.ListenerWatch;
import dev.registry.server.logging.ServerLogging;
import dev.registry.server.write.SyncPolicy;
import java.io.IOException;
import java.net.InetAddress;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** Command line of the registry server. Every option can also come from an environment variable. */
@Command(
        name = "registry-server",
        mixinStandardHelpOptions = true,
        versionProvider = Main.Version.class,
        description = "Event-sourced service registry: the fleet's HTTP API on a durable event log.",
        sortOptions = false)
public final class Main implements Callable<Integer> {

    @Option(
            names = "--port",
            defaultValue = "${env:REGISTRY_PORT:-" + Defaults.PORT + "}",
            description = "Port to listen on (env REGISTRY_PORT; default ${DEFAULT-VALUE}).")
    int port;

    @Option(
            names = "--host",
            defaultValue = "${env:REGISTRY_HOST:-" + Defaults.HOST + "}",
            description = "Address to bind (env REGISTRY_HOST; default ${DEFAULT-VALUE}).")
    String host;

    @Option(
            names = "--data-dir",
            defaultValue = "${env:REGISTRY_DATA_DIR:-" + Defaults.DATA_DIR + "}",
            description =
                    "Directory of the event log, created if missing (env REGISTRY_DATA_DIR; default ${DEFAULT-VALUE}).")
    Path dataDir;

    @Option(
            names = "--heartbeat-ttl",
            defaultValue = "${env:REGISTRY_HEARTBEAT_TTL:-" + Defaults.HEARTBEAT_TTL + "}",
            converter = DurationConverter.class,
            description =
                    "A record is healthy while its last heartbeat is younger than this (env REGISTRY_HEARTBEAT_TTL; default ${DEFAULT-VALUE}).")
    Duration heartbeatTtl;

    @Option(
            names = "--stale-after",
            defaultValue = "${env:REGISTRY_STALE_AFTER:-" + Defaults.STALE_AFTER + "}",
            converter = DurationConverter.class,
            description =
                    "A record without a heartbeat for longer than this is evicted; never within this long after a start (env REGISTRY_STALE_AFTER; default ${DEFAULT-VALUE}).")
    Duration staleAfter;

    @Option(
            names = "--check-interval",
            defaultValue = "${env:REGISTRY_CHECK_INTERVAL:-" + Defaults.CHECK_INTERVAL + "}",
            converter = DurationConverter.class,
            description =
                    "Time between rounds of active health checks (env REGISTRY_CHECK_INTERVAL; default ${DEFAULT-VALUE}).")
    Duration checkInterval;

    @Option(
            names = "--check-timeout",
            defaultValue = "${env:REGISTRY_CHECK_TIMEOUT:-" + Defaults.CHECK_TIMEOUT + "}",
            converter = DurationConverter.class,
            description =
                    "Time one active health check may take (env REGISTRY_CHECK_TIMEOUT; default ${DEFAULT-VALUE}).")
    Duration checkTimeout;

    @Option(
            names = "--checks",
            arity = "1",
            defaultValue = "${env:REGISTRY_CHECKS:-" + Defaults.CHECKS + "}",
            converter = OnOffConverter.class,
            description =
                    "on or off: run periodic active health checks (env REGISTRY_CHECKS; default ${DEFAULT-VALUE}).")
    boolean checks;

    @Option(
            names = "--check-concurrency",
            defaultValue = "${env:REGISTRY_CHECK_CONCURRENCY:-" + Defaults.CHECK_CONCURRENCY + "}",
            description =
                    "Most active checks in flight at once (env REGISTRY_CHECK_CONCURRENCY; default ${DEFAULT-VALUE}).")
    int checkConcurrency;

    @Option(
            names = "--snapshot-every",
            defaultValue = "${env:REGISTRY_SNAPSHOT_EVERY:-" + Defaults.SNAPSHOT_EVERY + "}",
            description =
                    "Write a snapshot of the view after this many events; 0: not by count (env REGISTRY_SNAPSHOT_EVERY; default ${DEFAULT-VALUE}).")
    long snapshotEvery;

    @Option(
            names = "--snapshot-interval",
            defaultValue = "${env:REGISTRY_SNAPSHOT_INTERVAL:-" + Defaults.SNAPSHOT_INTERVAL + "}",
            converter = DurationConverter.class,
            description =
                    "Write a snapshot when this much time passed since the last and events came in; 0s: not by time (env REGISTRY_SNAPSHOT_INTERVAL; default ${DEFAULT-VALUE}).")
    Duration snapshotInterval;

    @Option(
            names = "--fsync",
            defaultValue = "${env:REGISTRY_FSYNC:-" + Defaults.FSYNC + "}",
            paramLabel = "none|batch|always",
            description =
                    "Force writes to disk before acknowledging them: none (survives a process crash), batch "
                            + "(group commit, survives power loss), always (one fsync per write) (env REGISTRY_FSYNC; default ${DEFAULT-VALUE}).")
    SyncPolicy fsync;

    @Option(
            names = "--token",
            defaultValue = "${env:REGISTRY_TOKEN}",
            description = "Writes need 'Authorization: Bearer TOKEN' (env REGISTRY_TOKEN; default: none).")
    String token;

    @Option(
            names = "--token-file",
            defaultValue = "${env:REGISTRY_TOKEN_FILE}",
            description = "Read the token from this file instead (env REGISTRY_TOKEN_FILE).")
    Path tokenFile;

    @Option(
            names = "--token-reads",
            defaultValue = "${env:REGISTRY_TOKEN_READS:-" + Defaults.TOKEN_READS + "}",
            arity = "0..1",
            description = "Reads need the token too (env REGISTRY_TOKEN_READS); GET /health stays open.")
    boolean tokenReads;

    @Option(
            names = "--max-records",
            defaultValue = "${env:REGISTRY_MAX_RECORDS:-" + Defaults.MAX_RECORDS + "}",
            description =
                    "Most records held; registering a new name beyond gets 413 (env REGISTRY_MAX_RECORDS; default ${DEFAULT-VALUE}).")
    int maxRecords;

    @Option(
            names = "--max-heavy-reads",
            defaultValue = "${env:REGISTRY_MAX_HEAVY_READS:-" + Defaults.MAX_HEAVY_READS + "}",
            description =
                    "Most heavy reads at once (time travel, diffs, long histories and event pages, lists over 10,000 records); up to 16 more per turn wait up to 1 s, the rest get 503 with Retry-After (env REGISTRY_MAX_HEAVY_READS; default ${DEFAULT-VALUE}: one per core).")
    int maxHeavyReads;

    @Option(
            names = "--tls-keystore",
            defaultValue = "${env:REGISTRY_TLS_KEYSTORE}",
            description =
                    "Serve HTTPS with the key and certificate chain in this PKCS#12 keystore (env REGISTRY_TLS_KEYSTORE).")
    Path tlsKeystore;

    @Option(
            names = "--tls-keystore-password",
            defaultValue = "${env:REGISTRY_TLS_KEYSTORE_PASSWORD:-}",
            description = "The keystore's password (env REGISTRY_TLS_KEYSTORE_PASSWORD).")
    String tlsPassword;

    @Option(
            names = "--min-free-space",
            defaultValue = "${env:REGISTRY_MIN_FREE_SPACE:-" + Defaults.MIN_FREE_SPACE + "}",
            converter = SizeConverter.class,
            description =
                    "Refuse writes (503) while the data directory's disk has less free space (env REGISTRY_MIN_FREE_SPACE; default ${DEFAULT-VALUE}).")
    long minFreeSpace;

    @Option(
            names = "--max-body",
            defaultValue = "${env:REGISTRY_MAX_BODY:-" + Defaults.MAX_BODY + "}",
            converter = SizeConverter.class,
            description =
                    "Largest request body; larger ones get 413 (env REGISTRY_MAX_BODY; default ${DEFAULT-VALUE}).")
    long maxBody;

    @Option(
            names = "--body-timeout",
            defaultValue = "${env:REGISTRY_BODY_TIMEOUT:-" + Defaults.BODY_TIMEOUT + "}",
            converter = DurationConverter.class,
            description =
                    "A request body must arrive within this; a stalled one has its connection closed (env REGISTRY_BODY_TIMEOUT; default ${DEFAULT-VALUE}).")
    Duration bodyTimeout;

    @Option(
            names = "--max-connections",
            defaultValue = "${env:REGISTRY_MAX_CONNECTIONS:-" + Defaults.MAX_CONNECTIONS + "}",
            paramLabel = "auto|N",
            description = "Most connections served at once; more are answered 503 and closed. auto: half the file "
                    + "descriptors free at start (env REGISTRY_MAX_CONNECTIONS; default ${DEFAULT-VALUE}).")
    String maxConnections;

    @Option(
            names = "--idle-timeout",
            defaultValue = "${env:REGISTRY_IDLE_TIMEOUT:-" + Defaults.IDLE_TIMEOUT + "}",
            converter = DurationConverter.class,
            description =
                    "A connection with no request under way for this long is closed, and request headers must arrive "
                            + "within this of their request line (env REGISTRY_IDLE_TIMEOUT; default ${DEFAULT-VALUE}).")
    Duration idleTimeout;

    @Option(
            names = "--roll",
            defaultValue = "${env:REGISTRY_ROLL:-" + Defaults.ROLL + "}",
            paramLabel = "hourly|daily",
            description =
                    "How often a new log file starts; set when the log is created (env REGISTRY_ROLL; default ${DEFAULT-VALUE}).")
    RollPeriod roll;

    @Option(
            names = "--retention",
            defaultValue = "${env:REGISTRY_RETENTION:-" + Defaults.RETENTION + "}",
            converter = DurationConverter.class,
            description =
                    "Delete log files older than this once a snapshot covers them; 0d keeps all (env REGISTRY_RETENTION; default ${DEFAULT-VALUE}).")
    Duration retention;

    @Option(
            names = "--max-name-length",
            defaultValue = "${env:REGISTRY_MAX_NAME_LENGTH:-" + Defaults.MAX_NAME_LENGTH + "}",
            description =
                    "Longest service name, in characters; longer gets 400 (env REGISTRY_MAX_NAME_LENGTH; default ${DEFAULT-VALUE}).")
    int maxNameLength;

    @Option(
            names = "--max-metadata",
            defaultValue = "${env:REGISTRY_MAX_METADATA:-" + Defaults.MAX_METADATA + "}",
            converter = SizeConverter.class,
            description =
                    "Largest metadata object, as compact JSON; larger gets 413 (env REGISTRY_MAX_METADATA; default ${DEFAULT-VALUE}).")
    long maxMetadata;

    @Option(
            names = "--max-depth",
            defaultValue = "${env:REGISTRY_MAX_DEPTH:-" + Defaults.MAX_DEPTH + "}",
            description =
                    "Deepest nesting of objects and arrays in a body, at most 1000; deeper gets 400 (env REGISTRY_MAX_DEPTH; default ${DEFAULT-VALUE}).")
    int maxDepth;

    @Option(
            names = "--log",
            defaultValue = "${env:REGISTRY_LOG:-" + Defaults.LOG + "}",
            paramLabel = "chronicle|kafka",
            description =
                    "The log: chronicle (embedded, in --data-dir) or kafka (a topic several registry nodes share) "
                            + "(env REGISTRY_LOG; default ${DEFAULT-VALUE}).")
    LogKind log;

    @Option(
            names = "--kafka-bootstrap",
            defaultValue = "${env:REGISTRY_KAFKA_BOOTSTRAP}",
            paramLabel = "HOST:PORT[,...]",
            description = "Kafka brokers to start from, with --log kafka (env REGISTRY_KAFKA_BOOTSTRAP).")
    String kafkaBootstrap;

    @Option(
            names = "--kafka-topic",
            defaultValue = "${env:REGISTRY_KAFKA_TOPIC:-" + Defaults.KAFKA_TOPIC + "}",
            description =
                    "The topic of the log, one partition, created if missing (env REGISTRY_KAFKA_TOPIC; default ${DEFAULT-VALUE}).")
    String kafkaTopic;

    @Option(
            names = "--node-id",
            defaultValue = "${env:REGISTRY_NODE_ID}",
            description = "This node's name in the log (env REGISTRY_NODE_ID; default: host name and port).")
    String nodeId;

    @Option(
            names = "--kafka-property",
            paramLabel = "KEY=VALUE",
            description = "Any other Kafka client setting (TLS, SASL, ...); repeatable, over --kafka-config "
                    + "(env REGISTRY_KAFKA_PROPERTIES: KEY=VALUE,KEY=VALUE).")
    List<String> kafkaProperties = new ArrayList<>();

    @Option(
            names = "--kafka-config",
            defaultValue = "${env:REGISTRY_KAFKA_CONFIG}",
            paramLabel = "FILE",
            description = "Kafka client settings from a properties file (env REGISTRY_KAFKA_CONFIG).")
    Path kafkaConfig;

    @Option(
            names = "--bootstrap-from",
            defaultValue = "${env:REGISTRY_BOOTSTRAP_FROM}",
            paramLabel = "URL",
            description =
                    "With --log kafka: when Kafka no longer holds the topic's beginning, load the newest snapshot "
                            + "of this running node first (env REGISTRY_BOOTSTRAP_FROM).")
    URI bootstrapFrom;

    @Option(
            names = "--access-log",
            defaultValue = "${env:REGISTRY_ACCESS_LOG:-" + Defaults.ACCESS_LOG + "}",
            arity = "0..1",
            description =
                    "Log one line per request: method, path, status, duration, bytes (env REGISTRY_ACCESS_LOG; default ${DEFAULT-VALUE}).")
    boolean accessLog;

    @Option(
            names = "--log-format",
            defaultValue = "${env:REGISTRY_LOG_FORMAT:-" + Defaults.LOG_FORMAT + "}",
            paramLabel = "text|json",
            description =
                    "text: one line of text per entry; json: one JSON object per line (env REGISTRY_LOG_FORMAT; default ${DEFAULT-VALUE}).")
    ServerLogging.Format logFormat;

    @Option(
            names = "--repair",
            description = "If a start would refuse (a damaged or missing log file, a checksum mismatch, lost events), "
                    + "keep the newest whole state, move the rest into DATA_DIR/damaged-<time>/ with a report, and "
                    + "start; without it such a log stops the start.")
    boolean repair;

    public static void main(String[] args) {
        ServerLogging.configure();
        UnsafeMemoryAccess.quietWarning();
        if (Boolean.getBoolean(StartupTraining.PROPERTY)) {
            // from the jar as a server runs (its manifest opens what Chronicle needs): see StartupTraining
            System.exit(StartupTraining.run());
        }
        System.exit(commandLine().execute(args));
    }

    /** The command line, answering a bad option with one line and a pointer to --help (not the whole usage). */
    static CommandLine commandLine() {
        CommandLine cli = new CommandLine(new Main());
        cli.setParameterExceptionHandler(new ShortUsageErrors());
        cli.setCaseInsensitiveEnumValuesAllowed(true); // --fsync none, --roll hourly
        return cli;
    }

    @Override
    public Integer call() throws InterruptedException, IOException {
        if (token != null && tokenFile != null) {
            System.err.println("registry-server: give --token or --token-file, not both");
            return 2;
        }
        String secret = tokenFile != null ? Files.readString(tokenFile).trim() : token;
        ServerLogging.use(logFormat);
        // beside the settings' checks; Chronicle's msync is bound only for a log forced to disk
        ChronicleQueues.setUpInBackground(fsync != SyncPolicy.NONE);
        RegistrySettings settings;
        try {
            settings = settings(secret);
        } catch (IllegalArgumentException ex) {
            System.err.println("registry-server: " + ex.getMessage());
            return 2;
        }
        ListenerWatch.install(Main::exitForSupervisor);
        RegistryServer server;
        try {
            server = RegistryServer.start(settings, Clock.systemUTC());
        } catch (IllegalStateException | IllegalArgumentException ex) {
            System.err.println("registry-server: " + ex.getMessage());
            return 1;
        }
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime()
                .addShutdownHook(new Thread(
                        () -> {
                            server.close();
                            stopped.countDown();
                        },
                        "registry-shutdown"));
        stopped.await();
        return 0;
    }

    /**
     * The listener stopped by itself: a registry that cannot be reached must not live on holding
     * the data directory's lock, so it exits (the shutdown hook finishes accepted writes) for a
     * supervisor to start it again.
     */
    private static void exitForSupervisor(String cause) {
        System.getLogger(Main.class.getName())
                .log(
                        System.Logger.Level.ERROR,
                        "the HTTP listener stopped (" + cause
                                + "); exiting with status 1 so that a supervisor restarts the registry");
        // not on the listener's thread, which Helidon leaves waiting on itself
        Thread.ofPlatform().name("registry-exit").start(() -> System.exit(1));
    }

    /** The settings the parsed options give, with the token read already. */
    RegistrySettings settings(String secret) {
        return RegistrySettings.builder(dataDir)
                .host(host)
                .port(port)
                .heartbeatTtl(heartbeatTtl)
                .staleAfter(staleAfter)
                .checksEnabled(checks)
                .checkInterval(checkInterval)
                .checkTimeout(checkTimeout)
                .checkConcurrency(checkConcurrency)
                .maxBodyBytes(maxBody)
                .maxRecords(maxRecords)
                .maxHeavyReads(maxHeavyReads)
                .minFreeSpace(minFreeSpace)
                .snapshotEvery(snapshotEvery)
                .snapshotInterval(snapshotInterval)
                .token(secret)
                .tokenForReads(tokenReads)
                .sync(fsync)
                .tlsKeystore(tlsKeystore)
                .tlsPassword(tlsPassword == null || tlsPassword.isEmpty() ? null : tlsPassword)
                .bodyTimeout(bodyTimeout)
                .roll(roll)
                .retention(retention)
                .repair(repair)
                .limits(new RequestLimits(maxNameLength, maxMetadata, maxDepth))
                .accessLog(accessLog)
                .maxConnections(RegistrySettings.parseMaxConnections(maxConnections))
                .idleTimeout(idleTimeout)
                .kafka(log == LogKind.KAFKA ? kafkaSettings() : null)
                .build();
    }

    private KafkaSettings kafkaSettings() {
        List<String> entries = new ArrayList<>();
        String fromEnv = System.getenv("REGISTRY_KAFKA_PROPERTIES");
        if (fromEnv != null && !fromEnv.isBlank()) {
            entries.addAll(List.of(fromEnv.split(",")));
        }
        entries.addAll(kafkaProperties); // the command line wins
        return new KafkaSettings(
                kafkaBootstrap,
                kafkaTopic,
                nodeId != null ? nodeId : defaultNodeId(port),
                KafkaClientProperties.merge(kafkaConfig, entries),
                bootstrapFrom);
    }

    /** This machine's name and the port: unique among nodes, and readable in the log. */
    private static String defaultNodeId(int port) {
        try {
            return InetAddress.getLocalHost().getHostName() + ":" + port;
        } catch (java.io.IOException ex) {
            return "localhost:" + port;
        }
    }

    static final class Version implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            return new String[] {"registry-server " + RegistryServer.version()};
        }
    }
}
