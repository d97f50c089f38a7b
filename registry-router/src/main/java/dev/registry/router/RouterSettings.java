package dev.registry.router;

import dev.registry.router.membership.Backend;
import java.time.Duration;
import java.util.List;

/**
 * How a router runs.
 *
 * @param host            address to bind
 * @param port            port to listen on (0: any free one)
 * @param registryUrls    registries to learn membership from, in order of preference
 * @param staticServices  fixed backends, never dropped
 * @param sizeThreshold   prompt bytes above which a request goes to {@code cache_type: static} backends
 * @param maxBodyBytes    largest request body; larger gets 413
 * @param timeout         longest a backend may take for a whole reply; then 504 (or an SSE error event)
 * @param connectTimeout  longest a connection to a backend may take to open
 * @param heartbeatTtl    the registry's heartbeat TTL: a record is healthy while its heartbeat is younger
 * @param token           bearer token for a registry that wants one for reads, or null
 */
public record RouterSettings(
        String host,
        int port,
        List<String> registryUrls,
        List<Backend> staticServices,
        long sizeThreshold,
        long maxBodyBytes,
        Duration timeout,
        Duration connectTimeout,
        Duration heartbeatTtl,
        String token) {

    public static final int DEFAULT_PORT = 8000;
    public static final long DEFAULT_SIZE_THRESHOLD = 51_200;
    public static final long DEFAULT_MAX_BODY = 32L << 20;
    public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(1800);
    public static final Duration DEFAULT_CONNECT_TIMEOUT = Duration.ofSeconds(5);
    public static final Duration DEFAULT_HEARTBEAT_TTL = Duration.ofSeconds(120);

    public RouterSettings {
        registryUrls = List.copyOf(registryUrls);
        staticServices = List.copyOf(staticServices);
        if (registryUrls.isEmpty()) {
            throw new IllegalArgumentException("--registry: give at least one URL");
        }
        if (port < 0 || port > 65535) {
            throw new IllegalArgumentException("--port: " + port + " is not a port (0-65535)");
        }
        if (sizeThreshold < 0 || maxBodyBytes < 0) {
            throw new IllegalArgumentException("--size-threshold and --max-body must not be negative");
        }
        if (timeout.isZero() || timeout.isNegative() || connectTimeout.isZero() || connectTimeout.isNegative()) {
            throw new IllegalArgumentException("--timeout and --connect-timeout must be positive");
        }
    }

    /** Every default, on {@code 0.0.0.0:8000}, for these registries. */
    public static RouterSettings defaults(List<String> registryUrls) {
        return new RouterSettings(
                "0.0.0.0",
                DEFAULT_PORT,
                registryUrls,
                List.of(),
                DEFAULT_SIZE_THRESHOLD,
                DEFAULT_MAX_BODY,
                DEFAULT_TIMEOUT,
                DEFAULT_CONNECT_TIMEOUT,
                DEFAULT_HEARTBEAT_TTL,
                null);
    }

    public RouterSettings withAddress(String newHost, int newPort) {
        return new RouterSettings(
                newHost,
                newPort,
                registryUrls,
                staticServices,
                sizeThreshold,
                maxBodyBytes,
                timeout,
                connectTimeout,
                heartbeatTtl,
                token);
    }

    public RouterSettings withStaticServices(List<Backend> backends) {
        return new RouterSettings(
                host,
                port,
                registryUrls,
                backends,
                sizeThreshold,
                maxBodyBytes,
                timeout,
                connectTimeout,
                heartbeatTtl,
                token);
    }

    public RouterSettings withLimits(long newSizeThreshold, long newMaxBodyBytes) {
        return new RouterSettings(
                host,
                port,
                registryUrls,
                staticServices,
                newSizeThreshold,
                newMaxBodyBytes,
                timeout,
                connectTimeout,
                heartbeatTtl,
                token);
    }

    public RouterSettings withTimeouts(Duration newTimeout, Duration newConnectTimeout) {
        return new RouterSettings(
                host,
                port,
                registryUrls,
                staticServices,
                sizeThreshold,
                maxBodyBytes,
                newTimeout,
                newConnectTimeout,
                heartbeatTtl,
                token);
    }

    public RouterSettings withRegistryAccess(Duration newHeartbeatTtl, String newToken) {
        return new RouterSettings(
                host,
                port,
                registryUrls,
                staticServices,
                sizeThreshold,
                maxBodyBytes,
                timeout,
                connectTimeout,
                newHeartbeatTtl,
                newToken);
    }
}
