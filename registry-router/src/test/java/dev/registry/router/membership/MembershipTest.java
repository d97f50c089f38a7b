package dev.registry.router.membership;

import static org.awaitility.Awaitility.await;
import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.is;

import dev.registry.router.RouterServer;
import dev.registry.router.RouterSettings;
import dev.registry.router.testing.RouterFixture;
import dev.registry.router.testing.RouterTestBase;
import dev.registry.router.testing.ScriptedBackend;
import dev.registry.server.testing.Http;
import dev.registry.server.testing.TestRegistry;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.Test;

/** Membership from a real registry's event stream, through a real router. */
class MembershipTest extends RouterTestBase {

    private static final Duration WAIT = Duration.ofSeconds(30);

    @Test
    void aRecordThatTurnsUnhealthyOrLeavesStopsReceivingRequestsWithinASecond() throws Exception {
        TestRegistry registry = registry();
        ScriptedBackend b1 = backend();
        ScriptedBackend b2 = backend();
        register(registry.http(), "b1", b1, "{\"type\":\"openai-api\",\"models\":[\"m\"]}");
        register(registry.http(), "b2", b2, "{\"type\":\"openai-api\",\"models\":[\"m\"]}");
        register(registry.http(), "sitter", b2, "{\"type\":\"vllm\",\"models\":[\"m\"]}"); // not a model server
        // the first registry URL answers nothing: membership comes from the second
        RouterServer router =
                router(List.of(RouterFixture.nowhere(), registry.http().base()), s -> s);
        Http client = new Http(router.port());
        await().atMost(WAIT).until(() -> servedBy(client, 10).equals(Set.of("b1", "b2")));

        assertThat(
                registry.http().put("/services/b1", "{\"status\":\"stopped\"}").status(), is(200));
        await().atMost(Duration.ofSeconds(1)).until(() -> servedBy(client, 4).equals(Set.of("b2")));
        assertThat(servedBy(client, 20), is(Set.of("b2")));

        assertThat(
                registry.http().put("/services/b1", "{\"status\":\"running\"}").status(), is(200));
        assertThat(registry.http().delete("/services/b2").status(), is(200));
        await().atMost(Duration.ofSeconds(1)).until(() -> servedBy(client, 4).equals(Set.of("b1")));
        assertThat(servedBy(client, 20), is(Set.of("b1")));
        assertThat(client.get("/health").json().get("healthy_services").asText(), is("1/1"));
    }

    @Test
    void staticRecordsStayWhenTheyLeaveAndTheLastSetServesWhileTheRegistryIsDown() throws Exception {
        TestRegistry registry = registry();
        ScriptedBackend fixed = backend();
        ScriptedBackend witness = backend();
        register(registry.http(), "fixed", fixed, "{\"type\":\"openai-api\",\"models\":[\"s\"],\"static\":true}");
        register(registry.http(), "witness", witness, "{\"type\":\"openai-api\",\"models\":[\"w\"]}");
        // a heartbeat TTL shorter than the test: the records would turn unhealthy if health were still evaluated
        RouterServer router =
                router(List.of(registry.http().base()), s -> s.withRegistryAccess(Duration.ofSeconds(3), null));
        Http client = new Http(router.port());
        await().atMost(WAIT)
                .until(() -> served(client, "w").equals("witness")
                        && served(client, "s").equals("fixed"));

        registry.http().delete("/services/fixed");
        registry.http().delete("/services/witness");
        await().atMost(WAIT)
                .until(() ->
                        client.post("/v1/chat/completions", "{\"model\":\"w\"}").status() == 503);
        assertThat(served(client, "s"), is("fixed")); // left the registry, still routed

        register(registry.http(), "witness", witness, "{\"type\":\"openai-api\",\"models\":[\"w\"]}");
        await().atMost(WAIT).until(() -> served(client, "w").equals("witness"));
        registry.close();
        await().atMost(WAIT)
                .until(() -> !client.get("/services")
                        .json()
                        .get("registry_reachable")
                        .asBoolean());
        // past the TTL: the last known set keeps serving
        await().during(Duration.ofSeconds(4))
                .atMost(WAIT)
                .until(() -> served(client, "w").equals("witness"));
        assertThat(client.get("/health").json().get("message").asText().startsWith("Registry unreachable"), is(true));
    }

    private static Set<String> servedBy(Http client, int requests) {
        Set<String> names = new HashSet<>();
        for (int i = 0; i < requests; i++) {
            names.add(served(client, "m"));
        }
        return names;
    }

    /** The backend that served a request for {@code model}, or the status when none did. */
    private static String served(Http client, String model) {
        Http.Reply r = client.post("/v1/chat/completions", "{\"model\":\"" + model + "\"}");
        return r.status() == 200 ? r.headers().firstValue("X-Served-By").orElse("?") : "status " + r.status();
    }

    private static void register(Http registry, String name, ScriptedBackend backend, String metadata) {
        assertThat(
                registry.post("/services", Http.registration(name, backend.port(), metadata))
                        .status(),
                is(201));
    }

    private TestRegistry registry() {
        return closeAfter(new TestRegistry(tmp.resolve("data")));
    }

    private ScriptedBackend backend() {
        return closeAfter(ScriptedBackend.ok());
    }

    private RouterServer router(List<String> registries, UnaryOperator<RouterSettings> customize) {
        return router("[]", registries, customize);
    }
}
