package dev.registry.server;

import dev.registry.events.log.RollPeriod;
import dev.registry.server.config.DurationConverter;
import dev.registry.server.services.RequestLimits;
import dev.registry.server.config.OnOffConverter;
import dev.registry.server.config.RegistrySettings;
import dev.registry.server.config.SizeConverter;
import dev.registry.server.write.SyncPolicy;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.logging.LogManager;

/** Command line of the registry server. Every option can also come from an environment variable. */
@Command(name = "registry-server", mixinStandardHelpOptions = true, versionProvider = Main.Version.class,
        description = "Event-sourced service registry: the fleet's HTTP API on a durable event log.",
        sortOptions = false)
public final class Main implements Callable<Integer> {

    @Option(names = "--port", defaultValue = "${env:REGISTRY_PORT:-8901}",
            description = "Port to listen on (env REGISTRY_PORT; default ${DEFAULT-VALUE}).")
    int port;

    @Option(names = "--host", defaultValue = "${env:REGISTRY_HOST:-0.0.0.0}",
            description = "Address to bind (env REGISTRY_HOST; default ${DEFAULT-VALUE}).")
    String host;

    @Option(names = "--data-dir", defaultValue = "${env:REGISTRY_DATA_DIR:-./data}",
            description = "Directory of the event log, created if missing (env REGISTRY_DATA_DIR; default ${DEFAULT-VALUE}).")
    Path dataDir;

    @Option(names = "--heartbeat-ttl", defaultValue = "${env:REGISTRY_HEARTBEAT_TTL:-120s}",
            converter = DurationConverter.class,
            description = "A record is healthy while its last heartbeat is younger than this (env REGISTRY_HEARTBEAT_TTL; default ${DEFAULT-VALUE}).")
    Duration heartbeatTtl;

    @Option(names = "--stale-after", defaultValue = "${env:REGISTRY_STALE_AFTER:-300s}",
            converter = DurationConverter.class,
            description = "A record without a heartbeat for longer than this is evicted; never within this long after a start (env REGISTRY_STALE_AFTER; default ${DEFAULT-VALUE}).")
    Duration staleAfter;

    @Option(names = "--check-interval", defaultValue = "${env:REGISTRY_CHECK_INTERVAL:-30s}",
            converter = DurationConverter.class,
            description = "Time between rounds of active health checks (env REGISTRY_CHECK_INTERVAL; default ${DEFAULT-VALUE}).")
    Duration checkInterval;

    @Option(names = "--check-timeout", defaultValue = "${env:REGISTRY_CHECK_TIMEOUT:-5s}",
            converter = DurationConverter.class,
            description = "Time one active health check may take (env REGISTRY_CHECK_TIMEOUT; default ${DEFAULT-VALUE}).")
    Duration checkTimeout;

    @Option(names = "--checks", arity = "1", defaultValue = "${env:REGISTRY_CHECKS:-on}", converter = OnOffConverter.class,
            description = "on or off: run periodic active health checks (env REGISTRY_CHECKS; default ${DEFAULT-VALUE}).")
    boolean checks;

    @Option(names = "--check-concurrency", defaultValue = "${env:REGISTRY_CHECK_CONCURRENCY:-1024}",
            description = "Most active checks in flight at once (env REGISTRY_CHECK_CONCURRENCY; default ${DEFAULT-VALUE}).")
    int checkConcurrency;

    @Option(names = "--snapshot-every", defaultValue = "${env:REGISTRY_SNAPSHOT_EVERY:-1000000}",
            description = "Write a snapshot of the view after this many events; 0: not by count (env REGISTRY_SNAPSHOT_EVERY; default ${DEFAULT-VALUE}).")
    long snapshotEvery;

    @Option(names = "--snapshot-interval", defaultValue = "${env:REGISTRY_SNAPSHOT_INTERVAL:-10m}",
            converter = DurationConverter.class,
            description = "Write a snapshot when this much time passed since the last and events came in; 0s: not by time (env REGISTRY_SNAPSHOT_INTERVAL; default ${DEFAULT-VALUE}).")
    Duration snapshotInterval;

