package dev.registry.server.services;

import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.exc.StreamConstraintsException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.registry.api.RecordFields;
import dev.registry.api.VerbatimNumbers;
import dev.registry.events.event.HeartbeatReceived;
import dev.registry.events.event.ServiceChanges;
import dev.registry.server.config.RequestLimits;
import dev.registry.server.http.ApiException;
import dev.registry.server.rules.Command;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;

/**
 * Turns request bodies into commands, validating as the contract asks: required fields in a
 * fixed order, one reported at a time; strings are strings, {@code port} an integer 1–65535,
 * {@code metadata} an object. Anything else is a 400 naming the field, and nothing is stored.
 */
final class ServiceRequests {

    private final RequestLimits limits;
    private final int maxRecords;
    private final ObjectMapper json;

    /** @param maxRecords the most records a registration may find the registry holding ({@code --max-records}) */
    public ServiceRequests(RequestLimits limits, int maxRecords) {
        this.limits = limits;
        this.maxRecords = maxRecords;
        this.json = JsonMapper.builder()
                .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
                .addModule(VerbatimNumbers.module()) // metadata numbers stored as written
                .build();
        // Deeply nested metadata must not cost the server its stack.
        json.getFactory()
                .setStreamReadConstraints(StreamReadConstraints.builder()
                        .maxNestingDepth(limits.maxDepth())
                        .build());
    }

    /** Parses a registration body. */
    public Command.Register register(byte[] body) {
        JsonNode node = parse(body);
        if (node.isArray()) {
            // The original checked `field in body`; for a list that reports the first field.
            throw ApiException.badRequest("Missing required field: name");
        }
        ObjectNode obj = requireObject(node);
        for (String field : RecordFields.REQUIRED) {
            if (!obj.has(field)) {
                throw ApiException.badRequest("Missing required field: " + field);
            }
        }
        String name = string(obj, RecordFields.NAME);
        if (name.isEmpty()) {
            throw ApiException.badRequest("Field 'name' must not be empty");
        }
        if (name.length() > limits.maxNameLength()) {
            throw ApiException.badRequest(
                    "Field 'name' must be at most " + limits.maxNameLength() + " characters (--max-name-length)");
        }
        String timestamp = obj.hasNonNull(RecordFields.TIMESTAMP) ? string(obj, RecordFields.TIMESTAMP) : null;
        return new Command.Register(
                name,
                string(obj, RecordFields.HOST),
                port(obj),
                string(obj, RecordFields.HOSTNAME),
                string(obj, RecordFields.URL),
                string(obj, RecordFields.STATUS),
                timestamp,
                metadataOrEmpty(obj),
                maxRecords);
    }

    /** Parses an update body; absent fields stay as they are. */
    public Command.Update update(String name, byte[] body) {
        ObjectNode obj = requireObject(parse(body));
        ServiceChanges changes = new ServiceChanges(
                obj.has(RecordFields.HOST) ? string(obj, RecordFields.HOST) : null,
                obj.has(RecordFields.PORT) ? port(obj) : null,
                obj.has(RecordFields.HOSTNAME) ? string(obj, RecordFields.HOSTNAME) : null,
                obj.has(RecordFields.URL) ? string(obj, RecordFields.URL) : null,
                obj.has(RecordFields.STATUS) ? string(obj, RecordFields.STATUS) : null,
                obj.has(RecordFields.METADATA) ? metadata(obj) : null);
        return new Command.Update(name, changes);
    }

    /**
     * Parses a heartbeat body leniently: clients send nothing, or {@code {"status": "..."}}. A
     * missing, unparsable or odd body is still a heartbeat, just without a new status.
     */
    public Command.Heartbeat heartbeat(String name, byte[] body) {
        String status = null;
        if (body.length > 0 && isUtf8(body)) {
            try {
                JsonNode node = json.readTree(body);
                if (node != null
                        && node.isObject()
                        && node.path(RecordFields.STATUS).isTextual()) {
                    status = node.get(RecordFields.STATUS).asText();
                }
            } catch (IOException ignored) {
                // compatible: an unparsable heartbeat body is still a heartbeat
            }
        }
        return new Command.Heartbeat(name, status, HeartbeatReceived.CAUSE_CLIENT);
    }

