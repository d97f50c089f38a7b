package dev.registry.api.routing;

import com.fasterxml.jackson.databind.JsonNode;
import dev.registry.api.ServiceRecord;
import dev.registry.api.watch.ServiceWatcher;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * Picks a model server for a request: among healthy {@code openai-api} records that serve the
 * model ({@code metadata.models}, or the ids in {@code metadata.models_list}), smooth weighted
 * round-robin by {@code metadata.weight} (default 1; 0 or less takes no traffic). Over any run of
 * picks, each server gets its share of the weights, spread out rather than in bursts.
 */
public final class ModelRouter {

    private final Supplier<Collection<ServiceRecord>> healthyRecords;
    private final Map<String, Map<String, Double>> currentWeights = new HashMap<>();

    /** @param healthyRecords the records to choose from, all healthy */
    public ModelRouter(Supplier<Collection<ServiceRecord>> healthyRecords) {
        this.healthyRecords = healthyRecords;
    }

    /** A router over a watcher's healthy records. */
    public static ModelRouter of(ServiceWatcher watcher) {
        return new ModelRouter(watcher::healthyRecords);
    }

    /** The healthy servers of {@code model}, by name order. */
    public List<ServiceRecord> candidates(String model) {
        List<ServiceRecord> out = new ArrayList<>();
        for (ServiceRecord r : healthyRecords.get()) {
            if ("openai-api".equals(r.metadata().path("type").asText(null)) && serves(r, model) && weight(r) > 0) {
                out.add(r);
            }
        }
        out.sort(java.util.Comparator.comparing(ServiceRecord::name));
        return out;
    }

    /** The next server for {@code model}, or empty when none serves it. */
    public synchronized Optional<ServiceRecord> next(String model) {
        List<ServiceRecord> candidates = candidates(model);
        if (candidates.isEmpty()) {
            return Optional.empty();
        }
        Map<String, Double> current = currentWeights.computeIfAbsent(model, m -> new HashMap<>());
        current.keySet().retainAll(candidates.stream().map(ServiceRecord::name).toList());
        double total = 0;
        ServiceRecord best = null;
        double bestWeight = Double.NEGATIVE_INFINITY;
        for (ServiceRecord r : candidates) {
            double w = weight(r);
            total += w;
            double cw = current.merge(r.name(), w, Double::sum);
            if (cw > bestWeight) {
                bestWeight = cw;
                best = r;
            }
        }
        current.merge(best.name(), -total, Double::sum);
        return Optional.of(best);
    }

    static boolean serves(ServiceRecord r, String model) {
        for (JsonNode m : r.metadata().path("models")) {
            if (model.equals(m.asText())) {
                return true;
            }
        }
        for (JsonNode m : r.metadata().path("models_list")) {
            if (model.equals(m.path("id").asText(null))) {
                return true;
            }
        }
        return false;
    }

    static double weight(ServiceRecord r) {
        JsonNode w = r.metadata().path("weight");
        return w.isNumber() ? w.asDouble() : 1.0;
    }
}
