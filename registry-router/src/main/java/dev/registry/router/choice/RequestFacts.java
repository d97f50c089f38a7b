package dev.registry.router.choice;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Optional;
import java.util.function.Function;

/**
 * What routing needs to know of a request.
 *
 * @param model       the body's {@code model}, or null (no body, not JSON, or none given)
 * @param promptBytes UTF-8 bytes of {@code messages[].content} (text parts included), or of {@code prompt}
 * @param sessionKey  {@code prompt_cache_key}, else the first {@code X-Forwarded-For} address with the
 *                    {@code User-Agent}; null when there is neither
 */
public record RequestFacts(String model, long promptBytes, String sessionKey) {

    private static final ObjectMapper JSON = new ObjectMapper();

    /** Reads a request's body (possibly empty) and headers (by name, any case). */
    public static RequestFacts of(byte[] body, Function<String, Optional<String>> header) {
        JsonNode json = parse(body);
        String model = json.path("model").isTextual() ? json.get("model").asText() : null;
        String key = json.path("prompt_cache_key").isTextual()
                        && !json.get("prompt_cache_key").asText().isEmpty()
                ? json.get("prompt_cache_key").asText()
                : clientKey(header);
        return new RequestFacts(model, promptBytes(json), key);
    }

    private static JsonNode parse(byte[] body) {
        if (body.length == 0) {
            return JSON.missingNode();
        }
        try {
            JsonNode node = JSON.readTree(body);
            return node == null ? JSON.missingNode() : node;
        } catch (IOException notJson) {
            return JSON.missingNode(); // routed without a model filter, as the fleet's router does
        }
    }

    private static String clientKey(Function<String, Optional<String>> header) {
        Optional<String> forwarded = header.apply("X-Forwarded-For");
        if (forwarded.isEmpty() || forwarded.get().isBlank()) {
            return null;
        }
        String first = forwarded.get().split(",", 2)[0].trim();
        return first + "|" + header.apply("User-Agent").orElse("");
    }

    private static long promptBytes(JsonNode json) {
        long bytes = 0;
        for (JsonNode message : json.path("messages")) {
            JsonNode content = message.path("content");
            if (content.isTextual()) {
                bytes += utf8(content.asText());
            }
            for (JsonNode part : content.isArray() ? content : JSON.missingNode()) {
                if (part.isTextual()) {
                    bytes += utf8(part.asText());
                } else if (part.path("text").isTextual()) {
                    bytes += utf8(part.get("text").asText());
                }
            }
        }
        JsonNode prompt = json.path("prompt");
        if (prompt.isTextual()) {
            bytes += utf8(prompt.asText());
        }
        for (JsonNode p : prompt.isArray() ? prompt : JSON.missingNode()) {
            if (p.isTextual()) {
                bytes += utf8(p.asText());
            }
        }
        return bytes;
    }

    private static long utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8).length;
    }
}
