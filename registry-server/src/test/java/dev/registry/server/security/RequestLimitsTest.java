package dev.registry.server.security;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.is;

import dev.registry.server.config.RequestLimits;
import dev.registry.server.testing.Http;
import dev.registry.server.testing.RegistryTestBase;
import dev.registry.server.testing.TestRegistry;
import java.nio.file.Path;
import java.time.Clock;
import org.junit.jupiter.api.Test;

/** --max-name-length, --max-metadata, --max-depth: over a limit is a 400 or 413 naming it, and nothing is stored. */
class RequestLimitsTest extends RegistryTestBase {

    @Override
    protected TestRegistry newRegistry(Path dir) {
        return new TestRegistry(
                dir, s -> s.toBuilder().limits(new RequestLimits(10, 100, 4)).build(), Clock.systemUTC());
    }

    @Test
    void namesUpToTheLimitOnly() {
        int events = logSize();
        Http.Reply refused = http.post("/services", Http.registration("n".repeat(11), 1, null));
        assertThat(refused.status(), is(400));
        assertThat(refused.json().get("error").asText(), containsString("at most 10 characters (--max-name-length)"));
        assertThat(logSize(), is(events));
        assertThat(
                http.post("/services", Http.registration("n".repeat(10), 1, null))
                        .status(),
                is(201));
    }

    @Test
    void metadataUpToTheLimitOnlyOnRegisterAndUpdate() {
        String small = "{\"model\": \"" + "m".repeat(80) + "\"}"; // 92 bytes compact
        String large = "{\"model\": \"" + "m".repeat(90) + "\"}"; // 102 bytes compact
        assertThat(http.post("/services", Http.registration("a", 1, small)).status(), is(201));
        int events = logSize();

        Http.Reply refused = http.post("/services", Http.registration("b", 1, large));
        assertThat(refused.status(), is(413));
        assertThat(
                refused.json().get("error").asText(),
                is("Field 'metadata' is 102 bytes of JSON: the limit is 100 bytes (--max-metadata)"));
        Http.Reply update = http.put("/services/a", "{\"metadata\": " + large + "}");
        assertThat(update.status(), is(413));
        assertThat(logSize(), is(events));
        assertThat(http.get("/services/a").json().get("metadata").get("model").asText(), is("m".repeat(80)));
    }

    @Test
    void nestingUpToTheLimitOnly() {
        int events = logSize();
        Http.Reply refused = http.post("/services", Http.registration("deep", 1, "{\"a\": {\"b\": {\"c\": {}}}}"));
        assertThat(refused.status(), is(400));
        assertThat(refused.json().get("error").asText(), is("Request body nested deeper than 4 levels (--max-depth)"));
        assertThat(logSize(), is(events));
        assertThat(
                http.post("/services", Http.registration("deep", 1, "{\"a\": {\"b\": {}}}"))
                        .status(),
                is(201));
    }
}
