package dev.registry.api.client;

import java.util.Map;

/** Fields to change; {@code null} leaves a field as it is. {@code metadata} replaces the whole object. */
public record ServiceUpdate(
        String host, Integer port, String hostname, String url, String status, Map<String, Object> metadata) {

    public static ServiceUpdate status(String status) {
        return new ServiceUpdate(null, null, null, null, status, null);
    }

    public static ServiceUpdate metadata(Map<String, Object> metadata) {
        return new ServiceUpdate(null, null, null, null, null, metadata);
    }
}
