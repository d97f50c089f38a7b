package dev.registry.tools.babysit;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.toml.TomlMapper;
import dev.registry.api.Durations;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A babysitter's TOML file, in the fleet's format; every field optional (the command line fills
 * in and overrides). Durations are seconds ({@code 30}, {@code 0.5}) or strings ({@code "30s"}).
 *
 * <pre>
 * name = "llama-1"
 * host = "10.0.0.7"
 * port = 8000
 * registry_url = "http://registry:8901"
 *
 * [babysitter]
 * max_restarts = 5
 * restart_delay = 2
 * heartbeat_interval = 30
 *
 * [backend]
 * type = "command"            # or "mock", with models = ["a", "b"]
 * command = "python"
 * args = ["-m", "vllm.entrypoints.openai.api_server", "--port", "8000"]
 * work_dir = "/srv/llama"
 * env = { CUDA_VISIBLE_DEVICES = "0" }
 *
 * [metadata]                  # merged into the records
 * cache_type = "static"
 * weight = 2
 * </pre>
 */
record BabysitConfigFile(
        String name,
        String host,
        Integer port,
        String registryUrl,
        Integer maxRestarts,
        Duration restartDelay,
        Duration heartbeatInterval,
        Backend backend,
        Map<String, Object> metadata,
        List<String> unknownKeys) {

    /** {@code [backend]}: a command to run, or the built-in mock with its models. */
    record Backend(String type, List<String> command, Path workDir, Map<String, String> env, List<String> models) {}

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final TypeReference<LinkedHashMap<String, Object>> METADATA = new TypeReference<>() {};
    private static final Set<String> TOP =
            Set.of("name", "host", "port", "registry_url", "babysitter", "backend", "metadata");
    private static final Set<String> SITTER = Set.of("max_restarts", "restart_delay", "heartbeat_interval");
    private static final Set<String> BACKEND = Set.of("type", "command", "args", "work_dir", "env", "models");

    /** @throws IllegalArgumentException naming the file and the field when it cannot be used */
    static BabysitConfigFile read(Path file) {
        JsonNode root;
        try {
            root = new TomlMapper().readTree(file.toFile());
        } catch (IOException ex) {
            throw new IllegalArgumentException("--config " + file + ": "
                    + ex.getMessage().lines().findFirst().orElse(""));
        }
        Reader r = new Reader(file);
        List<String> unknown = new ArrayList<>();
        unknownKeys(root, TOP, "", unknown);
        JsonNode sitter = r.table(root, "babysitter");
        unknownKeys(sitter, SITTER, "babysitter.", unknown);
        JsonNode backend = r.table(root, "backend");
        unknownKeys(backend, BACKEND, "backend.", unknown);
        JsonNode metadata = r.table(root, "metadata");
        return new BabysitConfigFile(
                r.text(root, "name"),
                r.text(root, "host"),
                r.integer(root, "port"),
                r.text(root, "registry_url"),
                r.integer(sitter, "max_restarts"),
                r.duration(sitter, "restart_delay"),
                r.duration(sitter, "heartbeat_interval"),
                backend.isMissingNode() ? null : r.backend(backend),
                metadata.isMissingNode() ? Map.of() : JSON.convertValue(metadata, METADATA),
                unknown);
    }

    private static void unknownKeys(JsonNode table, Set<String> known, String prefix, List<String> unknown) {
        table.fieldNames().forEachRemaining(k -> {
            if (!known.contains(k)) {
                unknown.add(prefix + k);
            }
        });
    }

    /** Typed reads that name the field when its value is of the wrong kind. */
    private record Reader(Path file) {

        JsonNode table(JsonNode node, String field) {
            JsonNode t = node.path(field);
            if (!t.isMissingNode() && !t.isObject()) {
                throw wrong(field, "a table");
            }
            return t;
        }

        String text(JsonNode node, String field) {
            JsonNode v = node.path(field);
            if (v.isMissingNode()) {
                return null;
            }
            if (!v.isTextual()) {
                throw wrong(field, "a string");
            }
            return v.asText();
        }

        Integer integer(JsonNode node, String field) {
            JsonNode v = node.path(field);
            if (v.isMissingNode()) {
                return null;
            }
            if (!v.canConvertToInt() || !v.isIntegralNumber()) {
                throw wrong(field, "an integer");
            }
            return v.asInt();
        }

        Duration duration(JsonNode node, String field) {
            JsonNode v = node.path(field);
            if (v.isMissingNode()) {
                return null;
            }
            if (v.isNumber() && v.asDouble() >= 0) {
                return Duration.ofNanos((long) (v.asDouble() * 1e9));
            }
            try {
                return Durations.parse(v.asText());
            } catch (IllegalArgumentException ex) {
                throw wrong(field, "seconds or a duration like \"30s\"");
            }
        }

        List<String> strings(JsonNode node, String field) {
            JsonNode v = node.path(field);
            if (v.isMissingNode()) {
                return List.of();
            }
            List<String> out = new ArrayList<>();
            for (JsonNode s : v) {
                if (!s.isValueNode()) {
                    throw wrong(field, "an array of strings");
                }
                out.add(s.asText());
            }
            if (!v.isArray()) {
                throw wrong(field, "an array of strings");
            }
            return out;
        }

        Backend backend(JsonNode b) {
            String type = text(b, "type") == null ? "command" : text(b, "type");
            Map<String, String> env = new LinkedHashMap<>();
            table(b, "env")
                    .properties()
                    .forEach(e -> env.put(e.getKey(), e.getValue().asText()));
            String workDir = text(b, "work_dir");
            switch (type) {
                case "command" -> {
                    String command = text(b, "command");
                    if (command == null) {
                        throw new IllegalArgumentException(
                                "--config " + file + ": [backend] type \"command\" needs a 'command'");
                    }
                    List<String> line = new ArrayList<>(List.of(command));
                    line.addAll(strings(b, "args"));
                    return new Backend(type, line, workDir == null ? null : Path.of(workDir), env, List.of());
                }
                case "mock" -> {
                    List<String> models = strings(b, "models");
                    return new Backend(
                            type,
                            List.of(),
                            workDir == null ? null : Path.of(workDir),
                            env,
                            models.isEmpty() ? List.of("mock-model") : models);
                }
                default ->
                    throw new IllegalArgumentException("--config " + file
                            + ": [backend] type must be \"command\" or \"mock\", not \"" + type + "\"");
            }
        }

        IllegalArgumentException wrong(String field, String what) {
            return new IllegalArgumentException("--config " + file + ": '" + field + "' must be " + what);
        }
    }
}
