package dev.registry.server.services;

import dev.registry.api.ServiceRecord;
import dev.registry.server.http.ApiRequest;
import java.util.Locale;

/**
 * The list filters: {@code status} (exact match) and {@code healthy} ({@code true} in any case
 * keeps healthy records, any other value unhealthy ones); empty values are ignored.
 *
 * @param status  wanted status, or {@code null}
 * @param healthy wanted health, or {@code null}
 */
public record ServiceFilter(String status, Boolean healthy) {

    public static ServiceFilter of(ApiRequest request) {
        String status = request.query("status").filter(s -> !s.isEmpty()).orElse(null);
        Boolean healthy = request.query("healthy")
                .filter(s -> !s.isEmpty())
                .map(s -> s.toLowerCase(Locale.ROOT).equals("true"))
                .orElse(null);
        return new ServiceFilter(status, healthy);
    }

    public boolean keeps(ServiceRecord record, boolean isHealthy) {
        return (status == null || status.equals(record.status())) && (healthy == null || healthy == isHealthy);
    }
}
