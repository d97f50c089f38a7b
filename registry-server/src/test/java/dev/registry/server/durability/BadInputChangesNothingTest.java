package dev.registry.server.durability;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.allOf;
import static org.hamcrest.Matchers.greaterThanOrEqualTo;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.lessThan;

import dev.registry.server.testing.Http;
import dev.registry.server.testing.RegistryTestBase;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Every kind of bad write gets a 4xx JSON error, and neither the log nor the view changes. */
class BadInputChangesNothingTest extends RegistryTestBase {

    @Test
    void badWritesLeaveLogAndViewUntouched() {
        register("existing");
        String viewBefore = http.get("/services/existing").body();
        int eventsBefore = logSize();
        long indexBefore = registry.server().view().lastIndex();

        List<Map.Entry<String, String>> requests = List.of(
                Map.entry("POST /services", "{broken"),
                Map.entry("POST /services", ""),
                Map.entry("POST /services", "[]"),
                Map.entry("POST /services", "\"string\""),
                Map.entry("POST /services", "12"),
                Map.entry("POST /services", Http.registration("x", 1, null).replace("1,", "\"1\",")),
                Map.entry("POST /services", Http.registration("", 1, null)),
                Map.entry("POST /services", Http.registration("n".repeat(300), 1, null)),
                Map.entry("POST /services", Http.registration("x", 1, "null")),
                Map.entry(
                        "POST /services",
                        Http.registration("x", 1, "{\"deep\":" + "[".repeat(200) + "]".repeat(200) + "}")),
                Map.entry("POST /services", Http.registration("x", 1, "{\"blob\":\"" + "y".repeat(1_100_000) + "\"}")),
                Map.entry("PUT /services/existing", "{broken"),
                Map.entry("PUT /services/existing", "{\"port\":\"80\"}"),
                Map.entry("PUT /services/existing", "{\"metadata\":7}"),
                Map.entry("PUT /services/ghost", "{}"),
                Map.entry("DELETE /services/ghost", ""),
                Map.entry("POST /services/ghost/heartbeat", ""),
                Map.entry("PATCH /services/existing", "{}"),
                Map.entry("POST /health", "{}"));

        for (var request : requests) {
            String[] line = request.getKey().split(" ");
            Http.Reply reply = http.send(line[0], line[1], request.getValue().isEmpty() ? null : request.getValue());
            assertThat(
                    request.getKey() + " " + abbreviate(request.getValue()),
                    reply.status(),
                    allOf(greaterThanOrEqualTo(400), lessThan(500)));
            assertThat(reply.json().has("error"), is(true));
        }

        assertThat(logSize(), is(eventsBefore));
        assertThat(registry.server().view().lastIndex(), is(indexBefore));
        assertThat(http.get("/services/existing").body(), is(viewBefore));
        assertThat(http.get("/services").json().get("total").asInt(), is(1));
    }

    private static String abbreviate(String s) {
        return s.length() > 60 ? s.substring(0, 60) + "…" : s;
    }
}
