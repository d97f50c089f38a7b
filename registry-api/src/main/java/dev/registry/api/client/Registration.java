package dev.registry.api.client;

import java.util.Map;
import java.util.Objects;

/**
 * What a service registers with.
 *
 * @param timestamp the client's own timestamp string, or {@code null} for the server's time
 * @param metadata  free-form metadata, stored verbatim ({@code type}, {@code models}, ...)
 */
public record Registration(
        String name,
        String host,
        int port,
        String hostname,
        String url,
        String status,
        String timestamp,
        Map<String, Object> metadata) {

    public Registration {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(host, "host");
        Objects.requireNonNull(hostname, "hostname");
        Objects.requireNonNull(url, "url");
        Objects.requireNonNull(status, "status");
        metadata = metadata == null ? Map.of() : Map.copyOf(metadata);
    }

    /** A running service at {@code http://host:port}, with the given metadata. */
    public static Registration running(String name, String host, int port, Map<String, Object> metadata) {
        return new Registration(name, host, port, host, "http://" + host + ":" + port, "running", null, metadata);
    }
}
