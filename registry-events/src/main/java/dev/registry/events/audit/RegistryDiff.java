package dev.registry.events.audit;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.registry.api.PlainJson;
import dev.registry.api.ServiceRecord;
import dev.registry.events.projection.RegistryView;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/**
 * How the registry changed between two times: the views at both ends and the health flips in
 * between. Added, removed and changed records are worked out from the two views when asked, one
 * at a time for {@link #forEachChange}, so a diff over many records can be written out without
 * holding every change at once.
 */
public final class RegistryDiff {

    private static final ObjectMapper JSON = PlainJson.newMapper();

    private final Instant from;
    private final Instant to;
    private final RegistryView before;
    private final RegistryView after;
    private final List<HealthFlip> flips;

    /**
     * @param before the view at {@code from}
     * @param after  the view at {@code to}, independent of {@code before}
     * @param flips  health changes in between, oldest first
     */
    RegistryDiff(Instant from, Instant to, RegistryView before, RegistryView after, List<HealthFlip> flips) {
        this.from = from;
        this.to = to;
        this.before = before;
        this.after = after;
        this.flips = List.copyOf(flips);
    }

    /** Start time. */
    public Instant from() {
        return from;
    }

    /** End time. */
    public Instant to() {
        return to;
    }

    /** Records present at {@code to} but not at {@code from}, in registration order. */
    public List<ServiceRecord> added() {
        return onlyIn(after, before);
    }

    /** Records present at {@code from} but not at {@code to}, in registration order. */
    public List<ServiceRecord> removed() {
        return onlyIn(before, after);
    }

    private static List<ServiceRecord> onlyIn(RegistryView view, RegistryView other) {
        List<ServiceRecord> only = new ArrayList<>();
        for (ServiceRecord r : view.records()) {
            if (other.get(r.name()).isEmpty()) {
                only.add(r);
            }
        }
        return only;
    }

    /** Records present at both whose fields differ, in registration order at {@code to}. */
    public List<Change> changed() {
        List<Change> changed = new ArrayList<>();
        forEachChange(changed::add);
        return changed;
    }

    /** Each of {@link #changed()} in turn, worked out as it is handed on. */
    public void forEachChange(Consumer<Change> change) {
        for (ServiceRecord now : after.records()) {
            before.get(now.name())
                    .filter(old -> !old.equals(now))
                    .ifPresent(old -> change.accept(new Change(now.name(), fieldChanges(old, now))));
        }
    }

    /** Health changes in between, oldest first. */
    public List<HealthFlip> flips() {
        return flips;
    }

    private static Map<String, List<JsonNode>> fieldChanges(ServiceRecord old, ServiceRecord now) {
        JsonNode x = JSON.valueToTree(old);
        JsonNode y = JSON.valueToTree(now);
        Map<String, List<JsonNode>> fields = new LinkedHashMap<>();
        for (Iterator<String> names = y.fieldNames(); names.hasNext(); ) {
            String field = names.next();
            if (!y.get(field).equals(x.get(field))) {
                fields.put(field, List.of(x.get(field), y.get(field)));
            }
        }
        return fields;
    }

    /** One record's changed fields, each as [value at from, value at to]. */
    public record Change(String name, Map<String, List<JsonNode>> fields) {}

    /**
     * One health change: an active check flipping {@code health_status}, a TTL expiry, or a
     * heartbeat bringing an expired record back.
     */
    public record HealthFlip(
            long index, Instant time, String name, String type, String from, String to, String detail) {}
}
