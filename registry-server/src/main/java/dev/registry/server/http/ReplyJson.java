package dev.registry.server.http;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.registry.api.EpochSeconds;
import dev.registry.api.PlainJson;
import dev.registry.api.RecordFields;
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

    private ReplyJson() {}

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
     *
     * @param expectedBytes about how long it will be (the last one's length): a buffer grown by
     *     doubling from small to a list of 200,000 records allocates three times the list
     */
    public static byte[] encodeOpen(Body body, int expectedBytes) {
        int room = (int) Math.min(Integer.MAX_VALUE - 16, Math.max(64 * 1024, expectedBytes + expectedBytes / 32L));
        ByteArrayOutputStream out = new ByteArrayOutputStream(room);
        try (JsonGenerator g = MAPPER.createGenerator(out)) {
            g.disable(JsonGenerator.Feature.AUTO_CLOSE_JSON_CONTENT);
            body.writeTo(g);
            g.flush();
        } catch (IOException ex) {
            throw new UncheckedIOException(ex);
        }
        return out.toByteArray();
    }

    /** Encodes {@code body} into {@code out} as it goes, buffering only what the generator does. */
    public static void stream(Body body, java.io.OutputStream out) throws IOException {
        try (JsonGenerator g = MAPPER.createGenerator(out)) {
            body.writeTo(g);
        }
    }

    /** How many bytes {@code body} encodes to, without keeping them. */
    public static long length(Body body) {
        long[] count = {0};
        java.io.OutputStream counter = new java.io.OutputStream() {
            @Override
            public void write(int b) {
                count[0]++;
            }

            @Override
            public void write(byte[] b, int off, int len) {
                count[0] += len;
            }
        };
        try {
            stream(body, counter);
        } catch (IOException ex) {
            throw new UncheckedIOException(ex);
        }
        return count[0];
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
        g.writeStringField(RecordFields.NAME, r.name());
        g.writeStringField(RecordFields.HOST, r.host());
        g.writeNumberField(RecordFields.PORT, r.port());
        g.writeStringField(RecordFields.HOSTNAME, r.hostname());
        g.writeStringField(RecordFields.URL, r.url());
        g.writeStringField(RecordFields.STATUS, r.status());
        g.writeStringField(RecordFields.TIMESTAMP, r.timestamp());
        writeEpochSeconds(g, RecordFields.LAST_HEARTBEAT, r.lastHeartbeat());
        g.writeStringField(RecordFields.HEALTH_STATUS, r.healthStatus());
        g.writeFieldName(RecordFields.METADATA);
        MAPPER.writeTree(g, r.metadata());
        g.writeBooleanField(RecordFields.IS_HEALTHY, healthy);
        g.writeEndObject();
    }
}
