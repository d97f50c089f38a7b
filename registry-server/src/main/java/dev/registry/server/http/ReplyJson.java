package dev.registry.server.http;

import dev.registry.api.PlainJson;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.registry.api.EpochSeconds;
import dev.registry.api.ServiceRecord;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;

/**
 * Encodes replies as compact JSON, streaming straight to bytes (lists of thousands of records
 * are the hot path, so no intermediate trees).
 */
public final class ReplyJson {

    private static final ObjectMapper MAPPER = PlainJson.newMapper();

    /** Writes one JSON value with a generator. */
    @FunctionalInterface
    public interface Body {
        void writeTo(JsonGenerator g) throws IOException;
    }

    private ReplyJson() {
    }

    public static byte[] encode(Body body) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(256);
        try (JsonGenerator g = MAPPER.createGenerator(out)) {
            body.writeTo(g);
        } catch (IOException ex) {
            throw new UncheckedIOException(ex);
        }
        return out.toByteArray();
    }

    /**
     * Encodes an object the body leaves open, without its closing brace, so the caller can append
     * fields (the list's per-request timestamp) to a cached prefix.
     */
    public static byte[] encodeOpen(Body body) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(64 * 1024);
        try (JsonGenerator g = MAPPER.createGenerator(out)) {
            g.disable(JsonGenerator.Feature.AUTO_CLOSE_JSON_CONTENT);
            body.writeTo(g);
            g.flush();
        } catch (IOException ex) {
            throw new UncheckedIOException(ex);
        }
        return out.toByteArray();
    }

    /** {@code {"error": message}} */
    public static byte[] error(String message) {
        return error(message, java.util.Map.of());
    }

    /** {@code {"error": message, ...details}} */
    public static byte[] error(String message, java.util.Map<String, String> details) {
        return encode(g -> {
            g.writeStartObject();
            g.writeStringField("error", message);
            for (var d : new java.util.TreeMap<>(details).entrySet()) {
                g.writeStringField(d.getKey(), d.getValue());
            }
            g.writeEndObject();
        });
    }

    /** A Jackson tree, compact. */
    public static byte[] tree(com.fasterxml.jackson.databind.JsonNode node) {
        try {
            return MAPPER.writeValueAsBytes(node);
        } catch (IOException ex) {
            throw new UncheckedIOException(ex);
        }
    }

    /** {@code {"message": message}} */
    public static byte[] message(String message) {
        return encode(g -> {
            g.writeStartObject();
            g.writeStringField("message", message);
            g.writeEndObject();
        });
    }

    /** Epoch seconds in plain decimal, see {@link EpochSeconds}. */
    public static void writeEpochSeconds(JsonGenerator g, String field, double seconds) throws IOException {
        g.writeFieldName(field);
        g.writeNumber(EpochSeconds.plain(seconds));
    }

    /** A record in its wire form, with {@code is_healthy} as given. */
    public static void record(JsonGenerator g, ServiceRecord r, boolean healthy) throws IOException {
        g.writeStartObject();
        g.writeStringField("name", r.name());
        g.writeStringField("host", r.host());
        g.writeNumberField("port", r.port());
        g.writeStringField("hostname", r.hostname());
        g.writeStringField("url", r.url());
        g.writeStringField("status", r.status());
        g.writeStringField("timestamp", r.timestamp());
        writeEpochSeconds(g, "last_heartbeat", r.lastHeartbeat());
        g.writeStringField("health_status", r.healthStatus());
        g.writeFieldName("metadata");
        MAPPER.writeTree(g, r.metadata());
        g.writeBooleanField("is_healthy", healthy);
        g.writeEndObject();
    }
}
