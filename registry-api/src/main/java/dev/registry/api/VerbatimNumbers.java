package dev.registry.api;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.DeserializationContext;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.Module;
import com.fasterxml.jackson.databind.deser.std.StdDeserializer;
import com.fasterxml.jackson.databind.module.SimpleModule;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ContainerNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.NullNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.type.LogicalType;
import java.io.IOException;
import java.util.ArrayDeque;

/**
 * A Jackson module that reads JSON trees keeping every decimal number as it was written, so that
 * metadata is stored and returned verbatim: Jackson alone reads {@code 1e999} as a double
 * ({@code Infinity}), {@code 1e-99999999} as {@code 0.0} and {@code 1.10} as {@code 1.1}.
 *
 * <p>A number with a fraction or an exponent becomes a node that writes its own text back (its
 * value, if asked, is the exact decimal); integers stay Jackson's exact integer nodes, but for
 * {@code -0}, which they would write as {@code 0}. A number that a serializer wrote as a Java
 * double (through a token buffer, as {@code valueToTree} does) stays a double.
 */
public final class VerbatimNumbers {

    private VerbatimNumbers() {}

    /** The module: register it on every mapper that reads what a client sent or the log holds. */
    public static Module module() {
        SimpleModule module = new SimpleModule("verbatim-numbers");
        module.addDeserializer(JsonNode.class, new TreeDeserializer<>(JsonNode.class));
        module.addDeserializer(ObjectNode.class, new TreeDeserializer<>(ObjectNode.class));
        module.addDeserializer(ArrayNode.class, new TreeDeserializer<>(ArrayNode.class));
        return module;
    }

    private static final class TreeDeserializer<T extends JsonNode> extends StdDeserializer<T> {

        private final Class<T> type;

        TreeDeserializer(Class<T> type) {
            super(type);
            this.type = type;
        }

        @Override
        public T deserialize(JsonParser p, DeserializationContext ctxt) throws IOException {
            JsonToken first = p.currentToken();
            boolean fits = type == JsonNode.class
                    || (type == ObjectNode.class
                            && (first == JsonToken.START_OBJECT
                                    || first == JsonToken.FIELD_NAME
                                    || first == JsonToken.END_OBJECT))
                    || (type == ArrayNode.class && first == JsonToken.START_ARRAY);
            if (!fits) {
                return type.cast(ctxt.handleUnexpectedToken(type, p));
            }
            return type.cast(read(p, ctxt.getNodeFactory()));
        }

        /** JSON {@code null} as a tree is a null node; as an object or array, no value. */
        @Override
        public T getNullValue(DeserializationContext ctxt) {
            return type == JsonNode.class ? type.cast(NullNode.getInstance()) : null;
        }

        @Override
        public boolean isCachable() {
            return true;
        }

        @Override
        public LogicalType logicalType() {
            return LogicalType.Untyped;
        }
    }

    /**
     * Reads the value at the parser's token, containers without recursion (like Jackson's own
     * tree reader), so nesting costs heap rather than stack.
     */
    private static JsonNode read(JsonParser p, JsonNodeFactory f) throws IOException {
        JsonToken t = p.currentToken();
        ContainerNode<?> root;
        if (t == JsonToken.START_OBJECT || t == JsonToken.START_ARRAY) {
            root = t == JsonToken.START_OBJECT ? f.objectNode() : f.arrayNode();
            t = p.nextToken();
        } else if (t == JsonToken.FIELD_NAME || t == JsonToken.END_OBJECT) {
            root = f.objectNode(); // the object's start was read already
        } else {
            return scalar(p, t, f);
        }
        ArrayDeque<ContainerNode<?>> open = new ArrayDeque<>();
        open.push(root);
        String field = null;
        for (; ; t = p.nextToken()) {
            if (t == null) {
                throw new com.fasterxml.jackson.core.JsonParseException(p, "unexpected end of input in a JSON value");
            }
            JsonNode value;
            switch (t) {
                case FIELD_NAME -> {
                    field = p.currentName();
                    continue;
                }
                case END_OBJECT, END_ARRAY -> {
                    open.pop();
                    if (open.isEmpty()) {
                        return root;
                    }
                    continue;
                }
                case START_OBJECT -> value = f.objectNode();
                case START_ARRAY -> value = f.arrayNode();
                default -> value = scalar(p, t, f);
            }
            if (open.peek() instanceof ObjectNode object) {
                object.set(field, value);
            } else {
                ((ArrayNode) open.peek()).add(value);
            }
            if (value instanceof ContainerNode<?> container) {
                open.push(container);
            }
        }
    }

    private static JsonNode scalar(JsonParser p, JsonToken t, JsonNodeFactory f) throws IOException {
        return switch (t) {
            case VALUE_STRING -> f.textNode(p.getText());
            case VALUE_NUMBER_FLOAT -> decimal(p, f);
            case VALUE_NUMBER_INT -> integer(p, f);
            case VALUE_TRUE -> f.booleanNode(true);
            case VALUE_FALSE -> f.booleanNode(false);
            case VALUE_NULL -> f.nullNode();
            case VALUE_EMBEDDED_OBJECT -> embedded(p.getEmbeddedObject(), f);
            default -> throw new com.fasterxml.jackson.core.JsonParseException(p, "unexpected token " + t);
        };
    }

    private static JsonNode decimal(JsonParser p, JsonNodeFactory f) throws IOException {
        // JSON text knows no floating-point type (UNKNOWN): there is text to keep
        return switch (p.getNumberTypeFP()) {
            case UNKNOWN -> new VerbatimNumberNode(p.getText());
            case FLOAT32 -> f.numberNode(p.getFloatValue());
            case DOUBLE64 -> f.numberNode(p.getDoubleValue());
            default -> f.numberNode(p.getDecimalValue());
        };
    }

    private static JsonNode integer(JsonParser p, JsonNodeFactory f) throws IOException {
        return switch (p.getNumberType()) {
            case INT -> {
                int v = p.getIntValue();
                yield v == 0 && p.getText().startsWith("-") ? new VerbatimNumberNode(p.getText()) : f.numberNode(v);
            }
            case LONG -> f.numberNode(p.getLongValue());
            default -> f.numberNode(p.getBigIntegerValue());
        };
    }

    private static JsonNode embedded(Object value, JsonNodeFactory f) {
        if (value == null) {
            return f.nullNode();
        }
        if (value instanceof byte[] bytes) {
            return f.binaryNode(bytes);
        }
        if (value instanceof JsonNode node) {
            return node;
        }
        return f.pojoNode(value);
    }
}
