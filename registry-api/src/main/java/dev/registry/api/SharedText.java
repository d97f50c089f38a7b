package dev.registry.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * One instance for text that many records repeat: status words, hosts, metadata keys and short
 * metadata values ({@code "openai-api"}, a model's name). A registry of a million records read
 * from its log or a snapshot held each of them once per record, a third of its heap.
 *
 * <p>A bounded, direct-mapped table: a text is found in one slot by its hash, or takes that slot,
 * so memory stays fixed and a text that is not repeated costs one look-up and is dropped when its
 * slot is taken. Any thread may use it: strings and text nodes are immutable, and a slot read
 * while another thread fills it gives either entry, each of them right.
 */
public final class SharedText {

    /** Longer texts are rarely repeated (URLs, names): not worth a slot. */
    static final int LONGEST = 64;

    private static final int SLOTS = 1 << 14;
    private static final String[] TEXT = new String[SLOTS];
    private static final TextNode[] NODES = new TextNode[SLOTS];

    private SharedText() {}

    /** {@code text}, or an equal string already shared; null stays null. */
    public static String of(String text) {
        if (text == null || text.length() > LONGEST) {
            return text;
        }
        int slot = slotOf(text);
        String known = TEXT[slot];
        if (known != null && known.equals(text)) {
            return known;
        }
        TEXT[slot] = text;
        return text;
    }

    /**
     * A copy of {@code metadata} whose keys and short text values are shared, in maps and lists
     * sized to what they hold; null stays null. The copy is as equal to the original as the
     * original is to itself: same fields in the same order, same values.
     */
    public static ObjectNode compact(ObjectNode metadata) {
        return metadata == null ? null : compactObject(metadata);
    }

    private static ObjectNode compactObject(ObjectNode object) {
        Map<String, JsonNode> fields = LinkedHashMap.newLinkedHashMap(object.size());
        for (Map.Entry<String, JsonNode> field : object.properties()) {
            fields.put(of(field.getKey()), compactNode(field.getValue()));
        }
        return new ObjectNode(JsonNodeFactory.instance, fields);
    }

    private static JsonNode compactNode(JsonNode node) {
        if (node instanceof TextNode text) {
            return shared(text);
        }
        if (node instanceof ObjectNode object) {
            return compactObject(object);
        }
        if (node instanceof ArrayNode array) {
            List<JsonNode> items = new ArrayList<>(array.size());
            for (JsonNode item : array) {
                items.add(compactNode(item));
            }
            return new ArrayNode(JsonNodeFactory.instance, items);
        }
        return node; // numbers (kept as written), booleans, null
    }

    private static TextNode shared(TextNode node) {
        String text = node.textValue();
        if (text.length() > LONGEST) {
            return node;
        }
        int slot = slotOf(text);
        TextNode known = NODES[slot];
        if (known != null && known.textValue().equals(text)) {
            return known;
        }
        NODES[slot] = node;
        return node;
    }

    private static int slotOf(String text) {
        int h = text.hashCode();
        return (h ^ (h >>> 16)) & (SLOTS - 1);
    }
}