    @Option(names = "--fsync", defaultValue = "${env:REGISTRY_FSYNC:-none}", paramLabel = "none|batch|always",
            description = "Force writes to disk before acknowledging them: none (survives a process crash), batch "
                    + "(group commit, survives power loss), always (one fsync per write) (env REGISTRY_FSYNC; default ${DEFAULT-VALUE}).")
    String fsync;

    @Option(names = "--token", defaultValue = "${env:REGISTRY_TOKEN}",
            description = "Writes need 'Authorization: Bearer TOKEN' (env REGISTRY_TOKEN; default: none).")
    String token;

    @Option(names = "--token-file", defaultValue = "${env:REGISTRY_TOKEN_FILE}",
            description = "Read the token from this file instead (env REGISTRY_TOKEN_FILE).")
    Path tokenFile;

    @Option(names = "--token-reads", defaultValue = "${env:REGISTRY_TOKEN_READS:-false}", arity = "0..1",
            description = "Reads need the token too (env REGISTRY_TOKEN_READS); GET /health stays open.")
    boolean tokenReads;

    @Option(names = "--max-records", defaultValue = "${env:REGISTRY_MAX_RECORDS:-1000000}",
            description = "Most records held; registering a new name beyond gets 413 (env REGISTRY_MAX_RECORDS; default ${DEFAULT-VALUE}).")
    int maxRecords;

    @Option(names = "--tls-keystore", defaultValue = "${env:REGISTRY_TLS_KEYSTORE}",
            description = "Serve HTTPS with the key and certificate chain in this PKCS#12 keystore (env REGISTRY_TLS_KEYSTORE).")
    Path tlsKeystore;

    @Option(names = "--tls-keystore-password", defaultValue = "${env:REGISTRY_TLS_KEYSTORE_PASSWORD:-}",
            description = "The keystore's password (env REGISTRY_TLS_KEYSTORE_PASSWORD).")
    String tlsPassword;

    @Option(names = "--min-free-space", defaultValue = "${env:REGISTRY_MIN_FREE_SPACE:-256MiB}",
            converter = SizeConverter.class,
            description = "Refuse writes (503) while the data directory's disk has less free space (env REGISTRY_MIN_FREE_SPACE; default ${DEFAULT-VALUE}).")
    long minFreeSpace;

    @Option(names = "--max-body", defaultValue = "${env:REGISTRY_MAX_BODY:-1MiB}",
            converter = SizeConverter.class,
            description = "Largest request body; larger ones get 413 (env REGISTRY_MAX_BODY; default ${DEFAULT-VALUE}).")
    long maxBody;

    @Option(names = "--body-timeout", defaultValue = "${env:REGISTRY_BODY_TIMEOUT:-30s}",
            converter = DurationConverter.class,
            description = "A request body must arrive within this; a stalled one has its connection closed (env REGISTRY_BODY_TIMEOUT; default ${DEFAULT-VALUE}).")
    Duration bodyTimeout;

    @Option(names = "--roll", defaultValue = "${env:REGISTRY_ROLL:-daily}", paramLabel = "hourly|daily",
            description = "How often a new log file starts; set when the log is created (env REGISTRY_ROLL; default ${DEFAULT-VALUE}).")
    String roll;

    @Option(names = "--retention", defaultValue = "${env:REGISTRY_RETENTION:-7d}",
            converter = DurationConverter.class,
            description = "Delete log files older than this once a snapshot covers them; 0d keeps all (env REGISTRY_RETENTION; default ${DEFAULT-VALUE}).")
    Duration retention;

    @Option(names = "--max-name-length", defaultValue = "${env:REGISTRY_MAX_NAME_LENGTH:-253}",
            description = "Longest service name, in characters; longer gets 400 (env REGISTRY_MAX_NAME_LENGTH; default ${DEFAULT-VALUE}).")
    int maxNameLength;

