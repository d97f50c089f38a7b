package dev.registry.server.config;

import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Everything a registry server is started with.
 *
 * @param host         address to bind
 * @param port         port to listen on; 0 picks a free one
 * @param dataDir      directory of the event log
 * @param heartbeatTtl how long a heartbeat keeps a record healthy
 * @param maxBodyBytes largest accepted request body
 */
public record RegistrySettings(String host, int port, Path dataDir, Duration heartbeatTtl, long maxBodyBytes) {

    public static final int DEFAULT_PORT = 8901;
    public static final Duration DEFAULT_HEARTBEAT_TTL = Duration.ofSeconds(120);
    public static final long DEFAULT_MAX_BODY_BYTES = 1L << 20;

    /** Defaults for everything but where the log lives and which port to take. */
    public static RegistrySettings defaults(Path dataDir, int port) {
        return new RegistrySettings("0.0.0.0", port, dataDir, DEFAULT_HEARTBEAT_TTL, DEFAULT_MAX_BODY_BYTES);
    }

    public RegistrySettings withHeartbeatTtl(Duration ttl) {
        return new RegistrySettings(host, port, dataDir, ttl, maxBodyBytes);
    }

    /** The settings as text, for the registry-started event. */
    public Map<String, String> describe() {
        Map<String, String> m = new LinkedHashMap<>();
        m.put("host", host);
        m.put("port", Integer.toString(port));
        m.put("data_dir", dataDir.toAbsolutePath().normalize().toString());
        m.put("heartbeat_ttl", heartbeatTtl.toString());
        m.put("max_body_bytes", Long.toString(maxBodyBytes));
        return m;
    }
}