    private JsonNode parse(byte[] body) {
        if (!isUtf8(body)) {
            throw ApiException.badRequest("Invalid JSON: the request body is not valid UTF-8");
        }
        try {
            JsonNode node = json.readTree(body);
            if (node == null || node.isMissingNode()) {
                throw ApiException.badRequest("Invalid JSON");
            }
            return node;
        } catch (StreamConstraintsException ex) {
            throw ApiException.badRequest(overLimit(ex));
        } catch (IOException ex) {
            throw ApiException.badRequest("Invalid JSON");
        }
    }

    /** Which of the parser's limits a body broke, said so that the client can tell what to change. */
    private String overLimit(StreamConstraintsException ex) {
        String message = String.valueOf(ex.getOriginalMessage());
        // Jackson names the limit in its message: `StreamReadConstraints.getMaxNestingDepth()` and the like
        if (message.contains("getMaxNestingDepth")) {
            return "Request body nested deeper than " + limits.maxDepth() + " levels (--max-depth)";
        }
        if (message.contains("getMaxNumberLength")) {
            return "Request body has a number longer than " + StreamReadConstraints.DEFAULT_MAX_NUM_LEN + " characters";
        }
        return "Request body over a limit of the JSON parser: " + message;
    }

    /**
     * Whether {@code body} is well-formed UTF-8. Jackson decodes some malformed sequences instead
     * of refusing them (the overlong {@code C0 AF} becomes {@code /}), so the bytes are checked
     * first, strictly: overlong forms, surrogates and code points beyond U+10FFFF are refused.
     */
    static boolean isUtf8(byte[] body) {
        int ascii = 0;
        while (ascii < body.length && body[ascii] >= 0) {
            ascii++;
        }
        if (ascii == body.length) {
            return true; // the common case, without a decoder
        }
        try {
            StandardCharsets.UTF_8
                    .newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(body, ascii, body.length - ascii));
            return true;
        } catch (CharacterCodingException ex) {
            return false;
        }
    }

    private static ObjectNode requireObject(JsonNode node) {
        if (!node.isObject()) {
            throw ApiException.badRequest("Request body must be a JSON object");
        }
        return (ObjectNode) node;
    }

    private static String string(ObjectNode obj, String field) {
        JsonNode value = obj.get(field);
        if (value == null || !value.isTextual()) {
            throw ApiException.badRequest("Field '" + field + "' must be a string");
        }
        return value.asText();
    }

    private static int port(ObjectNode obj) {
        JsonNode value = obj.get(RecordFields.PORT);
        if (value == null
                || !value.isIntegralNumber()
                || !value.canConvertToInt()
                || value.intValue() < 1
                || value.intValue() > 65_535) {
            throw ApiException.badRequest("Field 'port' must be an integer between 1 and 65535");
        }
        return value.intValue();
    }

    private ObjectNode metadataOrEmpty(ObjectNode obj) {
        return obj.has(RecordFields.METADATA) ? metadata(obj) : json.createObjectNode();
    }

    private ObjectNode metadata(ObjectNode obj) {
        JsonNode value = obj.get(RecordFields.METADATA);
        if (!value.isObject()) {
            throw ApiException.badRequest("Field 'metadata' must be an object");
        }
        long size;
        try {
            size = json.writeValueAsBytes(value).length;
        } catch (IOException ex) {
            throw ApiException.badRequest("Field 'metadata' cannot be written as JSON");
        }
        if (size > limits.maxMetadataBytes()) {
            throw new ApiException(
                    413,
                    "Field 'metadata' is " + size + " bytes of JSON: the limit is " + limits.maxMetadataBytes()
                            + " bytes (--max-metadata)");
        }
        return (ObjectNode) value;
    }
}
