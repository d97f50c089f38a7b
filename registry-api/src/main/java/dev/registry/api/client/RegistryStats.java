package dev.registry.api.client;

import java.util.Map;

/** {@code GET /stats}. */
public record RegistryStats(
        int totalServices,
        int healthyServices,
        int unhealthyServices,
        Map<String, Integer> statusDistribution,
        Map<String, Integer> hostDistribution,
        double uptimeSeconds,
        String timestamp) {}
