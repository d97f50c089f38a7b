package dev.registry.server.logging;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A log line with fields: {@link #toString()} is the text a person reads; with
 * {@code --log-format json} the fields become members of the line's JSON object. Log it as the
 * one parameter of {@code "{0}"}.
 *
 * @param text   the line as text
 * @param fields the same facts by name, in order
 */
record LogLine(String text, Map<String, Object> fields) {

    public LogLine {
        fields = Collections.unmodifiableMap(new LinkedHashMap<>(fields));
    }

    @Override
    public String toString() {
        return text;
    }
}
