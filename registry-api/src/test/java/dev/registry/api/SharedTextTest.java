package dev.registry.api;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.nullValue;
import static org.hamcrest.Matchers.sameInstance;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;
import java.util.stream.StreamSupport;
import org.junit.jupiter.api.Test;

class SharedTextTest {

    private static final ObjectMapper JSON = PlainJson.newMapper();

    private static ObjectNode metadata(String json) throws Exception {
        return (ObjectNode) JSON.readTree(json);
    }

    @Test
    void equalTextReadTwiceIsOneInstanceAndLongTextIsLeftAlone() {
        String first = SharedText.of(new String("openai-api"));
        String second = SharedText.of(new String("openai-api"));
        assertThat(second, sameInstance(first));
        String longText = "x".repeat(SharedText.LONGEST + 1);
        assertThat(SharedText.of(longText), sameInstance(longText));
        assertThat(SharedText.of(null), is(nullValue()));
    }

    @Test
    void compactMetadataEqualsTheOriginalInOrderAndSharesKeysAndShortValues() throws Exception {
        String json = "{\"type\":\"openai-api\",\"models\":[\"m-1\",\"m-2\"],\"weight\":1.50,"
                + "\"nested\":{\"id\":\"m-1\",\"ok\":true,\"none\":null},\"long\":\"" + "y".repeat(100) + "\"}";
        ObjectNode a = SharedText.compact(metadata(json));
        ObjectNode b = SharedText.compact(metadata(json));

        assertThat(a, is(metadata(json)));
        assertThat(
                JSON.writeValueAsString(a), is(JSON.writeValueAsString(metadata(json)))); // order, numbers as written
        assertThat(
                StreamSupport.stream(a.properties().spliterator(), false)
                        .map(java.util.Map.Entry::getKey)
                        .toList(),
                contains("type", "models", "weight", "nested", "long"));
        List<String> keysOfA =
                a.properties().stream().map(java.util.Map.Entry::getKey).toList();
        List<String> keysOfB =
                b.properties().stream().map(java.util.Map.Entry::getKey).toList();
        for (int i = 0; i < keysOfA.size(); i++) {
            assertThat(keysOfB.get(i), sameInstance(keysOfA.get(i)));
        }
        assertThat(b.get("type"), sameInstance(a.get("type")));
        assertThat(b.get("models").get(1), sameInstance(a.get("models").get(1)));
        assertThat(b.get("nested").get("id"), sameInstance(a.get("nested").get("id")));
        assertThat("each record keeps its own containers", b.get("nested"), not(sameInstance(a.get("nested"))));
        assertThat(b.get("long"), not(sameInstance(a.get("long"))));
        assertThat(SharedText.compact(null), is(nullValue()));
    }

    @Test
    void aRecordWithSharedTextIsEqualToItself() throws Exception {
        ServiceRecord r = new ServiceRecord(
                "svc",
                new String("10.0.0.1"),
                8000,
                new String("gpu-1"),
                "http://10.0.0.1:8000",
                new String("running"),
                "2026-12-07T00:00:00.000000+00:00",
                1.5,
                new String("unknown"),
                metadata("{\"type\":\"openai-api\"}"));
        ServiceRecord shared = r.withSharedText();
        assertThat(shared, is(r));
        assertThat(r.withSharedText().status(), sameInstance(shared.status()));
        assertThat(r.withSharedText().host(), sameInstance(shared.host()));
    }
}
