package dev.registry.router.membership;

import com.fasterxml.jackson.databind.JsonNode;
import dev.registry.api.ServiceRecord;
import java.util.ArrayList;
import java.util.List;

/**
 * A model server the router may send requests to, as its record describes it.
 *
 * @param name      the record's name; replies carry it in {@code X-Served-By}
 * @param url       base URL requests are sent to (path and query are appended)
 * @param weight    share of traffic: {@code metadata.weight} (or a static entry's top-level weight),
 *                  default 1; 0 takes none
 * @param models    the model ids it serves: {@code metadata.models}, then the ids of {@code models_list}
 * @param cacheType {@code metadata.cache_type} ({@code static} or {@code paged}), or null
 * @param isStatic  from {@code --static-services} or {@code metadata.static == true}: never dropped for
 *                  being absent from the registry
 * @param record    the record it was made from
 */
public record Backend(
        String name,
        String url,
        double weight,
        List<String> models,
        String cacheType,
        boolean isStatic,
        ServiceRecord record) {

    /** The backend a record describes; {@code fixed} for entries of the static services file. */
    public static Backend of(ServiceRecord record, boolean fixed) {
        JsonNode meta = record.metadata();
        List<String> models = new ArrayList<>();
        for (JsonNode m : meta.path("models")) {
            if (m.isTextual() && !models.contains(m.asText())) {
                models.add(m.asText());
            }
        }
        for (JsonNode m : meta.path("models_list")) {
            String id = m.path("id").asText(null);
            if (id != null && !models.contains(id)) {
                models.add(id);
            }
        }
        String url = record.url().endsWith("/")
                ? record.url().substring(0, record.url().length() - 1)
                : record.url();
        return new Backend(
                record.name(),
                url,
                weightOf(meta.path("weight")),
                List.copyOf(models),
                meta.path("cache_type").asText(null),
                fixed || meta.path("static").asBoolean(false),
                record);
    }

    private static double weightOf(JsonNode w) {
        double value = w.isNumber()
                ? w.asDouble()
                : w.isTextual() && w.asText().matches("\\d+(\\.\\d+)?") ? Double.parseDouble(w.asText()) : 1.0;
        return Math.max(0, value);
    }

    public boolean serves(String model) {
        return models.contains(model);
    }

    public String host() {
        return record.host();
    }

    public int port() {
        return record.port();
    }
}
