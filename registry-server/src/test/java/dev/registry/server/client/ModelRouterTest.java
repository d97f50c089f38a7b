package dev.registry.server.client;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.is;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.registry.api.ServiceRecord;
import dev.registry.api.routing.ModelRouter;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Weighted round-robin over healthy openai-api servers of a model. */
class ModelRouterTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void weightsSplitTrafficSmoothly() {
        List<ServiceRecord> servers = List.of(
                server("a", "{\"type\":\"openai-api\",\"models\":[\"llama\"],\"weight\":3}"),
                server("b", "{\"type\":\"openai-api\",\"models\":[\"llama\"]}"));
        ModelRouter router = new ModelRouter(() -> servers);
        List<String> picks = new ArrayList<>();
        for (int i = 0; i < 8; i++) {
            picks.add(router.next("llama").orElseThrow().name());
        }
        assertThat(picks, is(List.of("a", "a", "b", "a", "a", "a", "b", "a")));
    }

    @Test
    void onlyOpenAiServersOfTheModelWithPositiveWeight() {
        List<ServiceRecord> servers = List.of(
                server("sitter", "{\"type\":\"vllm\",\"models\":[\"llama\"]}"),
                server("other-model", "{\"type\":\"openai-api\",\"models\":[\"qwen\"]}"),
                server("drained", "{\"type\":\"openai-api\",\"models\":[\"llama\"],\"weight\":0}"),
                server(
                        "by-list",
                        "{\"type\":\"openai-api\",\"models_list\":[{\"id\":\"llama\",\"object\":\"model\"}]}"));
        ModelRouter router = new ModelRouter(() -> servers);
        assertThat(router.candidates("llama").stream().map(ServiceRecord::name).toList(), is(List.of("by-list")));
        assertThat(router.next("llama").orElseThrow().name(), is("by-list"));
        assertThat(router.next("mistral").isPresent(), is(false));
    }

    private static ServiceRecord server(String name, String metadata) {
        try {
            return new ServiceRecord(
                    name, "127.0.0.1", 8000, "h", "http://127.0.0.1:8000", "running", "t", 1.0, "healthy", (ObjectNode)
                            JSON.readTree(metadata));
        } catch (Exception ex) {
            throw new IllegalArgumentException(ex);
        }
    }
}