    @Option(names = "--max-metadata", defaultValue = "${env:REGISTRY_MAX_METADATA:-1MiB}",
            converter = SizeConverter.class,
            description = "Largest metadata object, as compact JSON; larger gets 413 (env REGISTRY_MAX_METADATA; default ${DEFAULT-VALUE}).")
    long maxMetadata;

    @Option(names = "--max-depth", defaultValue = "${env:REGISTRY_MAX_DEPTH:-64}",
            description = "Deepest nesting of objects and arrays in a body, at most 1000; deeper gets 400 (env REGISTRY_MAX_DEPTH; default ${DEFAULT-VALUE}).")
    int maxDepth;

    @Option(names = "--repair",
            description = "If a start would refuse (a damaged or missing log file, a checksum mismatch, lost events), "
                    + "keep the newest whole state, move the rest into DATA_DIR/damaged-<time>/ with a report, and "
                    + "start; without it such a log stops the start.")
    boolean repair;

    public static void main(String[] args) {
        configureLogging();
        System.exit(new CommandLine(new Main()).execute(args));
    }

    @Override
    public Integer call() throws InterruptedException, IOException {
        if (token != null && tokenFile != null) {
            System.err.println("registry-server: give --token or --token-file, not both");
            return 2;
        }
        String secret = tokenFile != null ? Files.readString(tokenFile).trim() : token;
        SyncPolicy sync;
        try {
            sync = SyncPolicy.parse(fsync);
        } catch (IllegalArgumentException ex) {
            System.err.println("registry-server: --fsync: " + ex.getMessage());
            return 2;
        }
        RollPeriod rollPeriod;
        try {
            rollPeriod = RollPeriod.parse(roll);
        } catch (IllegalArgumentException ex) {
            System.err.println("registry-server: --roll: " + ex.getMessage());
            return 2;
        }
        RegistrySettings settings;
        try {
            settings = RegistrySettings.builder(dataDir).host(host).port(port)
                    .heartbeatTtl(heartbeatTtl).staleAfter(staleAfter)
                    .checksEnabled(checks).checkInterval(checkInterval).checkTimeout(checkTimeout)
                    .checkConcurrency(checkConcurrency)
                    .maxBodyBytes(maxBody).maxRecords(maxRecords).minFreeSpace(minFreeSpace)
                    .snapshotEvery(snapshotEvery).snapshotInterval(snapshotInterval)
                    .token(secret).tokenForReads(tokenReads).sync(sync)
                    .tlsKeystore(tlsKeystore).tlsPassword(tlsPassword)
                    .bodyTimeout(bodyTimeout).roll(rollPeriod).retention(retention).repair(repair)
                    .limits(new RequestLimits(maxNameLength, maxMetadata, maxDepth))
                    .build();
        } catch (IllegalArgumentException ex) {
            System.err.println("registry-server: " + ex.getMessage());
            return 2;
        }
        RegistryServer server;
        try {
            server = RegistryServer.start(settings, Clock.systemUTC());
        } catch (IllegalStateException | IllegalArgumentException ex) {
            System.err.println("registry-server: " + ex.getMessage());
            return 1;
        }
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            server.close();
            stopped.countDown();
        }, "registry-shutdown"));
        stopped.await();
        return 0;
    }

    /** Our logging defaults, unless the operator gave a logging configuration of their own. */
    private static void configureLogging() {
        if (System.getProperty("java.util.logging.config.file") != null) {
            return;
        }
        try (InputStream in = Main.class.getResourceAsStream("logging.properties")) {
            LogManager.getLogManager().readConfiguration(in);
        } catch (IOException | RuntimeException ex) {
            System.err.println("registry-server: default logging configuration not loaded: " + ex);
        }
    }

    static final class Version implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            return new String[]{"registry-server " + RegistryServer.version()};
        }
    }
}
