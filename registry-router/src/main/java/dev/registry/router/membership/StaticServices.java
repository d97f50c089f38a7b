package dev.registry.router.membership;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.registry.api.ServiceRecord;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Reads {@code --static-services FILE}: fixed backends, as the fleet's router takes them. The file is
 * a JSON array, {@code {"services":[…]}} or {@code {"static_services":{"services":[…]}}} of
 * {@code {name, host, port, weight, metadata}} (and optionally {@code url}).
 */
public final class StaticServices {

    private static final ObjectMapper JSON = new ObjectMapper();

    private StaticServices() {}

    /** @throws IllegalArgumentException naming the file and the entry when it cannot be used */
    public static List<Backend> read(Path file) {
        JsonNode root;
        try {
            root = JSON.readTree(Files.readString(file));
        } catch (IOException ex) {
            throw new IllegalArgumentException("--static-services " + file + ": " + ex.getMessage());
        }
        JsonNode list = root == null
                ? null
                : root.isArray()
                        ? root
                        : root.has("static_services")
                                ? root.path("static_services").path("services")
                                : root.path("services");
        if (list == null || !list.isArray()) {
            throw new IllegalArgumentException("--static-services " + file
                    + ": expected a JSON array, {\"services\":[...]} or {\"static_services\":{\"services\":[...]}}");
        }
        List<Backend> backends = new ArrayList<>();
        for (int i = 0; i < list.size(); i++) {
            backends.add(Backend.of(entry(list.get(i), file + " entry " + (i + 1)), true));
        }
        return List.copyOf(backends);
    }

    private static ServiceRecord entry(JsonNode e, String where) {
        String name = text(e, "name", where);
        String host = text(e, "host", where);
        if (!e.path("port").canConvertToInt()
                || e.path("port").asInt() < 1
                || e.path("port").asInt() > 65535) {
            throw new IllegalArgumentException("--static-services " + where + ": 'port' must be an integer 1-65535");
        }
        int port = e.path("port").asInt();
        ObjectNode metadata =
                e.path("metadata").isObject() ? ((ObjectNode) e.get("metadata")).deepCopy() : JSON.createObjectNode();
        if (e.path("weight").isNumber()) {
            metadata.set("weight", e.get("weight")); // the top-level weight wins over metadata's
        }
        String url = e.path("url").isTextual() ? e.get("url").asText() : "http://" + host + ":" + port;
        return new ServiceRecord(
                name,
                host,
                port,
                host,
                url,
                ServiceRecord.STATUS_RUNNING,
                "static",
                0,
                ServiceRecord.HEALTH_UNKNOWN,
                metadata);
    }

    private static String text(JsonNode e, String field, String where) {
        if (!e.path(field).isTextual() || e.get(field).asText().isEmpty()) {
            throw new IllegalArgumentException("--static-services " + where + ": missing '" + field + "'");
        }
        return e.get(field).asText();
    }
}
