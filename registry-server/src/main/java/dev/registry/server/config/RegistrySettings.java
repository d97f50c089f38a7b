package dev.registry.server.config;

import dev.registry.api.Durations;
import dev.registry.cli.Defaults;
import dev.registry.cli.OnOffConverter;
import dev.registry.cli.SizeConverter;
import dev.registry.events.log.RollPeriod;
import dev.registry.server.write.SyncPolicy;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Everything a registry server is started with.
 *
 * @param host             address to bind
 * @param port             port to listen on; 0 picks a free one
 * @param dataDir          directory of the event log
 * @param heartbeatTtl     how long a heartbeat keeps a record healthy
 * @param staleAfter       how long without a heartbeat before a record is evicted
 * @param checkInterval    time between rounds of active health checks
 * @param checkTimeout     time one active check may take
 * @param checksEnabled    whether the periodic rounds of active checks run
 * @param checkConcurrency most active checks in flight at once
 * @param maxBodyBytes     largest accepted request body
 * @param snapshotEvery    write a snapshot after this many events (0: not by count)
 * @param snapshotInterval write a snapshot when this much time passed since the last (0: not by time)
 * @param token            shared secret writes must show as a bearer token, or {@code null}
 * @param tokenForReads    whether reads need the token too
 * @param sync             when writes are forced to disk before they are acknowledged
 * @param maxRecords       most records the registry holds; registering a new name beyond is a 413
 * @param tlsKeystore      PKCS#12 keystore for HTTPS, or {@code null} for plain HTTP
 * @param tlsPassword      the keystore's password
 * @param minFreeSpace     fewest free bytes on the data directory's disk to keep taking writes
 * @param bodyTimeout      longest a request body may take to arrive
 * @param roll             how often the log starts a new file (for a new log; an existing one keeps its own)
 * @param retention        roll files older than this are deleted once a snapshot covers them (0: kept forever)
 * @param repair           cut a damaged log back to its last good event before starting
 * @param limits           how much a registration or update may carry
 * @param kafka            the Kafka log this node shares with others, or {@code null} for the
 *                         embedded Chronicle log in {@code dataDir}
 * @param accessLog        log one line per request
 * @param maxConnections   most connections served at once; {@link #AUTO_CONNECTIONS}: from the
 *                         process's file descriptor limit at start
 * @param idleTimeout      a connection without a request under way for this long is closed, and a
 *                         request's headers must arrive within this of its request line
 * @param maxHeavyReads    most heavy reads (time travel, diffs, big lists) at once; up to 16 more
 *                         per turn wait briefly, the rest get a 503 ({@code 0} given: one per core)
 */
public record RegistrySettings(
        String host,
        int port,
        Path dataDir,
        Duration heartbeatTtl,
        Duration staleAfter,
        Duration checkInterval,
        Duration checkTimeout,
        boolean checksEnabled,
        int checkConcurrency,
        long maxBodyBytes,
        long snapshotEvery,
        Duration snapshotInterval,
        String token,
        boolean tokenForReads,
        SyncPolicy sync,
        int maxRecords,
        Path tlsKeystore,
        String tlsPassword,
        long minFreeSpace,
        Duration bodyTimeout,
        RollPeriod roll,
        Duration retention,
        boolean repair,
        RequestLimits limits,
        KafkaSettings kafka,
        boolean accessLog,
        int maxConnections,
        Duration idleTimeout,
        int maxHeavyReads) {

    public static final int DEFAULT_PORT = Integer.parseInt(Defaults.PORT);
    public static final Duration DEFAULT_HEARTBEAT_TTL = Durations.parse(Defaults.HEARTBEAT_TTL);
    public static final Duration DEFAULT_STALE_AFTER = Durations.parse(Defaults.STALE_AFTER);
    public static final Duration DEFAULT_CHECK_INTERVAL = Durations.parse(Defaults.CHECK_INTERVAL);
    public static final Duration DEFAULT_CHECK_TIMEOUT = Durations.parse(Defaults.CHECK_TIMEOUT);
    public static final int DEFAULT_CHECK_CONCURRENCY = Integer.parseInt(Defaults.CHECK_CONCURRENCY);
    public static final long DEFAULT_MAX_BODY_BYTES = SizeConverter.parse(Defaults.MAX_BODY);
    public static final long DEFAULT_SNAPSHOT_EVERY = Long.parseLong(Defaults.SNAPSHOT_EVERY);
    public static final int DEFAULT_MAX_RECORDS = Integer.parseInt(Defaults.MAX_RECORDS);
    public static final long DEFAULT_MIN_FREE_SPACE = SizeConverter.parse(Defaults.MIN_FREE_SPACE);
    public static final Duration DEFAULT_SNAPSHOT_INTERVAL = Durations.parse(Defaults.SNAPSHOT_INTERVAL);
    public static final Duration DEFAULT_BODY_TIMEOUT = Durations.parse(Defaults.BODY_TIMEOUT);
    public static final Duration DEFAULT_RETENTION = Durations.parse(Defaults.RETENTION);
    public static final Duration DEFAULT_IDLE_TIMEOUT = Durations.parse(Defaults.IDLE_TIMEOUT);

    /** {@code maxConnections} for {@code --max-connections auto}. */
    public static final int AUTO_CONNECTIONS = 0;

    public static final int DEFAULT_MAX_HEAVY_READS = Integer.parseInt(Defaults.MAX_HEAVY_READS);

    public RegistrySettings {
        if (port < 0 || port > 65_535) {
            throw new IllegalArgumentException("--port must be between 0 and 65535 (0: any free port), not " + port);
        }
        requirePositive(heartbeatTtl, "heartbeat TTL");
        requirePositive(staleAfter, "stale period");
        requirePositive(checkInterval, "check interval");
        requirePositive(checkTimeout, "check timeout");
        requirePositive(bodyTimeout, "body timeout");
        requirePositive(idleTimeout, "idle timeout");
        if (maxConnections < 0) {
            throw new IllegalArgumentException("--max-connections must be auto or at least 1, not " + maxConnections);
        }
        if (retention.isNegative()) {
            throw new IllegalArgumentException("the retention must not be negative");
        }
        if (checkConcurrency < 1) {
            throw new IllegalArgumentException("check concurrency must be at least 1");
        }
        if (maxBodyBytes < 1) {
            throw new IllegalArgumentException("the body limit must be at least 1 byte");
        }
        if (maxRecords < 1) {
            throw new IllegalArgumentException("the record limit must be at least 1");
        }
        if (maxHeavyReads < 0) {
            throw new IllegalArgumentException("--max-heavy-reads must be at least 1 (0: one per core)");
        }
        if (maxHeavyReads == 0) {
            maxHeavyReads = Runtime.getRuntime().availableProcessors();
        }
        if (token != null && token.isBlank()) {
            throw new IllegalArgumentException("the token must not be empty");
        }
        if (snapshotEvery < 0 || snapshotInterval.isNegative()) {
            throw new IllegalArgumentException("snapshot settings must not be negative");
        }
    }

    /** {@code --max-connections}: {@code auto} or a count of at least 1. */
    public static int parseMaxConnections(String text) {
        if (text.trim().equalsIgnoreCase("auto")) {
            return AUTO_CONNECTIONS;
        }
        try {
            int n = Integer.parseInt(text.trim());
            if (n >= 1) {
                return n;
            }
        } catch (NumberFormatException ex) {
            // the message below says what is expected
        }
        throw new IllegalArgumentException(
                "--max-connections must be auto or a count of at least 1, not '" + text + "'");
    }

    /** Every default, with the given data directory and port. */
    public static RegistrySettings defaults(Path dataDir, int port) {
        return builder(dataDir).port(port).build();
    }

    /** A builder holding every default, for the data directory {@code dataDir}. */
    public static Builder builder(Path dataDir) {
        return new Builder(dataDir);
    }

    /** A builder holding these settings. */
    public Builder toBuilder() {
        Builder b = new Builder(dataDir);
        b.host = host;
        b.port = port;
        b.heartbeatTtl = heartbeatTtl;
        b.staleAfter = staleAfter;
        b.checkInterval = checkInterval;
        b.checkTimeout = checkTimeout;
        b.checksEnabled = checksEnabled;
        b.checkConcurrency = checkConcurrency;
        b.maxBodyBytes = maxBodyBytes;
        b.snapshotEvery = snapshotEvery;
        b.snapshotInterval = snapshotInterval;
        b.token = token;
        b.tokenForReads = tokenForReads;
        b.sync = sync;
        b.maxRecords = maxRecords;
        b.tlsKeystore = tlsKeystore;
        b.tlsPassword = tlsPassword;
        b.minFreeSpace = minFreeSpace;
        b.bodyTimeout = bodyTimeout;
        b.roll = roll;
        b.retention = retention;
        b.repair = repair;
        b.limits = limits;
        b.maxHeavyReads = maxHeavyReads;
        b.kafka = kafka;
        b.accessLog = accessLog;
        b.maxConnections = maxConnections;
        b.idleTimeout = idleTimeout;
        return b;
    }

    public RegistrySettings withHost(String newHost) {
        return toBuilder().host(newHost).build();
    }

    public RegistrySettings withLifetimes(Duration ttl, Duration stale) {
        return toBuilder().heartbeatTtl(ttl).staleAfter(stale).build();
    }

    public RegistrySettings withChecks(boolean enabled, Duration interval, Duration timeout) {
        return toBuilder()
                .checksEnabled(enabled)
                .checkInterval(interval)
                .checkTimeout(timeout)
                .build();
    }

    public RegistrySettings withSnapshots(long every, Duration interval) {
        return toBuilder().snapshotEvery(every).snapshotInterval(interval).build();
    }

    public RegistrySettings withToken(String secret, boolean forReads) {
        return toBuilder().token(secret).tokenForReads(forReads).build();
    }

    public RegistrySettings withMaxRecords(int limit) {
        return toBuilder().maxRecords(limit).build();
    }

    public RegistrySettings withTls(Path keystore, String password) {
        return toBuilder().tlsKeystore(keystore).tlsPassword(password).build();
    }

    public RegistrySettings withMinFreeSpace(long bytes) {
        return toBuilder().minFreeSpace(bytes).build();
    }

    public RegistrySettings withSync(SyncPolicy policy) {
        return toBuilder().sync(policy).build();
    }

    public RegistrySettings withRepair(boolean on) {
        return toBuilder().repair(on).build();
    }

    /** Settings one at a time; starts from every default. */
    public static final class Builder {
        private final Path dataDir;
        private String host = Defaults.HOST;
        private int port = DEFAULT_PORT;
        private Duration heartbeatTtl = DEFAULT_HEARTBEAT_TTL;
        private Duration staleAfter = DEFAULT_STALE_AFTER;
        private Duration checkInterval = DEFAULT_CHECK_INTERVAL;
        private Duration checkTimeout = DEFAULT_CHECK_TIMEOUT;
        private boolean checksEnabled = new OnOffConverter().convert(Defaults.CHECKS);
        private int checkConcurrency = DEFAULT_CHECK_CONCURRENCY;
        private long maxBodyBytes = DEFAULT_MAX_BODY_BYTES;
        private long snapshotEvery = DEFAULT_SNAPSHOT_EVERY;
        private Duration snapshotInterval = DEFAULT_SNAPSHOT_INTERVAL;
        private String token;
        private boolean tokenForReads = Boolean.parseBoolean(Defaults.TOKEN_READS);
        private SyncPolicy sync = SyncPolicy.parse(Defaults.FSYNC);
        private int maxRecords = DEFAULT_MAX_RECORDS;
        private Path tlsKeystore;
        private String tlsPassword;
        private long minFreeSpace = DEFAULT_MIN_FREE_SPACE;
        private Duration bodyTimeout = DEFAULT_BODY_TIMEOUT;
        private RollPeriod roll = RollPeriod.parse(Defaults.ROLL);
        private Duration retention = DEFAULT_RETENTION;
        private boolean repair;
        private RequestLimits limits = RequestLimits.DEFAULTS;
        private KafkaSettings kafka;
        private boolean accessLog = Boolean.parseBoolean(Defaults.ACCESS_LOG);
        private int maxConnections = parseMaxConnections(Defaults.MAX_CONNECTIONS);
        private Duration idleTimeout = DEFAULT_IDLE_TIMEOUT;
        private int maxHeavyReads = DEFAULT_MAX_HEAVY_READS;

        private Builder(Path dataDir) {
            this.dataDir = dataDir;
        }

        public Builder host(String v) {
            host = v;
            return this;
        }

        public Builder port(int v) {
            port = v;
            return this;
        }

        public Builder heartbeatTtl(Duration v) {
            heartbeatTtl = v;
            return this;
        }

        public Builder staleAfter(Duration v) {
            staleAfter = v;
            return this;
        }

        public Builder checkInterval(Duration v) {
            checkInterval = v;
            return this;
        }

        public Builder checkTimeout(Duration v) {
            checkTimeout = v;
            return this;
        }

        public Builder checksEnabled(boolean v) {
            checksEnabled = v;
            return this;
        }

        public Builder checkConcurrency(int v) {
            checkConcurrency = v;
            return this;
        }

        public Builder maxBodyBytes(long v) {
            maxBodyBytes = v;
            return this;
        }

        public Builder snapshotEvery(long v) {
            snapshotEvery = v;
            return this;
        }

        public Builder snapshotInterval(Duration v) {
            snapshotInterval = v;
            return this;
        }

        public Builder token(String v) {
            token = v;
            return this;
        }

        public Builder tokenForReads(boolean v) {
            tokenForReads = v;
            return this;
        }

        public Builder sync(SyncPolicy v) {
            sync = v;
            return this;
        }

        public Builder maxRecords(int v) {
            maxRecords = v;
            return this;
        }

        public Builder tlsKeystore(Path v) {
            tlsKeystore = v;
            return this;
        }

        public Builder tlsPassword(String v) {
            tlsPassword = v;
            return this;
        }

        public Builder minFreeSpace(long v) {
            minFreeSpace = v;
            return this;
        }

        public Builder bodyTimeout(Duration v) {
            bodyTimeout = v;
            return this;
        }

        public Builder roll(RollPeriod v) {
            roll = v;
            return this;
        }

        public Builder retention(Duration v) {
            retention = v;
            return this;
        }

        public Builder repair(boolean v) {
            repair = v;
            return this;
        }

        public Builder limits(RequestLimits v) {
            limits = v;
            return this;
        }

        public Builder kafka(KafkaSettings v) {
            kafka = v;
            return this;
        }

        public Builder accessLog(boolean v) {
            accessLog = v;
            return this;
        }

        /** @param v most connections at once, or {@link #AUTO_CONNECTIONS} */
        public Builder maxConnections(int v) {
            maxConnections = v;
            return this;
        }

        public Builder idleTimeout(Duration v) {
            idleTimeout = v;
            return this;
        }

        /** @param v most heavy reads at once; 0: one per core */
        public Builder maxHeavyReads(int v) {
            maxHeavyReads = v;
            return this;
        }

        /** @throws IllegalArgumentException for settings that make no sense together or alone */
        public RegistrySettings build() {
            return new RegistrySettings(
                    host,
                    port,
                    dataDir,
                    heartbeatTtl,
                    staleAfter,
                    checkInterval,
                    checkTimeout,
                    checksEnabled,
                    checkConcurrency,
                    maxBodyBytes,
                    snapshotEvery,
                    snapshotInterval,
                    token,
                    tokenForReads,
                    sync,
                    maxRecords,
                    tlsKeystore,
                    tlsPassword,
                    minFreeSpace,
                    bodyTimeout,
                    roll,
                    retention,
                    repair,
                    limits,
                    kafka,
                    accessLog,
                    maxConnections,
                    idleTimeout,
                    maxHeavyReads);
        }
    }

    /** The settings as text, for the registry-started event (never the token itself). */
    public Map<String, String> describe() {
        Map<String, String> m = new LinkedHashMap<>();
        m.put("host", host);
        m.put("port", Integer.toString(port));
        m.put("data_dir", dataDir.toAbsolutePath().normalize().toString());
        m.put("heartbeat_ttl", heartbeatTtl.toString());
        m.put("stale_after", staleAfter.toString());
        m.put("check_interval", checkInterval.toString());
        m.put("check_timeout", checkTimeout.toString());
        m.put("checks", checksEnabled ? "on" : "off");
        m.put("check_concurrency", Integer.toString(checkConcurrency));
        m.put("max_body_bytes", Long.toString(maxBodyBytes));
        m.put("snapshot_every", Long.toString(snapshotEvery));
        m.put("snapshot_interval", snapshotInterval.toString());
        m.put("max_records", Integer.toString(maxRecords));
        m.put("max_name_length", Integer.toString(limits.maxNameLength()));
        m.put("max_metadata_bytes", Long.toString(limits.maxMetadataBytes()));
        m.put("max_depth", Integer.toString(limits.maxDepth()));
        m.put("min_free_space", Long.toString(minFreeSpace));
        m.put("body_timeout", bodyTimeout.toString());
        m.put("roll", roll.name().toLowerCase(java.util.Locale.ROOT));
        m.put("retention", retention.toString());
        m.put("tls", tlsKeystore == null ? "off" : "on");
        m.put("fsync", sync.name().toLowerCase(java.util.Locale.ROOT));
        m.put("access_log", accessLog ? "on" : "off");
        m.put("max_connections", maxConnections == AUTO_CONNECTIONS ? "auto" : Integer.toString(maxConnections));
        m.put("idle_timeout", idleTimeout.toString());
        m.put("auth", token == null ? "none" : tokenForReads ? "token for reads and writes" : "token for writes");
        m.put("log", kafka == null ? "chronicle" : "kafka");
        if (kafka != null) {
            m.put("kafka_bootstrap", kafka.bootstrap());
            m.put("kafka_topic", kafka.topic());
            m.put("node_id", kafka.nodeId());
        }
        return m;
    }

    private static void requirePositive(Duration d, String what) {
        if (d.isNegative() || d.isZero()) {
            throw new IllegalArgumentException("the " + what + " must be positive");
        }
    }
}
