package dev.registry.events.audit;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectWriter;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.registry.api.PlainJson;
import dev.registry.api.ServiceRecord;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.List;
import java.util.Map;

/** The JSON form of audit answers, the same for the HTTP API and the tools' {@code --json}. */
public final class AuditJson {

    private static final ObjectMapper JSON = PlainJson.newMapper();
    /** Writes values into a generator that streams a reply: a flush per value would send a chunk per record. */
    private static final ObjectWriter VALUES = JSON.writer().without(SerializationFeature.FLUSH_AFTER_WRITE_VALUE);

    private AuditJson() {}

    /** {@code {"service", "history": [...], "count", "heartbeats_after_last"?, "more"}} */
    public static ObjectNode history(HistoryPage page, boolean heartbeatsCounted) {
        ObjectNode out = JSON.createObjectNode();
        out.put("service", page.name());
        ArrayNode entries = out.putArray("history");
        for (HistoryEntry e : page.entries()) {
            entries.add(entry(e));
        }
        out.put("count", page.entries().size());
        if (heartbeatsCounted) {
            out.put("heartbeats_after_last", page.heartbeatsAfterLast());
        }
        out.put("more", page.more());
        return out;
    }

    /** One history entry: index, time, type, cause, the changed fields, heartbeats_before. */
    public static ObjectNode entry(HistoryEntry e) {
        ObjectNode n = JSON.createObjectNode();
        n.put("index", e.index());
        n.put("time", e.time().toString());
        n.put("type", e.type());
        n.put("cause", e.cause());
        n.setAll(e.fields());
        if (e.heartbeatsBefore() >= 0) {
            n.put("heartbeats_before", e.heartbeatsBefore());
        }
        return n;
    }

    /** {@code {"from", "to", "added", "removed", "changed", "health_flips"}}, as a tree (for the tools). */
    public static ObjectNode diff(RegistryDiff d) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (JsonGenerator g = JSON.createGenerator(out)) {
            writeDiffOpen(g, d);
            g.writeEndObject();
        } catch (IOException ex) {
            throw new UncheckedIOException(ex);
        }
        try {
            return (ObjectNode) JSON.readTree(out.toByteArray()); // trees keep numbers as written
        } catch (IOException ex) {
            throw new UncheckedIOException(ex);
        }
    }

    /**
     * A diff written straight to {@code g}, without the closing brace, so the caller can add
     * fields: no tree of the whole diff, and each change worked out as it is written.
     */
    public static void writeDiffOpen(JsonGenerator g, RegistryDiff d) throws IOException {
        g.writeStartObject();
        g.writeStringField("from", d.from().toString());
        g.writeStringField("to", d.to().toString());
        g.writeArrayFieldStart("added");
        for (ServiceRecord r : d.added()) {
            VALUES.writeValue(g, r);
        }
        g.writeEndArray();
        g.writeArrayFieldStart("removed");
        for (ServiceRecord r : d.removed()) {
            VALUES.writeValue(g, r);
        }
        g.writeEndArray();
        g.writeArrayFieldStart("changed");
        try {
            d.forEachChange(c -> {
                try {
                    writeChange(g, c);
                } catch (IOException ex) {
                    throw new UncheckedIOException(ex);
                }
            });
        } catch (UncheckedIOException ex) {
            throw ex.getCause();
        }
        g.writeEndArray();
        g.writeArrayFieldStart("health_flips");
        for (RegistryDiff.HealthFlip f : d.flips()) {
            g.writeStartObject();
            g.writeNumberField("index", f.index());
            g.writeStringField("time", f.time().toString());
            g.writeStringField("name", f.name());
            g.writeStringField("type", f.type());
            g.writeStringField("from", f.from());
            g.writeStringField("to", f.to());
            g.writeStringField("detail", f.detail());
            g.writeEndObject();
        }
        g.writeEndArray();
    }

    private static void writeChange(JsonGenerator g, RegistryDiff.Change c) throws IOException {
        g.writeStartObject();
        g.writeStringField("name", c.name());
        g.writeObjectFieldStart("fields");
        for (Map.Entry<String, List<JsonNode>> f : c.fields().entrySet()) {
            g.writeObjectFieldStart(f.getKey());
            g.writeFieldName("from");
            VALUES.writeValue(g, f.getValue().get(0));
            g.writeFieldName("to");
            VALUES.writeValue(g, f.getValue().get(1));
            g.writeEndObject();
        }
        g.writeEndObject();
        g.writeEndObject();
    }
}
