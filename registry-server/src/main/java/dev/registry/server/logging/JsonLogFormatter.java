package dev.registry.server.logging;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.registry.api.PlainJson;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.util.Map;
import java.util.logging.Formatter;
import java.util.logging.LogRecord;

/**
 * {@code --log-format json}: one JSON object per line, with {@code time}, {@code level},
 * {@code logger}, {@code message}, the fields of a {@link LogLine}, and {@code error} (the stack
 * trace) when the line carries an exception.
 */
final class JsonLogFormatter extends Formatter {

    private static final ObjectMapper JSON = PlainJson.newMapper();
    private static final JsonFactory FACTORY = JSON.getFactory();

    @Override
    public String format(LogRecord record) {
        StringWriter out = new StringWriter(256);
        try (JsonGenerator g = FACTORY.createGenerator(out)) {
            g.setCodec(JSON);
            g.writeStartObject();
            g.writeStringField("time", Instant.ofEpochMilli(record.getMillis()).toString());
            g.writeStringField("level", record.getLevel().getName());
            g.writeStringField("logger", record.getLoggerName());
            g.writeStringField("message", formatMessage(record));
            Object[] params = record.getParameters();
            if (params != null && params.length == 1 && params[0] instanceof LogLine line) {
                for (Map.Entry<String, Object> f : line.fields().entrySet()) {
                    g.writeFieldName(f.getKey());
                    g.writeObject(f.getValue());
                }
            }
            if (record.getThrown() != null) {
                StringWriter trace = new StringWriter();
                record.getThrown().printStackTrace(new PrintWriter(trace));
                g.writeStringField("error", trace.toString());
            }
            g.writeEndObject();
        } catch (IOException ex) {
            throw new UncheckedIOException(ex);
        }
        return out.append(System.lineSeparator()).toString();
    }
}
