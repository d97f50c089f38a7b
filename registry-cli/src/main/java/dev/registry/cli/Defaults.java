package dev.registry.cli;

/**
 * Every option's default, once, as an operator writes it: the command lines' declarations show
 * and parse these, and the server's settings start from them, so the two cannot disagree.
 */
public final class Defaults {

    public static final String PORT = "8901";
    public static final String HOST = "0.0.0.0";
    public static final String DATA_DIR = "./data";
    public static final String HEARTBEAT_TTL = "120s";
    public static final String STALE_AFTER = "300s";
    public static final String CHECK_INTERVAL = "30s";
    public static final String CHECK_TIMEOUT = "5s";
    public static final String CHECKS = "on";
    public static final String CHECK_CONCURRENCY = "1024";
    public static final String SNAPSHOT_EVERY = "1000000";
    public static final String SNAPSHOT_INTERVAL = "10m";
    public static final String FSYNC = "none";
    public static final String TOKEN_READS = "false";
    public static final String MAX_RECORDS = "1000000";
    /** {@code 0}: one per core of the machine. */
    public static final String MAX_HEAVY_READS = "0";

    public static final String MIN_FREE_SPACE = "256MiB";
    public static final String MAX_BODY = "1MiB";
    public static final String BODY_TIMEOUT = "30s";
    /** {@code auto}: half the file descriptors the process has free at start. */
    public static final String MAX_CONNECTIONS = "auto";

    public static final String IDLE_TIMEOUT = "60s";
    public static final String ROLL = "daily";
    public static final String RETENTION = "7d";
    public static final String MAX_NAME_LENGTH = "253";
    public static final String MAX_METADATA = "1MiB";
    public static final String MAX_DEPTH = "64";
    public static final String LOG = "chronicle";
    public static final String KAFKA_TOPIC = "registry-events";
    public static final String ACCESS_LOG = "false";
    public static final String LOG_FORMAT = "text";

    private Defaults() {}
}
